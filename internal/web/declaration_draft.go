package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The draft of an edition's final declaration (issue 16): the
// secretariat's form to start it, the working page (the segments side by
// side, French | Japanese, English below when present; a drafter's form
// per segment), a segment's page with its history, the history of the
// whole text and the text as it stood after a change. Who reads and who
// drafts is internal/declaration's, as in the API. A save against a
// version someone else replaced shows their text beside one's own, both
// kept.

// registerDeclarationDraft adds the routes of the draft.
func (s *Site) registerDeclarationDraft(route func(method, path string, perm rencontres.Permission, h handlerFunc)) {
	route("GET", "/events/{event}/declaration", rencontres.ReadDeclarations, s.eventDeclaration)
	route("POST", "/events/{event}/declaration", rencontres.DraftDeclarations, s.startDeclaration)
	route("GET", "/declarations/{declaration}", rencontres.ReadDeclarations, s.declarationPage)
	route("POST", "/declarations/{declaration}/segments", rencontres.DraftDeclarations, s.addSegment)
	route("GET", "/declarations/{declaration}/segments/{segment}", rencontres.ReadDeclarations, s.segmentPage)
	route("POST", "/declarations/{declaration}/segments/{segment}", rencontres.DraftDeclarations, s.saveSegment)
	route("POST", "/declarations/{declaration}/segments/{segment}/delete", rencontres.DraftDeclarations, s.deleteSegment)
	route("POST", "/declarations/{declaration}/segments/{segment}/confirm", rencontres.DraftDeclarations, s.confirmSegment)
	route("GET", "/declarations/{declaration}/history", rencontres.ReadDeclarations, s.declarationHistory)
	route("GET", "/declarations/{declaration}/history/{rev}", rencontres.ReadDeclarations, s.declarationAt)
	route("POST", "/declarations/{declaration}/versions/{version}/restore", rencontres.DraftDeclarations, s.restoreVersion)
	route("POST", "/declarations/{declaration}/period", rencontres.DraftDeclarations, s.setPeriod)
}

// DeclStart is the secretariat's form to start an edition's declaration.
type DeclStart struct {
	Event  *rencontres.Event
	Title  string
	Form   map[string]string
	Errors map[string]string
}

// DraftPage is the working page of a declaration.
type DraftPage struct {
	Decl   *rencontres.Declaration
	Event  *rencontres.Event
	Title  string
	Drafts bool
	Rows   []*SegmentRow
	Kinds  []rencontres.SegmentKind
	// Period is the amendment period's form, on the edition's clock;
	// Opens and Closes the period as set, in both zones.
	Period                                         map[string]string
	Opens, OpensElsewhere, Closes, ClosesElsewhere string
	Errors                                         map[string]string
	Done                                           string
	// NewInputs are the texts of the form adding a segment first.
	NewInputs []TextInput
}

// SegmentRow is a segment on the page, with its form: what was typed when
// a save failed, and on a conflict the other's text beside it.
type SegmentRow struct {
	Seg    *rencontres.Segment
	Form   map[string]string
	Errors map[string]string
	Theirs *rencontres.Segment
	View   SegmentView
}

// SegmentView is what a segment's forms need beyond the segment: built
// by finish.
type SegmentView struct {
	DeclID int64
	From   string // the page a write comes back to: draft or segment
	Kinds  []rencontres.SegmentKind
	// Cols are the segment's languages as shown: French and Japanese,
	// English when present.
	Cols []SegmentCol
	// Inputs are the edit form's texts; AddInputs, those of a segment
	// added after it.
	Inputs, AddInputs []TextInput
	// Confirm lists the languages marked to check that have a text.
	Confirm []rencontres.Lang
}

// SegmentCol is a language of a segment: its text and, when the segment
// is marked, the "translation to check" label in that language.
type SegmentCol struct {
	Lang  rencontres.Lang
	Text  string
	Check string
}

// TextInput is a text area of a segment's form in one language.
type TextInput struct {
	ID, Name     string
	Lang         rencontres.Lang
	Label, Value string
	Error        string
	Optional     bool
}

// textInputs are the text areas of a segment's form, ids prefixed.
func textInputs(p *Page, prefix string, form, errs map[string]string) []TextInput {
	var out []TextInput
	for _, l := range rencontres.Langs {
		name := "text_" + string(l)
		out = append(out, TextInput{ID: prefix + "-" + name, Name: name, Lang: l, Label: p.LangName(string(l)),
			Value: form[name], Error: errs[name], Optional: l == rencontres.English})
	}
	return out
}

