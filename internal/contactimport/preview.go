package contactimport

import (
	"errors"
	"slices"
	"strings"
	"unicode"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

// Status says what importing a row does.
type Status string

// The statuses of a row.
const (
	Created   Status = "created"
	Updated   Status = "updated"
	Unchanged Status = "unchanged"
	Ambiguous Status = "ambiguous"
	Refused   Status = "refused"
	Skipped   Status = "skipped"
)

// Statuses lists them in the order a preview shows them.
var Statuses = []Status{Refused, Ambiguous, Created, Updated, Unchanged, Skipped}

// Skip is the choice that leaves an ambiguous row out of the import.
const Skip = "-"

// Problem is a fault of a row or of the file: a message key (under
// [import_problem]) and where it is.
type Problem struct {
	Line   int            `json:"line"`
	Column int            `json:"column"`
	Field  sheet.Field    `json:"field,omitempty"`
	Key    string         `json:"key"`
	Args   map[string]any `json:"args,omitempty"`
}

// Row is one row of the file and what importing it does.
type Row struct {
	Line   int    `json:"line"`
	Status Status `json:"status"`
	// Contact is the person as the import will store them.
	Contact rencontres.User `json:"contact"`
	// Org is the organisation the row was matched to, and how: "key",
	// "code", "name", "choice", or "contact" (the person is already a
	// contact of one of the authorities the name may be).
	Org        *rencontres.Organisation   `json:"organisation,omitempty"`
	MatchedBy  string                     `json:"matched_by,omitempty"`
	Candidates []*rencontres.Organisation `json:"candidates,omitempty"`
	// OrgText is what the file says of the organisation, for the reader.
	OrgText     string    `json:"organisation_text,omitempty"`
	MainContact bool      `json:"main_contact"`
	Changes     []string  `json:"changes,omitempty"`
	Problems    []Problem `json:"problems,omitempty"`
}

// Preview is what importing a file would do.
type Preview struct {
	Format    string         `json:"format"`
	Encoding  string         `json:"encoding,omitempty"`
	Separator string         `json:"separator,omitempty"`
	Sheets    []string       `json:"sheets,omitempty"`
	Sheet     string         `json:"sheet,omitempty"`
	Headers   []string       `json:"headers"`
	Mapping   []sheet.Field  `json:"mapping"`
	Rows      []*Row         `json:"rows"`
	Counts    map[Status]int `json:"counts"`
	// Matched counts the rows whose organisation was found.
	Matched int `json:"matched"`
	// Problems are the faults of the file as a whole (no email column…).
	Problems []Problem `json:"problems,omitempty"`
}

// Ready reports whether the import may be written: no fault of the file, no
// refused row, no ambiguous row left without a choice.
func (p *Preview) Ready() bool {
	return len(p.Problems) == 0 && p.Counts[Refused] == 0 && p.Counts[Ambiguous] == 0
}

// Writes returns what confirming the preview stores: the created and
// updated rows.
func (p *Preview) Writes() []rencontres.ContactImport {
	var out []rencontres.ContactImport
	for _, r := range p.Rows {
		if r.Status == Created || r.Status == Updated {
			out = append(out, rencontres.ContactImport{Contact: r.Contact, OrgKey: r.Org.Key, MainContact: r.MainContact})
		}
	}
	return out
}

// Input is what a preview is computed from.
type Input struct {
	Table *sheet.Table
	// Mapping gives each column's field; nil takes the headers' match.
	Mapping []sheet.Field
	Index   *Index
	Known   map[string]*rencontres.KnownContact // by email
	// Choices gives, by line, the key chosen for an ambiguous row, or Skip.
	Choices map[int]string
}

// MaxCandidates bounds the candidates listed for an ambiguous row.
const MaxCandidates = 12

// Build computes the preview.
func Build(in Input) *Preview {
	t := in.Table
	p := &Preview{Format: t.Format, Encoding: t.Encoding, Sheets: t.Sheets, Sheet: t.Sheet, Headers: t.Rows[0],
		Counts: map[Status]int{}}
	if t.Separator != 0 {
		p.Separator = string(t.Separator)
	}
	p.Mapping = in.Mapping
	if len(p.Mapping) != len(p.Headers) {
		auto := sheet.MatchHeaders(p.Headers)
		if len(p.Mapping) < len(auto) {
			p.Mapping = append(p.Mapping, auto[len(p.Mapping):]...)
		}
		p.Mapping = p.Mapping[:len(auto)]
	}
	col := map[sheet.Field]int{}
	for i, f := range p.Mapping {
		if _, dup := col[f]; f != sheet.None && !dup {
			col[f] = i
		}
	}
	headerLine := t.Lines[0]
	if len(col) == 0 {
		p.Problems = append(p.Problems, Problem{Line: headerLine, Column: 1, Key: "no_header"})
		return p
	}
	if _, ok := col[sheet.Email]; !ok {
		p.Problems = append(p.Problems, Problem{Line: headerLine, Column: 1, Field: sheet.Email, Key: "missing_column"})
	}
	_, hasKey := col[sheet.OrgKey]
	_, hasCode := col[sheet.OrgCode]
	_, hasName := col[sheet.OrgName]
	if !hasKey && !hasCode && !hasName {
		p.Problems = append(p.Problems, Problem{Line: headerLine, Column: 1, Field: sheet.OrgName, Key: "missing_column"})
	}
	if len(p.Problems) > 0 {
		return p
	}
	// A person may be the contact of several authorities, a row each, as
	// the directory's export lists them; the same person twice for one
	// authority, or described differently on two rows, is a mistake.
	first := map[string]*Row{}
	for i, cells := range t.Rows[1:] {
		r := buildRow(in, col, cells, t.Lines[i+1])
		if r.Status != Refused && r.Status != Skipped && r.Contact.Email != "" {
			if f, dup := first[r.Contact.Email]; dup && (f.Org == nil || r.Org == nil || f.Org == r.Org || !sameDetails(f.Contact, r.Contact)) {
				r.refuse(sheet.Email, col, "duplicate", map[string]any{"Line": f.Line})
			} else if !dup {
				first[r.Contact.Email] = r
			}
		}
		if r.Org != nil {
			p.Matched++
		}
		p.Counts[r.Status]++
		p.Rows = append(p.Rows, r)
	}
	return p
}

func (r *Row) refuse(f sheet.Field, col map[sheet.Field]int, key string, args map[string]any) {
	c, ok := col[f]
	if !ok {
		c = -1
	}
	r.Status = Refused
	r.Problems = append(r.Problems, Problem{Line: r.Line, Column: c + 1, Field: f, Key: key, Args: args})
}

func buildRow(in Input, col map[sheet.Field]int, cells []string, line int) *Row {
	get := func(f sheet.Field) string {
		if i, ok := col[f]; ok && i < len(cells) {
			return cells[i]
		}
		return ""
	}
	r := &Row{Line: line}
	u := &r.Contact
	if get(sheet.Email) == "" && get(sheet.Name) == "" && get(sheet.NameJa) == "" && get(sheet.GivenName) == "" && get(sheet.FamilyName) == "" {
		// An authority without a contact, as the directory's export
		// lists one: nothing to import.
		r.Status, r.OrgText = Skipped, get(sheet.OrgName)
		return r
	}
	u.Email = get(sheet.Email)
	u.Name = get(sheet.Name)
	if g, f := get(sheet.GivenName), get(sheet.FamilyName); g != "" || f != "" {
		u.Name = strings.TrimSpace(g + " " + f)
	}
	u.NameJa, u.Kana = get(sheet.NameJa), get(sheet.Kana)
	if u.NameJa == "" && isJapanese(u.Name) {
		// A Japanese name typed in the « Nom » column.
		u.Name, u.NameJa = "", u.Name
	}
	u.Function, u.Service = get(sheet.Function), get(sheet.Service)
	u.AddressForm, u.PostalAddress, u.Phone = get(sheet.AddressForm), get(sheet.PostalAddress), get(sheet.Phone)

	// The email first: it says who the row is.
	switch email, err := rencontres.NormaliseEmail(u.Email); {
	case u.Email == "":
		r.refuse(sheet.Email, col, "required", nil)
	case err != nil:
		r.refuse(sheet.Email, col, "bad_email", map[string]any{"Value": u.Email})
	default:
		u.Email = email
	}
	if u.Name == "" && u.NameJa == "" {
		f := sheet.Name
		if _, ok := col[f]; !ok {
			f = sheet.NameJa
			if _, ok := col[f]; !ok {
				f = sheet.FamilyName
			}
		}
		r.refuse(f, col, "empty_name", nil)
	}
	if v := get(sheet.Civility); v != "" {
		c, ok := ParseCivility(v)
		if !ok {
			r.refuse(sheet.Civility, col, "bad_civility", map[string]any{"Value": v})
		}
		u.Civility = c
	}
	if v := get(sheet.Lang); v != "" {
		l, ok := ParseLang(v)
		if !ok {
			r.refuse(sheet.Lang, col, "bad_lang", map[string]any{"Value": v})
		}
		u.Lang = l
	}
	_, mainSet := col[sheet.MainContact]
	if v := get(sheet.MainContact); v != "" {
		m, ok := ParseYes(v)
		if !ok {
			r.refuse(sheet.MainContact, col, "bad_yes_no", map[string]any{"Value": v})
		}
		r.MainContact = m
	}
	r.matchOrg(in, col, get)

	known := in.Known[u.Email]
	if known != nil && !mainSet {
		for _, m := range known.Memberships {
			if r.Org != nil && m.OrgKey == r.Org.Key {
				r.MainContact = m.MainContact
			}
		}
	}
	if r.Status == Refused || r.Status == Ambiguous || r.Status == Skipped {
		return r
	}
	r.compare(known)
	if r.Status == Refused {
		return r
	}
	// The same checks as a profile typed in a form, each fault on its column.
	if err := u.Validate(); err != nil {
		var e *rencontres.Error
		if errors.As(err, &e) {
			for _, f := range e.All() {
				field := sheet.Field(f.Field)
				if _, ok := col[field]; !ok && field == sheet.Name {
					field = sheet.FamilyName
				}
				r.refuse(field, col, "invalid", map[string]any{"Key": f.Key, "Args": f.Args})
			}
		} else {
			r.refuse(sheet.None, col, "invalid", nil)
		}
	}
	return r
}

// matchOrg finds the row's organisation: by key, else by code (the name
// choosing among several), else by name; a choice settles an ambiguous row.
func (r *Row) matchOrg(in Input, col map[sheet.Field]int, get func(sheet.Field) string) {
	key, code, name := get(sheet.OrgKey), get(sheet.OrgCode), get(sheet.OrgName)
	r.OrgText = strings.TrimSpace(strings.Join(slices.DeleteFunc([]string{name, code}, func(s string) bool { return s == "" }), " · "))
	var list []*rencontres.Organisation
	switch {
	case key != "":
		if o := in.Index.ByKey(key); o != nil {
			r.Org, r.MatchedBy = o, "key"
			return
		}
		r.refuse(sheet.OrgKey, col, "unknown_key", map[string]any{"Value": key})
		return
	case code != "":
		list = in.Index.ByCode(code)
		if len(list) == 0 {
			r.refuse(sheet.OrgCode, col, "unknown_code", map[string]any{"Value": code})
			return
		}
		r.MatchedBy = "code"
		if len(list) > 1 && name != "" {
			if named := intersect(list, in.Index.ByName(name)); len(named) > 0 {
				list = named
			}
		}
	case name != "":
		list = in.Index.ByName(name)
		if len(list) == 0 {
			r.refuse(sheet.OrgName, col, "unknown_name", map[string]any{"Value": name})
			return
		}
		r.MatchedBy = "name"
	default:
		r.refuse(sheet.OrgName, col, "no_organisation", nil)
		return
	}
	if len(list) == 1 {
		r.Org = list[0]
		return
	}
	// A known contact already of one of the candidates stays with it, so
	// that importing a file again changes nothing.
	if known := in.Known[strings.ToLower(strings.TrimSpace(get(sheet.Email)))]; known != nil {
		var theirs []*rencontres.Organisation
		for _, o := range list {
			for _, m := range known.Memberships {
				if m.OrgKey == o.Key && !m.Removed {
					theirs = append(theirs, o)
				}
			}
		}
		if len(theirs) == 1 {
			r.Org, r.MatchedBy = theirs[0], "contact"
			return
		}
	}
	r.Candidates = list[:min(len(list), MaxCandidates)]
	choice, chosen := in.Choices[r.Line]
	switch {
	case chosen && choice == Skip:
		if r.Status != Refused {
			r.Status = Skipped
		}
		return
	case chosen:
		for _, o := range list {
			if o.Key == choice {
				r.Org, r.MatchedBy = o, "choice"
				return
			}
		}
	}
	if r.Status != Refused {
		r.Status = Ambiguous
	}
}

func intersect(a, b []*rencontres.Organisation) []*rencontres.Organisation {
	var out []*rencontres.Organisation
	for _, o := range a {
		if slices.Contains(b, o) {
			out = append(out, o)
		}
	}
	return out
}

// compare merges what the file says into the known account, a blank cell
// keeping what is stored, and says whether anything changes.
func (r *Row) compare(known *rencontres.KnownContact) {
	u := &r.Contact
	if known == nil {
		r.Status = Created
		u.Role = rencontres.AuthorityContact
		if u.Lang == "" {
			u.Lang = rencontres.French
			if r.Org.Country == rencontres.Japan {
				u.Lang = rencontres.Japanese
			}
		}
		return
	}
	old := known.User
	merged := old
	for _, f := range []struct {
		name     string
		dst, src *string
	}{
		{"civility", &merged.Civility, &u.Civility}, {"name", &merged.Name, &u.Name}, {"name_ja", &merged.NameJa, &u.NameJa},
		{"kana", &merged.Kana, &u.Kana}, {"function", &merged.Function, &u.Function}, {"service", &merged.Service, &u.Service},
		{"address_form", &merged.AddressForm, &u.AddressForm}, {"postal_address", &merged.PostalAddress, &u.PostalAddress},
		{"phone", &merged.Phone, &u.Phone},
	} {
		if *f.src != "" && *f.src != *f.dst {
			*f.dst = *f.src
			r.Changes = append(r.Changes, f.name)
		}
	}
	if u.Lang != "" && u.Lang != merged.Lang {
		merged.Lang = u.Lang
		r.Changes = append(r.Changes, "lang")
	}
	member := false
	for _, m := range known.Memberships {
		if m.OrgKey != r.Org.Key {
			continue
		}
		member = !m.Removed
		if member && m.MainContact != r.MainContact {
			r.Changes = append(r.Changes, "main_contact")
		}
	}
	if !member {
		r.Changes = append(r.Changes, "organisation")
	}
	*u = merged
	r.Status = Unchanged
	if len(r.Changes) > 0 {
		r.Status = Updated
	}
}

// ParseCivility reads a civility as people write it.
func ParseCivility(s string) (string, bool) {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), ".")) {
	case "m", "mr", "monsieur", "mister", "男性", "m.":
		return "m", true
	case "mme", "madame", "mrs", "ms", "mlle", "mademoiselle", "女性":
		return "mme", true
	case "-", "":
		return "", true
	}
	return "", false
}

