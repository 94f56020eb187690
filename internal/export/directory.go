package export

import (
	"context"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

// directoryColumns are the columns of the directory's export, those a
// contact import reads, so that a list exported, edited in Excel and
// imported again changes only what was edited.
var directoryColumns = []sheet.Field{sheet.OrgKey, sheet.OrgCode, sheet.OrgName}

var contactColumns = []sheet.Field{sheet.Civility, sheet.Name, sheet.NameJa, sheet.Kana, sheet.Email, sheet.Function,
	sheet.Service, sheet.AddressForm, sheet.PostalAddress, sheet.Phone, sheet.Lang, sheet.MainContact}

// Directory is the export of the directory: one row per authority, or,
// with contacts (the secretariat's), one row per contact of each authority
// and one for an authority that has none.
func Directory(rd Reader, orgs []*rencontres.Organisation, contacts map[string][]*rencontres.KnownContact) *Table {
	t := DirectoryColumns(rd, contacts != nil)
	for _, o := range orgs {
		t.Rows = append(t.Rows, DirectoryRows(rd, o, contacts)...)
	}
	return t
}

// DirectoryColumns is the directory's table without its rows, with the
// contacts' columns or not, for Stream.
func DirectoryColumns(rd Reader, withContacts bool) *Table {
	t := &Table{}
	if !rd.API {
		t.Yes, t.No, t.Sheet = rd.P.T("export.yes"), rd.P.T("export.no"), rd.P.T("directory.title")
	}
	cols := directoryColumns
	if withContacts {
		cols = append(append([]sheet.Field{}, cols...), contactColumns...)
	}
	for _, f := range cols {
		t.Columns = append(t.Columns, Column{Key: string(f), Title: rd.P.T("import_column." + string(f))})
	}
	return t
}

// DirectoryRows are an authority's rows: one, or with contacts one per
// contact of it (and one for an authority that has none).
func DirectoryRows(rd Reader, o *rencontres.Organisation, contacts map[string][]*rencontres.KnownContact) [][]any {
	org := []any{o.Key, o.Code, o.Name.In(rd.P.Lang)}
	if contacts == nil {
		return [][]any{org}
	}
	people := contacts[o.Key]
	if len(people) == 0 {
		return [][]any{append(org, make([]any, len(contactColumns))...)}
	}
	var rows [][]any
	for _, c := range people {
		main := false
		for _, m := range c.Memberships {
			if m.OrgKey == o.Key {
				main = m.MainContact
			}
		}
		rows = append(rows, append(append([]any{}, org...), c.Civility, c.Name, c.NameJa, c.Kana, c.Email, c.Function,
			c.Service, c.AddressForm, c.PostalAddress, c.Phone, string(c.Lang), main))
	}
	return rows
}

// OrgPager reads the directory a page at a time by cursor
// (store.OrganisationsPage).
type OrgPager interface {
	OrganisationsPage(ctx context.Context, f rencontres.OrgFilter, r cursor.Request) ([]*rencontres.Organisation, cursor.Head, error)
}

// DirectoryRowsOf gives the rows of every authority f selects, read 500 at
// a time by cursor and written as they come, up to sheet.MaxRows
// authorities: the export of the whole directory never holds it.
func DirectoryRowsOf(ctx context.Context, l OrgPager, f rencontres.OrgFilter, rd Reader, contacts map[string][]*rencontres.KnownContact) Rows {
	return func(yield func([]any) error) error {
		r, n := cursor.Request{Limit: 500}, 0
		for {
			page, h, err := l.OrganisationsPage(ctx, f, r)
			if err != nil {
				return err
			}
			for _, o := range page {
				if n++; n > sheet.MaxRows {
					return nil
				}
				for _, row := range DirectoryRows(rd, o, contacts) {
					if err := yield(row); err != nil {
						return err
					}
				}
			}
			if h.Next == "" {
				return nil
			}
			r.After = h.Next
		}
	}
}

// ContactsByOrganisation groups known contacts by the authorities they
// are contacts of now, each list in the order of the addresses.
func ContactsByOrganisation(known map[string]*rencontres.KnownContact) map[string][]*rencontres.KnownContact {
	out := map[string][]*rencontres.KnownContact{}
	for _, k := range known {
		for _, m := range k.Memberships {
			if !m.Removed {
				out[m.OrgKey] = append(out[m.OrgKey], k)
			}
		}
	}
	for _, list := range out {
		sortContacts(list)
	}
	return out
}

func sortContacts(list []*rencontres.KnownContact) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].Email < list[j-1].Email; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}
