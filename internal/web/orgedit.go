package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// OrgForm is the data of the form that creates or edits an organisation.
type OrgForm struct {
	New bool
	// Org is the organisation edited; Fixed when it comes from the
	// reference data, whose key, kind, country and code do not change.
	Org    *rencontres.Organisation
	Fixed  bool
	Form   map[string]string
	Errors map[string]string
	Kinds  []rencontres.OrgKind
	// ParentCandidates are the organisations a parent typed may be.
	ParentCandidates []*rencontres.Organisation
}

// orgFormKinds are the kinds a new organisation may have: mostly the
// institutions no reference data holds, the authorities too (a commune
// merged since the last import), and the towns and provinces of other
// countries (rencontres.OrgKind.FitsCountry says which go with which).
var orgFormKinds = []rencontres.OrgKind{rencontres.Association, rencontres.ChamberOfCommerce, rencontres.IntlAssociation,
	rencontres.Ministry, rencontres.Agency, rencontres.Institution, rencontres.OtherKind, rencontres.Commune, rencontres.EPCI,
	rencontres.Departement, rencontres.Region, rencontres.Prefecture, rencontres.Municipality, rencontres.SpecialWard, rencontres.Ward,
	rencontres.City, rencontres.Province}

func (s *Site) orgFormPage(p *Page, d *OrgForm) (string, error) {
	d.Kinds = orgFormKinds
	if d.New {
		p.Title = p.P.T("org_form.new_title")
	} else {
		p.Title = p.P.T("org_form.edit_title", "Name", d.Org.Name.In(p.Lang))
	}
	p.Nav, p.Data = "directory", d
	return "org_form", nil
}

func (s *Site) newOrganisation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.orgFormPage(p, &OrgForm{New: true, Form: map[string]string{"kind": string(rencontres.Association), "country": "FR"},
		Errors: map[string]string{}})
}

// orgFormValues are the fields of the form showing o.
func orgFormValues(p *Page, o *rencontres.Organisation, parent string) map[string]string {
	f := map[string]string{
		"name_fr": o.Name[rencontres.French], "name_ja": o.Name[rencontres.Japanese], "name_en": o.Name[rencontres.English],
		"kana": o.Kana, "kind": string(o.Kind), "country": string(o.Country), "code": o.Code, "parent": parent,
		"address": o.Address, "website": o.Website, "languages": strings.Join(o.Languages, ", "), "notes": o.Notes,
	}
	if o.Population > 0 {
		f["population"] = strconv.FormatInt(o.Population, 10)
	}
	if o.Lat != nil && o.Lng != nil {
		f["lat"], f["lng"] = strconv.FormatFloat(*o.Lat, 'f', -1, 64), strconv.FormatFloat(*o.Lng, 'f', -1, 64)
	}
	if o.CUFJapanGroup {
		f["cuf_japan_group"] = "1"
	}
	return f
}

func (s *Site) editOrganisation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	o, err := s.svc.Organisation(r.Context(), r.PathValue("key"))
	if err != nil {
		return "", err
	}
	parent := ""
	if o.ParentKey != "" {
		parent = s.orgLabel(r.Context(), p, o.ParentKey)
	}
	d := &OrgForm{Org: o, Fixed: o.Source != rencontres.Local, Form: orgFormValues(p, o, parent), Errors: map[string]string{}}
	return s.orgFormPage(p, d)
}

// readOrganisation reads the form into an organisation, every fault next
// to its field in d.Errors: numbers that are not, the parent looked up by
// name, then what the domain checks.
func (s *Site) readOrganisation(r *http.Request, p *Page, d *OrgForm) (*rencontres.Organisation, error) {
	f := d.Form
	for _, k := range []string{"name_fr", "name_ja", "name_en", "kana", "kind", "country", "code", "parent", "population",
		"lat", "lng", "website", "languages", "cuf_japan_group"} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	for _, k := range []string{"address", "notes"} {
		f[k] = strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(k), "\r\n", "\n"))
	}
	o := &rencontres.Organisation{Name: rencontres.Text{}, Kana: f["kana"], Kind: rencontres.OrgKind(f["kind"]),
		Country: rencontres.Country(f["country"]), Code: f["code"], Address: f["address"], Website: f["website"],
		CUFJapanGroup: f["cuf_japan_group"] != "", Notes: f["notes"]}
	for _, l := range rencontres.Langs {
		if v := f["name_"+string(l)]; v != "" {
			o.Name[l] = v
		}
	}
	if d.Fixed {
		o.Kind, o.Country, o.Code = d.Org.Kind, d.Org.Country, d.Org.Code
	}
	fault := func(field string, e *rencontres.Error) {
		if _, taken := d.Errors[field]; !taken {
			d.Errors[field] = p.P.Error(e)
		}
	}
	if v := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", "", ".", "").Replace(f["population"]); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			fault("population", &rencontres.Error{Code: rencontres.EINVALID, Key: "org_form.not_a_number", Field: "population",
				Args: map[string]any{"Value": f["population"]}})
		}
		o.Population = n
	}
	if f["lat"] != "" || f["lng"] != "" {
		var coords [2]float64
		for i, k := range []string{"lat", "lng"} {
			v, err := strconv.ParseFloat(strings.ReplaceAll(f[k], ",", "."), 64)
			if err != nil {
				fault("coordinates", &rencontres.Error{Code: rencontres.EINVALID, Key: "org_form.not_a_number", Field: k,
					Args: map[string]any{"Value": f[k]}})
			}
			coords[i] = v
		}
		o.Lat, o.Lng = &coords[0], &coords[1]
	}
	for _, l := range strings.FieldsFunc(f["languages"], func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '、' }) {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !slices.Contains(o.Languages, l) {
			o.Languages = append(o.Languages, l)
		}
	}
	key, candidates, err := s.pickOrg(r.Context(), "parent", f["parent"])
	var e *rencontres.Error
	switch {
	case errors.As(err, &e):
		fault("parent", e)
		d.ParentCandidates = candidates
	case err != nil:
		return nil, err
	}
	o.ParentKey = key
	for _, e := range o.Problems() {
		fault(orgFormField(e.Field), e)
	}
	return o, nil
}

