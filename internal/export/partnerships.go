package export

import (
	"io"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// partnershipKeys are the columns of the partnerships' exports: each side
// by its key and its names, then the agreement.
var partnershipKeys = []string{"number", "a", "a_name", "a_name_ja", "a_country", "b", "b_name", "b_name_ja", "b_country",
	"kind", "kind_label", "year", "year_ended", "state", "last_exchanges", "current_projects", "note"}

// Partnerships is the table of partnerships, both sides filled in: for a
// reader, headers, kinds, states and countries in their language; for
// the API, stable keys and codes.
func Partnerships(rd Reader, list []*rencontres.Partnership) *Table {
	t := partnershipColumns(rd)
	row := partnershipRow(rd)
	for _, p := range list {
		t.Rows = append(t.Rows, row(p))
		if p.Agreement != nil && p.Agreement.Uploaded.After(t.Modified) {
			t.Modified = p.Agreement.Uploaded
		}
	}
	return t
}

// StreamPartnerships writes the table Partnerships makes, in format, with
// the partnerships each gives a chunk at a time as a store reads them:
// memory stays flat however long the list. modified is the last upload of
// an agreement among them, which the workbook's properties give before
// its rows.
func StreamPartnerships(w io.Writer, format string, rd Reader, modified time.Time, each func(fn func([]*rencontres.Partnership) error) error) error {
	t := partnershipColumns(rd)
	t.Modified = modified
	row := partnershipRow(rd)
	return t.Stream(w, format, func(yield func([]any) error) error {
		return each(func(list []*rencontres.Partnership) error {
			for _, p := range list {
				if err := yield(row(p)); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// partnershipColumns is the partnerships' table without its rows.
func partnershipColumns(rd Reader) *Table {
	t := &Table{}
	if !rd.API {
		t.Yes, t.No, t.Sheet = rd.P.T("export.yes"), rd.P.T("export.no"), rd.P.T("partnership_export.sheet")
	}
	for _, k := range partnershipKeys {
		c := Column{Key: k}
		if !rd.API {
			c.Title = rd.P.T("partnership_export." + k)
		}
		t.Columns = append(t.Columns, c)
	}
	return t
}

// partnershipRow gives a partnership's row for reader rd.
func partnershipRow(rd Reader) func(p *rencontres.Partnership) []any {
	lang := rencontres.French
	if !rd.API {
		lang = rd.P.Lang
	}
	word := func(prefix, v string) any {
		if v == "" {
			return nil
		}
		if rd.API {
			return v
		}
		return rd.P.T(prefix + v)
	}
	kind := func(k rencontres.PartnershipKind) any {
		if rd.API {
			return string(k)
		}
		return rd.P.T(k.MessageKey())
	}
	side := func(o *rencontres.Organisation) []any {
		if o == nil {
			return []any{nil, nil, nil}
		}
		return []any{o.Name.In(lang), o.Name[rencontres.Japanese], rd.Country(o.Country)}
	}
	year := func(y int) any {
		if y == 0 {
			return nil
		}
		return y
	}
	return func(p *rencontres.Partnership) []any {
		row := []any{p.ID, p.A}
		row = append(row, side(p.OrgA)...)
		row = append(row, p.B)
		row = append(row, side(p.OrgB)...)
		return append(row, kind(p.Kind), p.KindLabel.In(lang), year(p.Year), year(p.YearEnded),
			word("partnership_state.", string(p.State)), p.LastExchanges, p.CurrentProjects, p.Note.In(lang))
	}
}
