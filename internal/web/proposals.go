package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/practice"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The proposal form: an authority's contact proposes a good practice to a
// call for its authority, or changes its proposal until the deadline.

// maxTypedPresenters and maxOrgRows are the rows the form offers for
// presenters typed by name and for the other authorities.
const (
	maxTypedPresenters = 3
	maxOrgRows         = 4
)

// PresenterRow is a presenter typed by name.
type PresenterRow struct {
	Index            int
	Person, Function string
}

// OrgRow is another authority of the proposal, typed by name.
type OrgRow struct {
	Index      int
	Value      string
	Role       rencontres.ProposalOrgRole
	Candidates []*rencontres.Organisation
}

// WorkshopOption is a workshop of the call, by number.
type WorkshopOption struct {
	N     int
	Title rencontres.Text
}

// ProposalForm is the data of the proposal form.
type ProposalForm struct {
	Call     *rencontres.Call
	Event    *rencontres.Event
	Proposal *rencontres.Proposal // nil for a new one
	Title    string
	// Orgs are the authorities the reader may propose for; Lead the one
	// chosen.
	Orgs      []string
	Lead      string
	Form      map[string]string
	Errors    map[string]string
	Workshops []WorkshopOption
	SDGs      []rencontres.SDG
	Goals     map[int]bool
	// Contacts are the lead authority's contacts, who may present it;
	// Chosen those chosen.
	Contacts   []*rencontres.Contact
	Chosen     map[int64]bool
	Typed      []PresenterRow
	OrgRows    []OrgRow
	Roles      []rencontres.ProposalOrgRole
	Twins      []*rencontres.Organisation
	Questions  []rencontres.Question
	Documents  []*rencontres.Document
	Deadline   string
	Elsewhere  string
	Staff      bool
	MaxUpload  int
	Candidates bool
	// LeadValue is the authority as the secretariat typed it, and
	// LeadCandidates those its name matched.
	LeadValue      string
	LeadCandidates []*rencontres.Organisation
}

// Answer is the answer given to question key.
func (d *ProposalForm) Answer(key string) string { return d.Form["answer_"+key] }

// FormValue is the value of a field of the form.
func (d *ProposalForm) FormValue(name string) string { return d.Form[name] }

func (s *Site) pathProposal(r *http.Request, p *Page) (*rencontres.Proposal, *rencontres.Call, *rencontres.Event, error) {
	id, err := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	if err != nil {
		return nil, nil, nil, rencontres.NotFound("proposal")
	}
	pr, err := s.prac.Proposal(r.Context(), p.Actor, id)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := s.prac.Call(r.Context(), pr.CallID)
	if err != nil {
		return nil, nil, nil, err
	}
	e, err := s.events.Event(r.Context(), c.EventID)
	return pr, c, e, err
}

// proposalOrgs are the authorities the reader may propose for.
func proposalOrgs(p *Page) []string {
	if p.Actor.User == nil {
		return nil
	}
	return p.Actor.User.OrgKeys
}

func (s *Site) newProposal(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, e, err := s.pathCall(r)
	if err != nil {
		return "", err
	}
	d := &ProposalForm{Call: c, Event: e, Form: map[string]string{}, Errors: map[string]string{}, Goals: map[int]bool{}, Chosen: map[int64]bool{}}
	d.Lead = r.URL.Query().Get("org")
	if d.Lead == "" && len(proposalOrgs(p)) > 0 {
		d.Lead = proposalOrgs(p)[0]
	}
	if u := p.Actor.User; u != nil {
		d.Form["contact_name"], d.Form["contact_email"] = u.Name, u.Email
	}
	return s.proposalFormPage(r, p, d)
}

