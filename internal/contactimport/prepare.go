package contactimport

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

// Source is what a preview reads: the directory and the known contacts
// (the store).
type Source interface {
	ImportDirectory(ctx context.Context) ([]*rencontres.Organisation, error)
	KnownContacts(ctx context.Context) (map[string]*rencontres.KnownContact, error)
}

// Request is an import as a person asks for it: a file, the sheet and
// encoding they chose, the mapping they corrected and their choices for
// ambiguous rows.
type Request struct {
	Data     []byte
	Sheet    string
	Encoding string
	Mapping  []sheet.Field
	Choices  map[int]string
}

// Prepare reads the file and computes its preview. A file that cannot be
// read at all returns a *sheet.Error.
func Prepare(ctx context.Context, src Source, r Request) (*Preview, error) {
	tab, err := sheet.Read(r.Data, sheet.Options{Sheet: r.Sheet, Encoding: r.Encoding})
	if err != nil {
		return nil, err
	}
	dir, err := src.ImportDirectory(ctx)
	if err != nil {
		return nil, err
	}
	known, err := src.KnownContacts(ctx)
	if err != nil {
		return nil, err
	}
	return Build(Input{Table: tab, Mapping: r.Mapping, Index: NewIndex(dir), Known: known, Choices: r.Choices}), nil
}

// Where says a place of the file in the reader's language: « ligne 4,
// colonne D (Courriel) ».
func Where(p *i18n.Printer, line, column int, headers []string) string {
	switch {
	case line == 0:
		return ""
	case column <= 0:
		return p.T("import.at_line", "Line", line)
	case column <= len(headers) && headers[column-1] != "":
		return p.T("import.at_cell", "Line", line, "Column", sheet.ColumnName(column), "Header", headers[column-1])
	}
	return p.T("import.at_cell_no_header", "Line", line, "Column", sheet.ColumnName(column))
}

// Message says a problem in the reader's language, with where it is.
func (pr Problem) Message(p *i18n.Printer, headers []string) string {
	args := []any{"Field", ""}
	if pr.Field != sheet.None {
		args[1] = p.T("import_column." + string(pr.Field))
	}
	for k, v := range pr.Args {
		args = append(args, k, v)
	}
	msg := p.T("import_problem."+pr.Key, args...)
	if pr.Key == "invalid" {
		// A fault found by the profile's own checks: its own message.
		key, _ := pr.Args["Key"].(string)
		e := &rencontres.Error{Key: key, Field: string(pr.Field)}
		if a, ok := pr.Args["Args"].(map[string]any); ok {
			e.Args = a
		}
		msg = p.Error(e)
	}
	if w := Where(p, pr.Line, pr.Column, headers); w != "" {
		return w + p.T("import.colon") + msg
	}
	return msg
}

// FileError says why a file cannot be read, in the reader's language.
func FileError(p *i18n.Printer, err error) string {
	var e *sheet.Error
	if !errors.As(err, &e) {
		return p.T("error.internal")
	}
	args := []any{}
	for k, v := range e.Args {
		args = append(args, k, v)
	}
	msg := p.T("sheet_error."+e.Key, args...)
	if w := Where(p, e.Line, e.Column, nil); w != "" {
		return w + p.T("import.colon") + msg
	}
	return msg
}

// Summary gives the counts of a preview on one line, for the command.
func (p *Preview) Summary(pr *i18n.Printer) string {
	var parts []string
	for _, s := range Statuses {
		parts = append(parts, fmt.Sprintf("%s %d", pr.T("import_status."+string(s)), p.Counts[s]))
	}
	return strings.Join(parts, ", ")
}
