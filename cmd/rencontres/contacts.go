package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/sheet"
	"github.com/rencontres/rencontres/internal/store"
)

// errImportRefused is the command's failure when a file has refused or
// ambiguous rows: the problems are already printed, nothing was written.
var errImportRefused = errors.New("nothing written: the file has refused or ambiguous rows")

// choices is the repeated --choose LINE=KEY flag.
type choices map[int]string

func (c choices) String() string { return "" }

func (c choices) Set(v string) error {
	line, key, ok := strings.Cut(v, "=")
	n, err := strconv.Atoi(line)
	if !ok || err != nil || n < 1 || key == "" {
		return fmt.Errorf("want LINE=KEY (or LINE=- to leave the row out), got %q", v)
	}
	c[n] = key
	return nil
}

// contacts runs `rencontres contacts import FILE`: the preview of the
// import printed (counts, then every problem with its line and column),
// and the contacts written unless --dry-run. A file with refused or
// ambiguous rows writes nothing and exits with status 1.
func contacts(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usageError{"contacts: want 'rencontres contacts import FILE [--dry-run] [--sheet NAME]'"}
	}
	fs := flag.NewFlagSet("contacts import", flag.ContinueOnError)
	var f importFlags
	f.register(fs)
	chosen := choices{}
	fs.Var(chosen, "choose", "LINE=KEY: the authority of an ambiguous row (LINE=- leaves it out); repeatable")
	// The file may come before or after the flags.
	file, data, l, err := f.parse(fs, args[1:], stdout)
	if err != nil {
		return err
	}
	p := i18n.MustLoad().Printer(l)
	st, err := store.Open(ctx, f.db, f.data)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	pv, err := contactimport.Prepare(ctx, st, contactimport.Request{Data: data, Sheet: f.sheet, Encoding: f.encoding, Choices: chosen})
	if err != nil {
		var se *sheet.Error
		if errors.As(err, &se) {
			return errors.New(contactimport.FileError(p, err))
		}
		return err
	}
	printPreview(stdout, p, filepath.Base(file), pv)
	if !pv.Ready() {
		return errImportRefused
	}
	if f.dryRun {
		return nil
	}
	created, updated, err := st.ImportContacts(ctx, nil, filepath.Base(file), pv.Writes())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, p.T("import.done", "Created", created, "Updated", updated))
	return nil
}

func printPreview(w io.Writer, p *i18n.Printer, file string, pv *contactimport.Preview) {
	fmt.Fprintf(w, "%s: %s", file, pv.Format)
	if pv.Encoding != "" {
		fmt.Fprintf(w, ", %s %s, %s %q", p.T("import.encoding"), pv.Encoding, p.T("import.separator"), pv.Separator)
	}
	if pv.Sheet != "" {
		fmt.Fprintf(w, ", %s %q (%s)", p.T("import.sheet"), pv.Sheet, strings.Join(pv.Sheets, ", "))
	}
	fmt.Fprintln(w)
	for _, pr := range pv.Problems {
		fmt.Fprintln(w, pr.Message(p, pv.Headers))
	}
	if len(pv.Problems) > 0 {
		return
	}
	fmt.Fprintln(w, pv.Summary(p))
	for _, r := range pv.Rows {
		for _, pr := range r.Problems {
			fmt.Fprintln(w, pr.Message(p, pv.Headers))
		}
		if r.Status == contactimport.Ambiguous {
			var keys []string
			for _, c := range r.Candidates {
				keys = append(keys, fmt.Sprintf("%s (%s)", c.Key, c.Name.In(p.Lang)))
			}
			fmt.Fprintf(w, "%s%s%s %s\n", contactimport.Where(p, r.Line, 0, nil), p.T("import.colon"),
				p.T("import_problem.ambiguous"), strings.Join(keys, ", "))
		}
	}
}