func (s *Site) editProposal(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pr, c, e, err := s.pathProposal(r, p)
	if err != nil {
		return "", err
	}
	ok, _, err := s.prac.MayEdit(r.Context(), p.Actor, pr)
	if err != nil {
		return "", err
	}
	if !ok {
		http.Redirect(w, r, p.Href(fmt.Sprintf("/proposals/%d", pr.ID)), http.StatusSeeOther)
		return "", nil
	}
	d := &ProposalForm{Call: c, Event: e, Proposal: pr, Lead: pr.Lead(), Form: proposalValues(pr, p.Lang), Errors: map[string]string{},
		Goals: map[int]bool{}, Chosen: map[int64]bool{}}
	for _, n := range pr.SDGs {
		d.Goals[n] = true
	}
	for _, x := range pr.Presenters {
		if x.UserID != 0 {
			d.Chosen[x.UserID] = true
		} else {
			d.Typed = append(d.Typed, PresenterRow{Index: len(d.Typed), Person: x.Person, Function: x.Function.In(p.Lang)})
		}
	}
	for _, o := range pr.Orgs {
		if o.Role != rencontres.LeadProposer {
			d.OrgRows = append(d.OrgRows, OrgRow{Index: len(d.OrgRows), Value: o.Name.In(p.Lang) + " (" + o.Key + ")", Role: o.Role})
		}
	}
	return s.proposalFormPage(r, p, d)
}

func proposalValues(pr *rencontres.Proposal, l rencontres.Lang) map[string]string {
	m := map[string]string{"contact_name": pr.ContactName, "contact_email": pr.ContactEmail}
	for _, lang := range rencontres.Langs {
		m["title_"+string(lang)], m["summary_"+string(lang)] = pr.Title[lang], pr.Summary[lang]
	}
	if pr.Workshop != 0 {
		m["workshop"] = strconv.Itoa(pr.Workshop)
	}
	for k, v := range pr.Answers {
		m["answer_"+k] = v
	}
	return m
}

func (s *Site) proposalFormPage(r *http.Request, p *Page, d *ProposalForm) (string, error) {
	ctx := r.Context()
	d.Staff = practice.Staff(p.Actor)
	d.Orgs = proposalOrgs(p)
	if d.Staff && d.Lead != "" && !slices.Contains(d.Orgs, d.Lead) {
		d.Orgs = append([]string{d.Lead}, d.Orgs...)
	}
	if d.Lead == "" && !d.Staff {
		return "", &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "proposal.err_no_org", Message: "propose as the contact of an authority"}
	}
	if d.Staff && d.LeadValue == "" && d.Lead != "" {
		d.LeadValue = s.orgLabel(ctx, p, d.Lead)
	}
	if err := s.loadOrgs(ctx, p, append(d.Orgs, d.Lead)...); err != nil {
		return "", err
	}
	workshops, err := s.prac.Workshops(ctx, d.Event.ID)
	if err != nil {
		return "", err
	}
	for _, n := range d.Call.Workshops {
		if w, ok := rencontres.EditionWorkshop(workshops, n); ok {
			d.Workshops = append(d.Workshops, WorkshopOption{N: n, Title: w.Title})
		}
	}
	d.SDGs, d.Roles, d.Questions = rencontres.SDGs, []rencontres.ProposalOrgRole{rencontres.CoProposer, rencontres.PartnerOrg}, d.Call.Questions
	var partnerships []*rencontres.Partnership
	if d.Lead != "" {
		if d.Contacts, err = s.contacts.Contacts(ctx, d.Lead, false); err != nil {
			return "", err
		}
		if partnerships, err = s.svc.Partnerships(ctx, d.Lead); err != nil {
			return "", err
		}
	}
	for _, pa := range partnerships {
		other := pa.A
		if other == d.Lead {
			other = pa.B
		}
		if o, err := s.svc.Organisation(ctx, other); err == nil && !slices.ContainsFunc(d.Twins, func(t *rencontres.Organisation) bool { return t.Key == o.Key }) {
			d.Twins = append(d.Twins, o)
		}
	}
	for len(d.Typed) < maxTypedPresenters {
		d.Typed = append(d.Typed, PresenterRow{Index: len(d.Typed)})
	}
	for len(d.OrgRows) < maxOrgRows {
		d.OrgRows = append(d.OrgRows, OrgRow{Index: len(d.OrgRows), Role: rencontres.PartnerOrg})
	}
	for _, row := range d.OrgRows {
		d.Candidates = d.Candidates || len(row.Candidates) > 0
	}
	if d.Proposal != nil {
		d.Documents = d.Proposal.Documents
	}
	d.Deadline, d.Elsewhere = bothZones(p, d.Call.Deadline, d.Event)
	d.MaxUpload = rencontres.MaxDocumentSize >> 20
	d.Title = d.Call.Title.In(p.Lang)
	if d.Proposal == nil {
		p.Title = p.P.T("proposal.new_title", "Call", d.Title)
	} else {
		p.Title = p.P.T("proposal.edit_title", "Title", d.Proposal.Title.In(p.Lang))
	}
	p.Nav, p.Data = "account", d
	return "proposal_form", nil
}

