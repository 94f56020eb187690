package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/partnershipimport"
	"github.com/rencontres/rencontres/internal/sheet"
	"github.com/rencontres/rencontres/internal/store"
)

// partnerships runs `rencontres partnerships import FILE`: the export of
// the partnerships, edited or not, read back; the preview printed (every
// refused cell with its line and column), and the changes written in one
// transaction unless --dry-run or a row is refused (status 1).
func partnerships(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usageError{"partnerships: want 'rencontres partnerships import FILE [--dry-run] [--sheet NAME]'"}
	}
	fs := flag.NewFlagSet("partnerships import", flag.ContinueOnError)
	var f importFlags
	f.register(fs)
	// The file may come before or after the flags.
	file, data, l, err := f.parse(fs, args[1:], stdout)
	if err != nil {
		return err
	}
	cat := i18n.MustLoad()
	p := cat.Printer(l)
	st, err := store.Open(ctx, f.db, f.data)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	pv, err := partnershipimport.Import(ctx, st, cat, data, sheet.Options{Sheet: f.sheet, Encoding: f.encoding}, f.dryRun)
	if err != nil {
		var se *sheet.Error
		if errors.As(err, &se) {
			return errors.New(contactimport.FileError(p, err))
		}
		return err
	}
	fmt.Fprintf(stdout, "%s: %s", filepath.Base(file), pv.Format)
	if pv.Encoding != "" {
		fmt.Fprintf(stdout, ", %s %s, %s %q", p.T("import.encoding"), pv.Encoding, p.T("import.separator"), pv.Separator)
	}
	if pv.Sheet != "" {
		fmt.Fprintf(stdout, ", %s %q", p.T("import.sheet"), pv.Sheet)
	}
	fmt.Fprintln(stdout)
	for _, pr := range pv.Problems {
		fmt.Fprintln(stdout, pr.Message(p, pv.Headers))
	}
	if !pv.Ready() {
		return errImportRefused
	}
	fmt.Fprintln(stdout, pv.Summary(p))
	for _, r := range pv.Rows {
		if r.Status != partnershipimport.Unchanged {
			fmt.Fprintf(stdout, "%s%s%s %s–%s (%s)\n", contactimport.Where(p, r.Line, 0, nil), p.T("import.colon"),
				p.T("partnership_import.status_"+string(r.Status)), r.Partnership.A, r.Partnership.B, r.Partnership.Kind)
		}
	}
	if f.dryRun {
		return nil
	}
	fmt.Fprintln(stdout, p.T("partnership_import.done", "Created", pv.Count[partnershipimport.Created],
		"Updated", pv.Count[partnershipimport.Updated]))
	return nil
}