// finish builds a row's view on the page from.
func (s *Site) finish(p *Page, row *SegmentRow, declID int64, from string) {
	sg := row.Seg
	v := &row.View
	v.DeclID, v.From, v.Kinds = declID, from, rencontres.SegmentKinds
	v.Cols, v.Confirm = nil, nil
	for _, l := range rencontres.Langs {
		if l == rencontres.English && sg.Text[l] == "" {
			continue
		}
		// The mark is shown in every language of the segment, each in
		// its own, so that a reader of either side sees it.
		c := SegmentCol{Lang: l, Text: sg.Text[l]}
		if sg.NeedsCheck() {
			c.Check = s.cat.Printer(l).T("declaration.to_check")
		}
		if slices.Contains(sg.Check, l) && sg.Text[l] != "" {
			v.Confirm = append(v.Confirm, l)
		}
		v.Cols = append(v.Cols, c)
	}
	v.Inputs = textInputs(p, fmt.Sprintf("seg-%d", sg.ID), row.Form, row.Errors)
	v.AddInputs = textInputs(p, fmt.Sprintf("add-%d", sg.ID), nil, nil)
}

func (s *Site) pathDeclaration(r *http.Request, p *Page) (*rencontres.Declaration, bool, error) {
	id, err := strconv.ParseInt(r.PathValue("declaration"), 10, 64)
	if err != nil {
		return nil, false, rencontres.NotFound("declaration")
	}
	return declaration.Open(r.Context(), s.declarations, p.Actor, id)
}

func segmentRow(sg *rencontres.Segment) *SegmentRow {
	f := map[string]string{"version": strconv.FormatInt(sg.Version, 10), "kind": string(sg.Kind)}
	for _, l := range rencontres.Langs {
		f["text_"+string(l)] = sg.Text[l]
	}
	return &SegmentRow{Seg: sg, Form: f, Errors: map[string]string{}}
}

func (s *Site) eventDeclaration(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	if e.Kind != rencontres.EditionEvent {
		return "", rencontres.NotFound("declaration")
	}
	d, err := s.declarations.DeclarationOfEdition(r.Context(), e.ID)
	switch {
	case err == nil:
		if ok, err := declaration.Reads(r.Context(), s.declarations, p.Actor, e.ID); err != nil {
			return "", err
		} else if !ok {
			return "", rencontres.NotFound("declaration")
		}
		http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d", d.ID)), http.StatusSeeOther)
		return "", nil
	case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return "", err
	case !declaration.Starts(p.Actor):
		return "", rencontres.NotFound("declaration")
	}
	return s.startForm(p, &DeclStart{Event: e, Form: map[string]string{}, Errors: map[string]string{}})
}

func (s *Site) startForm(p *Page, d *DeclStart) (string, error) {
	d.Title = p.EventTitleText(d.Event)
	p.Title, p.Nav, p.Data = p.P.T("declaration.start_title", "Edition", d.Title), "events", d
	return "declaration_start", nil
}

func (s *Site) startDeclaration(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	if !declaration.Starts(p.Actor) {
		// Only the secretariat has the form, as the GET tells.
		return "", rencontres.NotFound("declaration")
	}
	d := &rencontres.Declaration{EditionID: e.ID, Title: formText(r, "title")}
	form := &DeclStart{Event: e, Form: map[string]string{}, Errors: map[string]string{}}
	for _, l := range rencontres.Langs {
		form.Form["title_"+string(l)] = d.Title[l]
	}
	if d.Title.IsZero() {
		d.Title = rencontres.Text{}
		for _, l := range rencontres.Langs {
			pr := s.cat.Printer(l)
			d.Title[l] = pr.T("declaration.default_title", "Edition", (&Page{P: pr, Lang: l}).EventTitleText(e))
		}
	}
	if err := s.declarations.StartDeclaration(r.Context(), d, p.Actor.User.ID, time.Now()); err != nil {
		if err := formError(p, err, form.Errors); err != nil {
			return "", err
		}
		return s.startForm(p, form)
	}
	s.audit(r, "declaration.start", "declaration", strconv.FormatInt(d.ID, 10), map[string]any{"edition": e.ID})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d?done=started", d.ID)), http.StatusSeeOther)
	return "", nil
}