// readProposal reads the form into pr and d, with the files sent; the
// faults of reading (an authority that is not found or is ambiguous) are
// returned with those of the proposal by the service.
func (s *Site) readProposal(w http.ResponseWriter, r *http.Request, p *Page, pr *rencontres.Proposal, d *ProposalForm) ([]practice.File, []int64, []error, error) {
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, nil, errBodyTooLarge
		}
		return nil, nil, nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_form", Message: err.Error()}
	}
	if err := rencontres.RefuseNulForm(r.MultipartForm, nil); err != nil {
		return nil, nil, nil, err
	}
	ctx := r.Context()
	d.Form = map[string]string{}
	for _, k := range []string{"contact_name", "contact_email", "workshop"} {
		d.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	pr.Title, pr.Summary = formText(r, "title"), formText(r, "summary")
	for _, l := range rencontres.Langs {
		d.Form["title_"+string(l)], d.Form["summary_"+string(l)] = pr.Title[l], pr.Summary[l]
	}
	pr.ContactName, pr.ContactEmail = d.Form["contact_name"], d.Form["contact_email"]
	var faults []error
	pr.Workshop = 0
	if v := d.Form["workshop"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		pr.Workshop = n
	}
	pr.SDGs = []int{}
	for _, v := range r.PostForm["sdg"] {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = 0
		}
		pr.SDGs = append(pr.SDGs, n)
		d.Goals[n] = true
	}
	pr.Answers = map[string]string{}
	for _, q := range d.Call.Questions {
		v := strings.TrimSpace(r.PostFormValue("answer_" + q.Key))
		pr.Answers[q.Key], d.Form["answer_"+q.Key] = v, v
	}
	pr.Orgs = []rencontres.ProposalOrg{{Key: d.Lead, Role: rencontres.LeadProposer}}
	pr.Presenters = []rencontres.Presenter{}
	for _, v := range r.PostForm["presenter_user"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		d.Chosen[id] = true
		pr.Presenters = append(pr.Presenters, rencontres.Presenter{UserID: id})
	}
	for i := 0; i < maxTypedPresenters; i++ {
		row := PresenterRow{Index: i, Person: strings.TrimSpace(r.PostFormValue(fmt.Sprintf("pr%d_person", i))),
			Function: strings.TrimSpace(r.PostFormValue(fmt.Sprintf("pr%d_function", i)))}
		d.Typed = append(d.Typed, row)
		if row.Person == "" && row.Function == "" {
			continue
		}
		x := rencontres.Presenter{Person: row.Person, Function: rencontres.Text{}}
		if row.Function != "" {
			x.Function[p.Lang] = row.Function
		}
		pr.Presenters = append(pr.Presenters, x)
	}
	for i := 0; i < maxOrgRows; i++ {
		field := fmt.Sprintf("org%d", i)
		row := OrgRow{Index: i, Value: strings.TrimSpace(r.PostFormValue(field)), Role: rencontres.ProposalOrgRole(r.PostFormValue(field + "_role"))}
		key, candidates, err := s.pickOrg(ctx, field, row.Value)
		row.Candidates = candidates
		d.OrgRows = append(d.OrgRows, row)
		if err != nil {
			var e *rencontres.Error
			if !errors.As(err, &e) {
				return nil, nil, nil, err
			}
			faults = append(faults, err)
			continue
		}
		if key != "" {
			pr.Orgs = append(pr.Orgs, rencontres.ProposalOrg{Key: key, Role: row.Role})
		}
	}
	var drop []int64
	for _, v := range r.PostForm["drop_document"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			drop = append(drop, id)
		}
	}
	var files []practice.File
	if r.MultipartForm != nil {
		for _, h := range r.MultipartForm.File["file"] {
			f, err := h.Open()
			if err != nil {
				return nil, nil, nil, err
			}
			data, err := io.ReadAll(io.LimitReader(f, rencontres.MaxDocumentSize+1))
			f.Close()
			if err != nil {
				return nil, nil, nil, err
			}
			if len(data) == 0 && h.Filename == "" {
				continue
			}
			files = append(files, practice.File{Name: h.Filename, Data: data})
		}
	}
	return files, drop, faults, nil
}

