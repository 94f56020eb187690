package web

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// SignInSheet is the sign-in sheet of a whole event (« feuille
// d’émargement »): every person with a seat, sorted by authority then by
// name, with a column to sign. It exists for every event that takes
// registrations, whether or not it has sessions to choose.
type SignInSheet struct {
	Event  *rencontres.Event
	Title  string
	When   string
	Place  string
	People []*rencontres.Registration
	Orgs   map[string]*rencontres.Organisation
}

// signInSheet shows the print view of an event's sign-in sheet.
func (s *Site) signInSheet(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	ctx := r.Context()
	people, err := s.regs.Registrations(ctx, rencontres.RegistrationFilter{EventID: e.ID, Status: rencontres.Confirmed})
	if err != nil {
		return "", err
	}
	d := &SignInSheet{Event: e, Title: p.EventTitleText(e), When: p.EventWhen(e), People: people, Orgs: map[string]*rencontres.Organisation{}}
	d.Place = strings.Join(slices.DeleteFunc([]string{e.Venue.In(p.Lang), e.Address}, func(s string) bool { return s == "" }), ", ")
	for _, person := range people {
		if _, ok := d.Orgs[person.OrgKey]; ok {
			continue
		}
		if d.Orgs[person.OrgKey], err = s.svc.Organisation(ctx, person.OrgKey); err != nil {
			return "", err
		}
	}
	sortSheet(p.Lang, d.People, d.Orgs)
	p.Title, p.Nav, p.Data = p.P.T("signin_sheet.title", "Event", d.Title), "events", d
	return "signin_sheet", nil
}

// sortSheet orders a sheet as the reception desk looks people up: by
// authority, then by family and given name, in the collation of the
// reader's language. Japanese authorities sort by their kana reading, as a
// Japanese list does.
func sortSheet(l rencontres.Lang, people []*rencontres.Registration, orgs map[string]*rencontres.Organisation) {
	c := collate.New(language.Make(string(l)), collate.IgnoreCase, collate.Loose)
	orgKey := func(r *rencontres.Registration) string {
		o := orgs[r.OrgKey]
		if o == nil {
			return r.OrgKey
		}
		if l == rencontres.Japanese && o.Kana != "" {
			return o.Kana
		}
		return o.Name.In(l)
	}
	slices.SortStableFunc(people, func(a, b *rencontres.Registration) int {
		return cmp.Or(c.CompareString(orgKey(a), orgKey(b)), c.CompareString(a.FamilyName, b.FamilyName),
			c.CompareString(a.GivenName, b.GivenName), cmp.Compare(a.ID, b.ID))
	})
}

// SheetName is a person's name as a sign-in sheet prints it: family name
// in capitals, then given name, then the name in Japanese script and its
// kana reading where known, each marked with its language.
func (d *SignInSheet) SheetName(r *rencontres.Registration) template.HTML {
	latinLang := "fr"
	if r.Country == rencontres.Japan {
		latinLang = "ja-Latn"
	}
	out := `<span lang="` + latinLang + `">` + template.HTMLEscapeString(strings.TrimSpace(strings.ToUpper(r.FamilyName)+" "+r.GivenName)) + `</span>`
	if other := strings.TrimSpace(r.NameJa + " " + r.Kana); other != "" {
		if r.NameJa != "" && r.Kana != "" {
			other = r.NameJa + "（" + r.Kana + "）"
		}
		out += ` <span class="other-script" lang="ja">` + template.HTMLEscapeString(other) + `</span>`
	}
	return template.HTML(out)
}