// draftPage fills the working page of d; rows replaces the rows of the
// segments it holds (a failed save's form).
func (s *Site) draftPage(r *http.Request, p *Page, d *rencontres.Declaration, drafts bool, rows map[int64]*SegmentRow, errs map[string]string) (string, error) {
	e, err := s.events.Event(r.Context(), d.EditionID)
	if err != nil {
		return "", err
	}
	pg := &DraftPage{Decl: d, Event: e, Title: d.Title.In(p.Lang), Drafts: drafts, Kinds: rencontres.SegmentKinds,
		Period: map[string]string{}, Errors: errs, Done: r.URL.Query().Get("done")}
	if pg.Errors == nil {
		pg.Errors = map[string]string{}
	}
	for _, sg := range d.Segments {
		row, ok := rows[sg.ID]
		if ok {
			row.Seg = sg
		} else {
			row = segmentRow(sg)
		}
		s.finish(p, row, d.ID, "draft")
		pg.Rows = append(pg.Rows, row)
	}
	newForm, newErrs := map[string]string{}, map[string]string{}
	for k, v := range pg.Errors {
		if f, ok := strings.CutPrefix(k, "new_form_"); ok {
			newForm[f] = v
		} else if f, ok := strings.CutPrefix(k, "new_"); ok {
			newErrs[f] = v
		}
	}
	pg.NewInputs = textInputs(p, "new", newForm, newErrs)
	loc := e.Location()
	if d.AmendOpens != nil && d.AmendCloses != nil {
		pg.Period["opens"], pg.Period["closes"] = d.AmendOpens.In(loc).Format(localLayout), d.AmendCloses.In(loc).Format(localLayout)
		pg.Opens, pg.OpensElsewhere = bothZones(p, *d.AmendOpens, e)
		pg.Closes, pg.ClosesElsewhere = bothZones(p, *d.AmendCloses, e)
	}
	if f, ok := rows[0]; ok {
		pg.Period = f.Form
	}
	p.Title, p.Nav, p.Data = pg.Title, "events", pg
	return "declaration_draft", nil
}

func (s *Site) declarationPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, drafts, err := s.pathDeclaration(r, p)
	if err != nil {
		return "", err
	}
	return s.draftPage(r, p, d, drafts, nil, nil)
}

// openToDraft reads the declaration a write names, for one who drafts it.
func (s *Site) openToDraft(r *http.Request, p *Page) (*rencontres.Declaration, error) {
	d, drafts, err := s.pathDeclaration(r, p)
	if err != nil {
		return nil, err
	}
	if !drafts {
		return nil, &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "declaration.err_not_drafter", Message: "only the joint committee and the secretariat edit the draft"}
	}
	return d, nil
}

// readSegment reads a segment's form.
func readSegment(r *http.Request) (*rencontres.Segment, map[string]string) {
	sg := &rencontres.Segment{Kind: rencontres.SegmentKind(r.PostFormValue("kind")), Text: rencontres.Text{}}
	form := map[string]string{"kind": r.PostFormValue("kind"), "version": r.PostFormValue("version")}
	for _, l := range rencontres.Langs {
		v := r.PostFormValue("text_" + string(l))
		form["text_"+string(l)] = v
		sg.Text[l] = v
	}
	sg.Version, _ = strconv.ParseInt(form["version"], 10, 64)
	return sg, form
}

// afterValue reads the "after" field: a segment's id, or 0.
func afterValue(r *http.Request) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("after")), 10, 64)
	return n
}

func (s *Site) addSegment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.openToDraft(r, p)
	if err != nil {
		return "", err
	}
	sg, form := readSegment(r)
	after := afterValue(r)
	if err := s.declarations.SaveSegment(r.Context(), d.ID, sg, max(after, 0), p.Actor.User.ID, time.Now()); err != nil {
		errs := map[string]string{}
		if err := formError(p, err, errs); err != nil {
			return "", err
		}
		for k, v := range errs {
			errs["new_"+k] = v
		}
		errs["new_after"] = strconv.FormatInt(after, 10)
		for k, v := range form {
			errs["new_form_"+k] = v
		}
		return s.draftPage(r, p, d, true, nil, errs)
	}
	s.audit(r, "declaration.segment_add", "declaration", strconv.FormatInt(d.ID, 10), map[string]any{"segment": sg.ID})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d?done=added#segment-%d", d.ID, sg.ID)), http.StatusSeeOther)
	return "", nil
}

func pathSegment(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.PathValue("segment"), 10, 64)
	return n
}