// orgFormField is the input a fault of an organisation is shown next to.
func orgFormField(field string) string {
	switch field {
	case "lat", "lng":
		return "coordinates"
	case "":
		return "form"
	}
	return field
}

func (s *Site) createOrganisation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.saveOrganisation(w, r, p, &OrgForm{New: true, Form: map[string]string{}, Errors: map[string]string{}})
}

func (s *Site) updateOrganisation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	o, err := s.svc.Organisation(r.Context(), r.PathValue("key"))
	if err != nil {
		return "", err
	}
	return s.saveOrganisation(w, r, p, &OrgForm{Org: o, Fixed: o.Source != rencontres.Local, Form: map[string]string{}, Errors: map[string]string{}})
}

// saveOrganisation stores the organisation of the form when nothing in it
// is wrong, and shows every fault at once otherwise.
func (s *Site) saveOrganisation(w http.ResponseWriter, r *http.Request, p *Page, d *OrgForm) (string, error) {
	o, err := s.readOrganisation(r, p, d)
	if err != nil {
		return "", err
	}
	if len(d.Errors) == 0 {
		if d.New {
			err = s.svc.CreateOrganisation(r.Context(), o)
		} else {
			err = s.svc.UpdateOrganisation(r.Context(), d.Org.Key, o)
		}
		if err != nil {
			var e *rencontres.Error
			if !errors.As(err, &e) || (e.Code != rencontres.EINVALID && e.Code != rencontres.ECONFLICT) {
				return "", err
			}
			for _, f := range e.All() {
				if field := orgFormField(f.Field); d.Errors[field] == "" {
					d.Errors[field] = p.P.Error(f)
				}
			}
		}
	}
	if len(d.Errors) > 0 {
		p.Status = httpcode.Of(rencontres.EINVALID)
		return s.orgFormPage(p, d)
	}
	action, done := "organisation.update", "saved"
	if d.New {
		action, done = "organisation.create", "created"
	}
	s.audit(r, action, "organisation", o.Key, nil)
	http.Redirect(w, r, p.Href("/organisations/"+o.Key+"?done="+done), http.StatusSeeOther)
	return "", nil
}

// revertOrganisationField gives a field its reference value back.
func (s *Site) revertOrganisationField(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	key, field := r.PathValue("key"), r.PostFormValue("field")
	if err := s.svc.RevertOrganisationField(r.Context(), key, field); err != nil {
		return "", err
	}
	s.audit(r, "organisation.revert", "organisation", key, map[string]any{"field": field})
	http.Redirect(w, r, p.Href("/organisations/"+key+"?done=reverted"), http.StatusSeeOther)
	return "", nil
}

// OrgMergeForm is the data of the form that merges another record into an
// organisation. Preview, once a record is chosen, is what the merge will
// do, shown before the person confirms it.
type OrgMergeForm struct {
	Org        *rencontres.Organisation
	Form       map[string]string
	Errors     map[string]string
	Candidates []*rencontres.Organisation
	Preview    *MergePreview
}

// MergePreview names the record chosen and the kept record's empty fields
// that it will fill (rencontres.Organisation.FillFrom).
type MergePreview struct {
	From   *rencontres.Organisation
	Filled []string
}

func (s *Site) mergePage(p *Page, d *OrgMergeForm) (string, error) {
	p.Title, p.Nav, p.Data = p.P.T("org_merge.title", "Name", d.Org.Name.In(p.Lang)), "directory", d
	return "org_merge", nil
}

