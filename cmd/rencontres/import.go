package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/rencontres/rencontres/internal/refdata"
	"github.com/rencontres/rencontres/internal/store"
)

// importRefdata loads the French and Japanese reference data from the npm
// packages installed by `make refdata`.
func importRefdata(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var f dbFlags
	f.register(fs)
	from := fs.String("from", "./node_modules", "node_modules folder holding the reference data packages")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	// Check the packages before touching the database, so that a missing
	// download is reported as such.
	if err := refdata.CheckPackages(*from); err != nil {
		return err
	}
	st, err := store.Open(ctx, f.db, f.data)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	rep, err := refdata.Import(ctx, st, *from, stdout)
	if err != nil {
		return err
	}
	if err := st.Optimize(ctx); err != nil {
		return fmt.Errorf("after the import: %w", err)
	}
	fmt.Fprintf(stdout, "%s\n%s", st.Where, rep)
	return nil
}
