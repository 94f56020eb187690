package export

import (
	"context"

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
	t := &Table{}
	if !rd.API {
		t.Yes, t.No, t.Sheet = rd.P.T("export.yes"), rd.P.T("export.no"), rd.P.T("directory.title")
	}
	cols := directoryColumns
	if contacts != nil {
		cols = append(append([]sheet.Field{}, cols...), contactColumns...)
	}
	for _, f := range cols {
		t.Columns = append(t.Columns, Column{Key: string(f), Title: rd.P.T("import_column." + string(f))})
	}
	for _, o := range orgs {
		org := []any{o.Key, o.Code, o.Name.In(rd.P.Lang)}
		if contacts == nil {
			t.Rows = append(t.Rows, org)
			continue
		}
		people := contacts[o.Key]
		if len(people) == 0 {
			t.Rows = append(t.Rows, append(org, make([]any, len(contactColumns))...))
			continue
		}
		for _, c := range people {
			main := false
			for _, m := range c.Memberships {
				if m.OrgKey == o.Key {
					main = m.MainContact
				}
			}
			t.Rows = append(t.Rows, append(append([]any{}, org...), c.Civility, c.Name, c.NameJa, c.Kana, c.Email, c.Function,
				c.Service, c.AddressForm, c.PostalAddress, c.Phone, string(c.Lang), main))
		}
	}
	return t
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

// OrgLister lists the directory, a page at a time.
type OrgLister interface {
	Organisations(ctx context.Context, f rencontres.OrgFilter) ([]*rencontres.Organisation, int, error)
}

// AllOrganisations reads every organisation a filter selects, in the
// directory's order, a page of 500 at a time.
func AllOrganisations(ctx context.Context, l OrgLister, f rencontres.OrgFilter) ([]*rencontres.Organisation, error) {
	var out []*rencontres.Organisation
	f.Limit = 500
	for f.Offset = 0; ; f.Offset += f.Limit {
		page, total, err := l.Organisations(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		// A broad search counts only up to a bound: past it, read on
		// until a short page.
		n, more := f.Total(total)
		if len(page) < f.Limit && more || len(page) == 0 || !more && f.Offset+len(page) >= n || len(out) >= sheet.MaxRows {
			return out, nil
		}
	}
}
