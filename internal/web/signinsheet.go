package web

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/signinsheet"
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
	d, err := s.signInSheetData(r, p)
	if err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = p.P.T("signin_sheet.title", "Event", d.Title), "events", d
	return "signin_sheet", nil
}

// signInSheetData reads the event of the path and the people with a seat
// at it, sorted as the sheet lists them: the page and the PDF print the
// same.
func (s *Site) signInSheetData(r *http.Request, p *Page) (*SignInSheet, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	people, err := s.regs.Registrations(ctx, rencontres.RegistrationFilter{EventID: e.ID, Status: rencontres.Confirmed})
	if err != nil {
		return nil, err
	}
	d := &SignInSheet{Event: e, Title: p.EventTitleText(e), When: p.EventWhen(e), People: people, Orgs: map[string]*rencontres.Organisation{}}
	d.Place = strings.Join(slices.DeleteFunc([]string{e.Venue.In(p.Lang), e.Address}, func(s string) bool { return s == "" }), ", ")
	for _, person := range people {
		if _, ok := d.Orgs[person.OrgKey]; ok {
			continue
		}
		if d.Orgs[person.OrgKey], err = s.svc.Organisation(ctx, person.OrgKey); err != nil {
			return nil, err
		}
	}
	sortSheet(p.Lang, d.People, d.Orgs)
	return d, nil
}

// signInSheetPDF prints the sign-in sheet as an A4 PDF, for a desk
// without a browser that prints well: the same rows as the page, the
// meeting's title, day and place and the table's heading on every page,
// and the pages numbered.
func (s *Site) signInSheetPDF(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.signInSheetData(r, p)
	if err != nil {
		return "", err
	}
	faces, err := badge.FindFonts()
	if err != nil {
		return "", fonts.Missing(err)
	}
	sheet := signinsheet.Sheet{Kind: p.P.T("signin_sheet.name"), Title: d.Title, When: d.When, Place: d.Place,
		Columns: [5]string{"#", p.P.T("registration.person"), p.P.T("committee.authority"), p.P.T("registration.function"), p.P.T("attendance.signature")},
		Nobody:  p.P.T("signin_sheet.nobody"),
		Page:    func(n, total int) string { return p.P.T("signin_pdf.page", "N", n, "Total", total) }}
	for _, r := range d.People {
		sheet.Rows = append(sheet.Rows, signinsheet.Row{Name: d.latinName(r), OtherName: d.otherName(r),
			Authority: orgPlainName(p.Lang, d.Orgs[r.OrgKey], r.OrgKey), Function: r.Function})
	}
	var buf bytes.Buffer
	if err := signinsheet.Write(&buf, faces, sheet); err != nil {
		return "", err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="signin-sheet-%d.pdf"`, d.Event.ID))
	w.Write(buf.Bytes())
	return "", nil
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
	out := `<span lang="` + latinLang + `">` + template.HTMLEscapeString(d.latinName(r)) + `</span>`
	if other := d.otherName(r); other != "" {
		out += ` <span class="other-script" lang="ja">` + template.HTMLEscapeString(other) + `</span>`
	}
	return template.HTML(out)
}

// latinName is the family name in capitals, then the given name.
func (d *SignInSheet) latinName(r *rencontres.Registration) string {
	return strings.TrimSpace(strings.ToUpper(r.FamilyName) + " " + r.GivenName)
}

// otherName is the name in Japanese script with its kana reading, where
// known: 森 健二（もり けんじ）.
func (d *SignInSheet) otherName(r *rencontres.Registration) string {
	if r.NameJa != "" && r.Kana != "" {
		return r.NameJa + "（" + r.Kana + "）"
	}
	return strings.TrimSpace(r.NameJa + " " + r.Kana)
}

// orgPlainName is an authority's name as OrgName writes it, in the
// reader's language with the other script after it (Kumamoto (熊本市),
// 熊本市（Kumamoto）), as plain text for a PDF.
func orgPlainName(l rencontres.Lang, o *rencontres.Organisation, key string) string {
	if o == nil {
		return key
	}
	main, other := o.Name.In(l), o.Name[rencontres.Japanese]
	if l == rencontres.Japanese {
		other = o.Name.In(rencontres.French)
	}
	switch {
	case other == "" || other == main:
		return main
	case l == rencontres.Japanese:
		return main + "（" + other + "）"
	}
	return main + " (" + other + ")"
}
