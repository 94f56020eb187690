package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// AmendmentForm is the form that proposes an amendment to a segment: the
// segment's current text in both languages, the kind, the text in one's
// language, the justification.
type AmendmentForm struct {
	Decl    *rencontres.Declaration
	Seg     *rencontres.Segment
	Orgs    []string
	Kinds   []rencontres.AmendmentKind
	SegKind []rencontres.SegmentKind
	Form    map[string]string
	Errors  map[string]string
	// Rebased: the segment changed while the amendment was written; its
	// current text is shown, the author's text kept.
	Rebased bool
}

// amendLang is the language an author writes in by default: the page's
// when French or Japanese, else their account's.
func amendLang(p *Page) rencontres.Lang {
	if p.Lang == rencontres.French || p.Lang == rencontres.Japanese {
		return p.Lang
	}
	if p.Actor.User != nil && p.Actor.User.Lang == rencontres.Japanese {
		return rencontres.Japanese
	}
	return rencontres.French
}

// amendmentFormPage loads the declaration and the segment the form
// amends; a segment gone or the period closed is said on the form.
func (s *Site) amendmentFormPage(r *http.Request, p *Page, f *AmendmentForm, segID int64) (string, error) {
	id, err := pathID(r, "declaration")
	if err != nil {
		return "", err
	}
	d, rights, err := declaration.LoadDeclaration(r.Context(), s.declarations, p.Actor, id)
	if err != nil {
		return "", err
	}
	if len(rights.For) == 0 {
		return "", declaration.Forbidden
	}
	f.Decl, f.Orgs, f.Kinds, f.SegKind = d, rights.For, rencontres.AmendmentKinds, rencontres.SegmentKinds
	f.Seg = declaration.Segment(d, segID)
	if f.Form == nil {
		f.Form = map[string]string{}
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if f.Seg == nil {
		if _, ok := f.Errors["segment"]; !ok {
			f.Errors["segment"] = p.P.T("amendment.error_segment_gone")
		}
		p.Status = http.StatusNotFound
	} else if f.Form["base_version"] == "" || f.Rebased {
		f.Form["base_version"] = strconv.FormatInt(f.Seg.Version, 10)
	}
	if !d.AmendingAt(amendNow()) {
		if _, ok := f.Errors["form"]; !ok {
			f.Errors["form"] = p.P.T("amendment.period_closed_note")
		}
	}
	if f.Form["lang"] == "" {
		f.Form["lang"] = string(amendLang(p))
	}
	if f.Form["kind"] == "" {
		f.Form["kind"] = string(rencontres.AmendChange)
	}
	if f.Form["text"] == "" && f.Seg != nil && f.Form["kind"] == string(rencontres.AmendChange) && len(f.Errors) == 0 {
		f.Form["text"] = f.Seg.Text[rencontres.Lang(f.Form["lang"])]
	}
	if err := s.loadOrgs(r.Context(), p, f.Orgs...); err != nil {
		return "", err
	}
	p.Title, p.Data = p.P.T("amendment.new_title"), f
	return "declaration_amendment_form", nil
}

func (s *Site) newAmendment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q := r.URL.Query()
	seg, _ := strconv.ParseInt(q.Get("segment"), 10, 64)
	f := &AmendmentForm{Form: map[string]string{"kind": q.Get("kind")}}
	if !slices.Contains(rencontres.AmendmentKinds, rencontres.AmendmentKind(f.Form["kind"])) {
		f.Form["kind"] = string(rencontres.AmendChange)
	}
	return s.amendmentFormPage(r, p, f, seg)
}

func (s *Site) createAmendment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := pathID(r, "declaration")
	if err != nil {
		return "", err
	}
	d, rights, err := declaration.LoadDeclaration(r.Context(), s.declarations, p.Actor, id)
	if err != nil {
		return "", err
	}
	f := &AmendmentForm{Form: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"organisation", "kind", "segment", "base_version", "lang", "text", "new_kind", "justification"} {
		f.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	segID, _ := strconv.ParseInt(f.Form["segment"], 10, 64)
	base, _ := strconv.ParseInt(f.Form["base_version"], 10, 64)
	org, err := chosenOrg(r, rights, nil)
	if err == declaration.Forbidden {
		return "", err
	} else if err != nil {
		f.Errors["organisation"] = p.P.Error(err)
		p.Status = http.StatusBadRequest
		return s.amendmentFormPage(r, p, f, segID)
	}
	lang := rencontres.Lang(f.Form["lang"])
	a := &rencontres.Amendment{DeclarationID: d.ID, SegmentID: segID, BaseVersion: base, Kind: rencontres.AmendmentKind(f.Form["kind"]),
		NewKind: rencontres.SegmentKind(f.Form["new_kind"]), OrgKey: org, Lang: lang,
		Text: rencontres.Text{lang: f.Form["text"]}, Justification: rencontres.Text{lang: f.Form["justification"]}}
	if base == 0 {
		a.BaseVersion = -1 // the form always names the version read
	}
	if err := s.declarations.ProposeAmendment(r.Context(), a, p.Actor.User.ID, amendNow()); err != nil {
		var e *rencontres.Error
		if errors.As(err, &e) && e.Key == "amendment.error_rebase" {
			f.Rebased = true
		}
		if ferr := faultsBeside(p, err, f.Errors); ferr != nil {
			return "", ferr
		}
		return s.amendmentFormPage(r, p, f, segID)
	}
	s.audit(r, "amendment.propose", "amendment", strconv.FormatInt(a.ID, 10), map[string]any{"segment": segID, "kind": a.Kind})
	http.Redirect(w, r, p.Href("/amendments/"+strconv.FormatInt(a.ID, 10)+"?done=proposed"), http.StatusSeeOther)
	return "", nil
}

