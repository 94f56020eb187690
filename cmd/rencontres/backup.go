package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/store"
)

// backup writes a consistent, portable backup of a running instance's
// database to a file: written beside it under a temporary name and
// renamed at the end, so that a backup cut short never takes a good
// file's place.
func backup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	var f dbFlags
	f.register(fs)
	to := fs.String("to", "", "file to write the backup to (required), such as rencontres-2026-12-06.backup")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *to == "" {
		return usageError{"backup: --to FILE is required"}
	}
	st, err := store.Open(ctx, f.db, f.data)
	if err != nil {
		return err
	}
	defer st.Close()
	tmp, err := os.CreateTemp(filepath.Dir(*to), "."+filepath.Base(*to)+".*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	stats, err := st.Backup(ctx, tmp, time.Now())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), *to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup of %s written to %s: schema %d, %d tables, %d rows\n", st.Where, *to, stats.Schema, stats.Tables, stats.Rows)
	return nil
}

// restore reads a backup into an empty database.
func restore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	var f dbFlags
	f.register(fs)
	// The file comes first or last: restore FILE --db URL, or restore
	// --db URL FILE.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	} else if len(args) > 0 && !strings.HasPrefix(args[len(args)-1], "-") {
		file, args = args[len(args)-1], args[:len(args)-1]
	}
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if file == "" {
		return usageError{"restore: want a backup file: rencontres restore FILE [--data DIR] [--db URL]"}
	}
	in, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	st, err := store.Open(ctx, f.db, f.data)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.Restore(ctx, in)
	if err != nil {
		return fmt.Errorf("restore %s: %w", file, err)
	}
	fmt.Fprintf(stdout, "%s restored into %s: schema %d, %d tables, %d rows\n", file, st.Where, stats.Schema, stats.Tables, stats.Rows)
	return nil
}

// copyDB moves an installation from one database to another (SQLite to
// PostgreSQL, or back): a backup of the first streamed into a restore of
// the second, which must be empty.
func copyDB(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	from := fs.String("from", "", "database to copy: postgres://… or sqlite:PATH (required)")
	to := fs.String("to", "", "empty database to copy into: postgres://… or sqlite:PATH (required)")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usageError{"copy: --from URL and --to URL are both required"}
	}
	src, err := store.Open(ctx, *from, "")
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to, "")
	if err != nil {
		return err
	}
	defer dst.Close()
	stats, err := store.Copy(ctx, src, dst, time.Now())
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	fmt.Fprintf(stdout, "%s copied into %s: schema %d, %d tables, %d rows\n", src.Where, dst.Where, stats.Schema, stats.Tables, stats.Rows)
	return nil
}