func (s *Site) saveProposalForm(w http.ResponseWriter, r *http.Request, p *Page, pr *rencontres.Proposal, d *ProposalForm, more ...error) (string, error) {
	files, drop, faults, err := s.readProposal(w, r, p, pr, d)
	if err != nil {
		return "", err
	}
	faults = append(more, faults...)
	err = rencontres.Join(faults...)
	if err == nil {
		err = s.prac.SaveProposal(r.Context(), p.Actor, pr, files, drop)
	} else {
		// The proposal's own faults are told with those of reading.
		check := *pr
		if e := s.prac.Check(r.Context(), &check); e != nil {
			err = rencontres.Join(err, e)
		}
	}
	if err != nil {
		var e *rencontres.Error
		if errors.As(err, &e) && e.Code == rencontres.EFORBIDDEN && e.Field != "" {
			d.Errors[e.Field] = p.P.Error(e)
			p.Status = http.StatusForbidden
			return s.proposalFormPage(r, p, d)
		}
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		if pr.ID != 0 {
			d.Proposal, _ = s.prac.Proposal(r.Context(), p.Actor, pr.ID)
		}
		d.Typed = trimRows(d.Typed)
		return s.proposalFormPage(r, p, d)
	}
	s.audit(r, "proposal.save", "proposal", strconv.FormatInt(pr.ID, 10), map[string]any{"call": pr.CallID, "organisation": pr.Lead()})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/proposals/%d?done=saved", pr.ID)), http.StatusSeeOther)
	return "", nil
}

func trimRows(rows []PresenterRow) []PresenterRow {
	if len(rows) > maxTypedPresenters {
		return rows[:maxTypedPresenters]
	}
	return rows
}

func (s *Site) createProposal(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, e, err := s.pathCall(r)
	if err != nil {
		return "", err
	}
	d := &ProposalForm{Call: c, Event: e, Errors: map[string]string{}, Goals: map[int]bool{}, Chosen: map[int64]bool{}}
	d.Lead = strings.TrimSpace(r.PostFormValue("organisation"))
	var faults []error
	if practice.Staff(p.Actor) {
		// The secretariat proposes for an authority it names.
		d.LeadValue = d.Lead
		key, candidates, err := s.pickOrg(r.Context(), "organisation", d.Lead)
		d.Lead, d.LeadCandidates = key, candidates
		if err == nil && key == "" {
			err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "organisation", Message: "name the authority"}
		}
		if err != nil {
			var e *rencontres.Error
			if !errors.As(err, &e) {
				return "", err
			}
			faults = append(faults, err)
		}
	} else if d.Lead == "" && len(proposalOrgs(p)) > 0 {
		d.Lead = proposalOrgs(p)[0]
	}
	return s.saveProposalForm(w, r, p, &rencontres.Proposal{CallID: c.ID}, d, faults...)
}

func (s *Site) updateProposal(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	old, c, e, err := s.pathProposal(r, p)
	if err != nil {
		return "", err
	}
	d := &ProposalForm{Call: c, Event: e, Proposal: old, Lead: old.Lead(), Errors: map[string]string{}, Goals: map[int]bool{}, Chosen: map[int64]bool{}}
	return s.saveProposalForm(w, r, p, &rencontres.Proposal{ID: old.ID, CallID: c.ID}, d)
}