// segmentFailed shows a segment's failed write again: the page (or the
// segment's page) with what was typed, its faults and, on a conflict, the
// other's text, the version to save against being theirs.
func (s *Site) segmentFailed(r *http.Request, p *Page, d *rencontres.Declaration, segID int64, form map[string]string, err error) (string, error) {
	row := &SegmentRow{Form: form, Errors: map[string]string{}}
	var c *rencontres.SegmentConflict
	if errors.As(err, &c) {
		row.Theirs = c.Current
		row.Form["version"] = strconv.FormatInt(c.Current.Version, 10)
		row.Errors["form"] = p.P.Error(c.Err)
		p.Status = http.StatusConflict
	} else if err := formError(p, err, row.Errors); err != nil {
		return "", err
	}
	fresh, err := s.declarations.Declaration(r.Context(), d.ID)
	if err != nil {
		return "", err
	}
	if r.PostFormValue("from") == "segment" {
		return s.segmentView(r, p, fresh, true, segID, row)
	}
	return s.draftPage(r, p, fresh, true, map[int64]*SegmentRow{segID: row}, nil)
}

func (s *Site) saveSegment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.openToDraft(r, p)
	if err != nil {
		return "", err
	}
	sg, form := readSegment(r)
	sg.ID = pathSegment(r)
	if err := s.declarations.SaveSegment(r.Context(), d.ID, sg, afterValue(r), p.Actor.User.ID, time.Now()); err != nil {
		return s.segmentFailed(r, p, d, sg.ID, form, err)
	}
	s.audit(r, "declaration.segment_save", "declaration", strconv.FormatInt(d.ID, 10), map[string]any{"segment": sg.ID, "version": sg.Version})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d?done=saved#segment-%d", d.ID, sg.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) deleteSegment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.openToDraft(r, p)
	if err != nil {
		return "", err
	}
	id := pathSegment(r)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := s.declarations.DeleteSegment(r.Context(), d.ID, id, version, p.Actor.User.ID, time.Now()); err != nil {
		var c *rencontres.SegmentConflict
		if errors.As(err, &c) {
			return s.segmentFailed(r, p, d, id, segmentRow(c.Current).Form, err)
		}
		return s.segmentFailed(r, p, d, id, map[string]string{}, err)
	}
	s.audit(r, "declaration.segment_delete", "declaration", strconv.FormatInt(d.ID, 10), map[string]any{"segment": id})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d?done=deleted", d.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) confirmSegment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.openToDraft(r, p)
	if err != nil {
		return "", err
	}
	id := pathSegment(r)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	lang, ok := rencontres.ParseLang(r.PostFormValue("lang"))
	if !ok {
		return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_language", Field: "lang", Message: "unknown language", Args: map[string]any{"Lang": r.PostFormValue("lang")}}
	}
	if err := s.declarations.ConfirmTranslation(r.Context(), d.ID, id, version, lang, p.Actor.User.ID, time.Now()); err != nil {
		cur, rerr := s.declarations.Declaration(r.Context(), d.ID)
		if rerr != nil {
			return "", rerr
		}
		form := map[string]string{}
		for _, sg := range cur.Segments {
			if sg.ID == id {
				form = segmentRow(sg).Form
			}
		}
		return s.segmentFailed(r, p, d, id, form, err)
	}
	s.audit(r, "declaration.confirm", "declaration", strconv.FormatInt(d.ID, 10), map[string]any{"segment": id, "lang": lang})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d?done=confirmed#segment-%d", d.ID, id)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) setPeriod(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.openToDraft(r, p)
	if err != nil {
		return "", err
	}
	e, err := s.events.Event(r.Context(), d.EditionID)
	if err != nil {
		return "", err
	}
	form := map[string]string{"opens": strings.TrimSpace(r.PostFormValue("opens")), "closes": strings.TrimSpace(r.PostFormValue("closes"))}
	var opens, closes *time.Time
	var errs []error
	for name, dst := range map[string]**time.Time{"opens": &opens, "closes": &closes} {
		if form[name] == "" {
			continue
		}
		t, err := parseLocal(form[name], e.Location(), name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*dst = &t
	}
	err = rencontres.Join(errs...)
	if err == nil {
		err = s.declarations.SetAmendmentPeriod(r.Context(), d.ID, opens, closes, time.Now())
	}
	if err != nil {
		fields := map[string]string{}
		if err := formError(p, err, fields); err != nil {
			return "", err
		}
		out := map[string]string{}
		for k, v := range fields {
			switch k {
			case "amendments_open_at":
				k = "opens"
			case "amendments_close_at":
				k = "closes"
			}
			out["period_"+k] = v
		}
		return s.draftPage(r, p, d, true, map[int64]*SegmentRow{0: {Form: form}}, out)
	}
	s.audit(r, "declaration.period", "declaration", strconv.FormatInt(d.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d?done=period", d.ID)), http.StatusSeeOther)
	return "", nil
}