// ParseLang reads a language as a code or a name in any of the three.
func ParseLang(s string) (rencontres.Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "fr", "français", "francais", "french", "フランス語", "仏語":
		return rencontres.French, true
	case "ja", "jp", "japonais", "japanese", "日本語":
		return rencontres.Japanese, true
	case "en", "anglais", "english", "英語":
		return rencontres.English, true
	}
	return "", false
}

// ParseYes reads a yes or a no as a spreadsheet holds it.
func ParseYes(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "x", "oui", "yes", "true", "vrai", "1", "はい", "○", "◯", "●", "y", "o":
		return true, true
	case "non", "no", "false", "faux", "0", "いいえ", "×", "n", "-":
		return false, true
	}
	return false, false
}

// isJapanese reports whether s holds kanji or kana.
func isJapanese(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			return true
		}
	}
	return false
}

// sameDetails reports whether two rows describe a person alike.
func sameDetails(a, b rencontres.User) bool {
	return a.Civility == b.Civility && a.Name == b.Name && a.NameJa == b.NameJa && a.Kana == b.Kana && a.Function == b.Function &&
		a.Service == b.Service && a.AddressForm == b.AddressForm && a.PostalAddress == b.PostalAddress && a.Phone == b.Phone && a.Lang == b.Lang
}