func (s *Site) mergeForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	o, err := s.svc.Organisation(r.Context(), r.PathValue("key"))
	if err != nil {
		return "", err
	}
	return s.mergePage(p, &OrgMergeForm{Org: o, Form: map[string]string{}, Errors: map[string]string{}})
}

// mergeOrganisations shows what merging the record chosen into this one
// will do (step=preview, the form's first button), then merges it; a
// refusal (itself, different official codes unconfirmed) is shown by its
// field.
func (s *Site) mergeOrganisations(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	o, err := s.svc.Organisation(r.Context(), r.PathValue("key"))
	if err != nil {
		return "", err
	}
	d := &OrgMergeForm{Org: o, Form: map[string]string{"from": strings.TrimSpace(r.PostFormValue("from")),
		"confirm": r.PostFormValue("confirm")}, Errors: map[string]string{}}
	from, candidates, err := s.pickOrg(r.Context(), "from", d.Form["from"])
	if err == nil && from == "" {
		err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "from", Message: "required"}
	}
	if err == nil && from == o.Key {
		err = &rencontres.Error{Code: rencontres.EINVALID, Key: "org_merge.self", Field: "from", Message: "an organisation cannot be merged with itself"}
	}
	if err == nil && r.PostFormValue("step") == "preview" {
		var other *rencontres.Organisation
		if other, err = s.svc.Organisation(r.Context(), from); err == nil {
			kept := *o
			kept.Name, kept.Reference = maps.Clone(o.Name), maps.Clone(o.Reference)
			kept.Languages = slices.Clone(o.Languages)
			if kept.ParentKey == other.Key {
				kept.ParentKey = ""
			}
			d.Form["from"] = other.Key
			d.Preview = &MergePreview{From: other, Filled: kept.FillFrom(other)}
			return s.mergePage(p, d)
		}
	}
	if err == nil {
		actor := auth.ActorFrom(r.Context())
		by := &rencontres.AuditEntry{IP: auth.ClientIP(r)}
		if actor.User != nil {
			by.ActorID, by.ActorEmail = actor.User.ID, actor.User.Email
		}
		_, err = s.svc.MergeOrganisations(r.Context(), o.Key, from, d.Form["confirm"] != "", by)
	}
	if err != nil {
		d.Candidates = candidates
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.mergePage(p, d)
	}
	http.Redirect(w, r, p.Href("/organisations/"+o.Key+"?done=merged"), http.StatusSeeOther)
	return "", nil
}

// FieldLabel names a field of an organisation (rencontres.MergeFillFields)
// as its form labels it.
func (p *Page) FieldLabel(field string) string {
	return p.P.T("org_form." + strings.ReplaceAll(field, ".", "_"))
}

// mergedRedirect sends a page of an organisation merged into another
// (its public page, its private page and the pages under it), which
// answered err, to the same page of the organisation it was merged into,
// for good (301); after a chain of merges, to the last one kept. It
// reports whether it did. A merged key never comes back, so a key that
// resolves is one that no longer exists; an authority contact bound to the
// removed record now is to the kept one, so a refusal leads there too.
func (s *Site) mergedRedirect(w http.ResponseWriter, r *http.Request, err error) bool {
	key := r.PathValue("key")
	if code := rencontres.ErrorCode(err); key == "" || !strings.Contains(r.Pattern, "/organisations/{key}") ||
		code != rencontres.ENOTFOUND && code != rencontres.EFORBIDDEN {
		return false
	}
	kept, merr := s.svc.MergedInto(r.Context(), key)
	if merr != nil {
		return false
	}
	from := "/organisations/" + url.PathEscape(key)
	path := r.URL.EscapedPath()
	i := strings.Index(path, from)
	if i < 0 || len(path) > i+len(from) && path[i+len(from)] != '/' {
		return false
	}
	target := path[:i] + "/organisations/" + url.PathEscape(kept) + path[i+len(from):]
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return true
}

// RefNote is the reference value of a field the secretariat changed, shown
// beside the field on the organisation's page, with a way back to it for
// those who keep the directory.
type RefNote struct {
	Key, Field, Value string
	Manage            bool
}

// RefNote returns the note of o's field, or nil when the field keeps its
// reference value.
func (p *Page) RefNote(o *rencontres.Organisation, field string) *RefNote {
	v, ok := o.Reference[field]
	if !ok {
		return nil
	}
	return &RefNote{Key: o.Key, Field: field, Value: v, Manage: p.CanManageDirectory()}
}

// LangName names a language code in the page's language: ja is
// « japonais », 日本語, Japanese.
func (p *Page) LangName(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	if n := display.Tags(language.Make(string(p.Lang))).Name(t); n != "" {
		return n
	}
	return code
}

// CanManageDirectory reports whether the reader keeps the directory: the
// pages then link to the forms that edit and merge its records.
func (p *Page) CanManageDirectory() bool {
	return p.Actor.Can(rencontres.ManageDirectory, rencontres.Target{})
}