// MergeForm is the committee's form that merges amendments of one
// segment into its own, applied at once.
type MergeForm struct {
	Decl     *rencontres.Declaration
	Segments []*rencontres.Segment // those with amendments to decide
	Seg      *rencontres.Segment
	Amends   []*rencontres.Amendment
	Chosen   []int64
	Kinds    []rencontres.AmendmentKind
	SegKind  []rencontres.SegmentKind
	Form     map[string]string
	Errors   map[string]string
}

// Picked reports whether an amendment is ticked.
func (f *MergeForm) Picked(id int64) bool { return slices.Contains(f.Chosen, id) }

// declarationToDecide reads the declaration of the path for one who
// decides its amendments (the merge form and its post).
func (s *Site) declarationToDecide(r *http.Request, p *Page) (*rencontres.Declaration, error) {
	id, err := pathID(r, "declaration")
	if err != nil {
		return nil, err
	}
	d, rights, err := declaration.LoadDeclaration(r.Context(), s.declarations, p.Actor, id)
	if err != nil {
		return nil, err
	}
	if !rights.Decides(d, nil) {
		return nil, declaration.Forbidden
	}
	return d, nil
}

func (s *Site) mergeFormPage(r *http.Request, p *Page, f *MergeForm, segID int64) (string, error) {
	d, err := s.declarationToDecide(r, p)
	if err != nil {
		return "", err
	}
	all, err := s.declarations.Amendments(r.Context(), d.ID)
	if err != nil {
		return "", err
	}
	f.Decl, f.Kinds, f.SegKind = d, rencontres.AmendmentKinds, rencontres.SegmentKinds
	if f.Form == nil {
		f.Form = map[string]string{}
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	var keys []string
	for _, g := range d.Segments {
		has := slices.ContainsFunc(all, func(a *rencontres.Amendment) bool {
			return a.SegmentID == g.ID && a.State == rencontres.AmendmentProposed
		})
		if has && !g.Deleted {
			f.Segments = append(f.Segments, g)
		}
	}
	if f.Seg = declaration.Segment(d, segID); f.Seg == nil && len(f.Segments) > 0 && segID == 0 {
		f.Seg = f.Segments[0]
	}
	if f.Seg != nil {
		for _, a := range all {
			if a.SegmentID == f.Seg.ID && a.State == rencontres.AmendmentProposed {
				f.Amends = append(f.Amends, a)
				keys = append(keys, a.OrgKey)
			}
		}
		if f.Form["base_version"] == "" {
			f.Form["base_version"] = strconv.FormatInt(f.Seg.Version, 10)
		}
		for _, l := range rencontres.DeclarationLangs {
			if f.Form["text_"+string(l)] == "" && len(f.Errors) == 0 {
				f.Form["text_"+string(l)] = f.Seg.Text[l]
			}
		}
	}
	if f.Form["kind"] == "" {
		f.Form["kind"] = string(rencontres.AmendChange)
	}
	if err := s.loadOrgs(r.Context(), p, keys...); err != nil {
		return "", err
	}
	p.Title, p.Data = p.P.T("amendment.merge_title"), f
	return "declaration_amendment_merge", nil
}

func (s *Site) mergeAmendmentsForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	seg, _ := strconv.ParseInt(r.URL.Query().Get("segment"), 10, 64)
	return s.mergeFormPage(r, p, &MergeForm{}, seg)
}

func (s *Site) mergeAmendments(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	if _, err := s.declarationToDecide(r, p); err != nil {
		return "", err
	}
	f := &MergeForm{Form: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"segment", "base_version", "kind", "new_kind", "text_fr", "text_ja", "justification"} {
		f.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	r.ParseForm()
	for _, v := range r.PostForm["amendment"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			f.Chosen = append(f.Chosen, n)
		}
	}
	segID, _ := strconv.ParseInt(f.Form["segment"], 10, 64)
	base, _ := strconv.ParseInt(f.Form["base_version"], 10, 64)
	m := &rencontres.Amendment{Kind: rencontres.AmendmentKind(f.Form["kind"]), NewKind: rencontres.SegmentKind(f.Form["new_kind"]),
		BaseVersion: base, Lang: amendLang(p),
		Text:          rencontres.Text{rencontres.French: f.Form["text_fr"], rencontres.Japanese: f.Form["text_ja"]},
		Justification: rencontres.Text{p.Lang: f.Form["justification"]}}
	newID, err := s.declarations.MergeAmendments(r.Context(), f.Chosen, m, p.Actor.User.ID, amendNow())
	if err != nil {
		if ferr := faultsBeside(p, err, f.Errors); ferr != nil {
			return "", ferr
		}
		return s.mergeFormPage(r, p, f, segID)
	}
	s.audit(r, "amendment.merge", "amendment", strconv.FormatInt(newID, 10), map[string]any{"merged": f.Chosen})
	http.Redirect(w, r, p.Href("/amendments/"+strconv.FormatInt(newID, 10)+"?done=merged"), http.StatusSeeOther)
	return "", nil
}
