package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// PartnershipForm is the secretariat's form that creates or edits a
// partnership, and on an existing one, ends it, stores its signed
// agreement and shows the état des lieux its authorities wrote.
type PartnershipForm struct {
	// Partnership is the one edited, nil for a new one.
	Partnership *rencontres.Partnership
	Form        map[string]string
	Errors      map[string]string
	// Candidates are the organisations a name typed for a side may mean.
	Candidates map[string][]*rencontres.Organisation
	Kinds      []rencontres.PartnershipKind
	States     []rencontres.PartnershipState
	Reports    []*rencontres.PartnershipReport
	Done       string
}

func (s *Site) partnershipFormPage(p *Page, d *PartnershipForm) (string, error) {
	d.Kinds, d.States = rencontres.PartnershipKinds, rencontres.PartnershipStates
	if d.Candidates == nil {
		d.Candidates = map[string][]*rencontres.Organisation{}
	}
	p.Title, p.Nav, p.Data = p.P.T("partnership_form.new_title"), "directory", d
	if d.Partnership != nil {
		p.Title = p.P.T("partnership_form.edit_title")
	}
	return "partnership_form", nil
}

// newPartnership is the empty form; ?a= fills one side, as the link from
// an organisation's page does.
func (s *Site) newPartnership(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	f := map[string]string{"kind": string(rencontres.Jumelage), "state": string(rencontres.StateActive)}
	if key := r.URL.Query().Get("a"); key != "" {
		f["a"] = s.orgLabel(r.Context(), p, key)
	}
	return s.partnershipFormPage(p, &PartnershipForm{Form: f, Errors: map[string]string{}})
}

// partnershipFromPath reads the partnership the path names.
func (s *Site) partnershipFromPath(r *http.Request) (*rencontres.Partnership, error) {
	id, err := strconv.ParseInt(r.PathValue("partnership"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("partnership")
	}
	return s.svc.Partnership(r.Context(), id)
}

func (s *Site) editPartnership(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pa, err := s.partnershipFromPath(r)
	if err != nil {
		return "", err
	}
	d := &PartnershipForm{Partnership: pa, Form: partnershipFields(p, pa), Errors: map[string]string{}, Done: r.URL.Query().Get("done")}
	if d.Reports, err = s.svc.PartnershipReports(r.Context(), pa.ID); err != nil {
		return "", err
	}
	return s.partnershipFormPage(p, d)
}

// partnershipFields are a partnership's values as the form shows them.
func partnershipFields(p *Page, pa *rencontres.Partnership) map[string]string {
	f := map[string]string{"a": p.OrgLabel(pa.OrgA), "b": p.OrgLabel(pa.OrgB), "kind": string(pa.Kind), "state": string(pa.State),
		"last_exchanges": pa.LastExchanges, "current_projects": pa.CurrentProjects}
	if pa.Year != 0 {
		f["year"] = strconv.Itoa(pa.Year)
	}
	if pa.YearEnded != 0 {
		f["year_ended"] = strconv.Itoa(pa.YearEnded)
	}
	for _, l := range rencontres.Langs {
		f["kind_label_"+string(l)], f["note_"+string(l)] = pa.KindLabel[l], pa.Note[l]
	}
	return f
}

// formYear reads a year; a value that is not one is a fault on its field.
func formYear(f map[string]string, name string) (int, error) {
	v := f[name]
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_year", Field: name, Message: "not a year"}
	}
	return n, nil
}

// readPartnership reads the form into pa: every fault beside its field,
// the sides found in the directory by name.
func (s *Site) readPartnership(r *http.Request, p *Page, d *PartnershipForm, pa *rencontres.Partnership) error {
	f := d.Form
	for _, k := range []string{"a", "b", "kind", "year", "year_ended", "state", "last_exchanges", "current_projects"} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	for _, l := range rencontres.Langs {
		f["kind_label_"+string(l)] = strings.TrimSpace(r.PostFormValue("kind_label_" + string(l)))
		f["note_"+string(l)] = strings.TrimSpace(r.PostFormValue("note_" + string(l)))
	}
	pa.Kind, pa.State = rencontres.PartnershipKind(f["kind"]), rencontres.PartnershipState(f["state"])
	pa.KindLabel, pa.Note = formText(r, "kind_label"), formText(r, "note")
	if pa.Kind != rencontres.OtherAgreement {
		pa.KindLabel = rencontres.Text{}
	}
	pa.LastExchanges, pa.CurrentProjects = f["last_exchanges"], f["current_projects"]
	var errs []error
	for _, side := range []struct {
		name string
		key  *string
	}{{"a", &pa.A}, {"b", &pa.B}} {
		key, candidates, err := s.pickOrg(r.Context(), side.name, f[side.name])
		*side.key = key
		if len(candidates) > 0 {
			d.Candidates[side.name] = candidates
		}
		errs = append(errs, err)
	}
	var err error
	if pa.Year, err = formYear(f, "year"); err != nil {
		errs = append(errs, err)
	}
	if pa.YearEnded, err = formYear(f, "year_ended"); err != nil {
		errs = append(errs, err)
	}
	return rencontres.Join(errs...)
}

func (s *Site) createPartnership(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.savePartnership(w, r, p, &PartnershipForm{Form: map[string]string{}, Errors: map[string]string{}})
}

func (s *Site) updatePartnership(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pa, err := s.partnershipFromPath(r)
	if err != nil {
		return "", err
	}
	return s.savePartnership(w, r, p, &PartnershipForm{Partnership: pa, Form: map[string]string{}, Errors: map[string]string{}})
}

// savePartnership stores the form's partnership when nothing in it is
// wrong, and shows every fault at once otherwise, the store's among them
// (the same pair and kind recorded already): nothing is saved by halves.
func (s *Site) savePartnership(w http.ResponseWriter, r *http.Request, p *Page, d *PartnershipForm) (string, error) {
	d.Candidates = map[string][]*rencontres.Organisation{}
	pa := &rencontres.Partnership{}
	if d.Partnership != nil {
		pa.ID = d.Partnership.ID
	}
	err := s.readPartnership(r, p, d, pa)
	switch {
	case err == nil && pa.ID == 0:
		err = s.svc.CreatePartnership(r.Context(), pa)
	case err == nil:
		err = s.svc.UpdatePartnership(r.Context(), pa)
	case rencontres.ErrorCode(err) != rencontres.EINTERNAL:
		// The form could not be read whole: nothing is written, and the
		// domain's checks of what could be read are told with its faults.
		err = rencontres.Join(err, stripUnresolved(pa.Validate(), pa))
	}
	if err != nil {
		if ferr := formError(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		if p.Status == 0 {
			p.Status = httpcode.Of(rencontres.EINVALID)
		}
		if d.Partnership != nil {
			if d.Reports, err = s.svc.PartnershipReports(r.Context(), d.Partnership.ID); err != nil {
				return "", err
			}
		}
		return s.partnershipFormPage(p, d)
	}
	action := "partnership.update"
	if d.Partnership == nil {
		action = "partnership.create"
	}
	s.audit(r, action, "partnership", strconv.FormatInt(pa.ID, 10), map[string]any{"a": pa.A, "b": pa.B, "kind": pa.Kind})
	http.Redirect(w, r, p.Href("/manage/partnerships/"+strconv.FormatInt(pa.ID, 10)+"/edit?done="+strings.TrimPrefix(action, "partnership.")), http.StatusSeeOther)
	return "", nil
}

// stripUnresolved drops the store's faults about a side the form could
// not find, which the form tells already in its own words.
func stripUnresolved(err error, pa *rencontres.Partnership) error {
	var e *rencontres.Error
	if !errors.As(err, &e) {
		return err
	}
	var keep []error
	for _, f := range e.All() {
		if f.Key == "error.required" && ((f.Field == "a" && pa.A == "") || (f.Field == "b" && pa.B == "")) {
			continue
		}
		keep = append(keep, f)
	}
	return rencontres.Join(keep...)
}

// endPartnership ends a partnership in the year given (this year when
// none is), keeping everything else.
func (s *Site) endPartnership(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pa, err := s.partnershipFromPath(r)
	if err != nil {
		return "", err
	}
	d := &PartnershipForm{Partnership: pa, Form: partnershipFields(p, pa), Errors: map[string]string{}}
	d.Form["year_ended"] = strings.TrimSpace(r.PostFormValue("year_ended"))
	year, err := formYear(d.Form, "year_ended")
	if err == nil {
		if year == 0 {
			year = time.Now().Year()
		}
		ended := *pa
		ended.YearEnded, ended.State = year, rencontres.StateEnded
		err = s.svc.UpdatePartnership(r.Context(), &ended)
	}
	if err != nil {
		if ferr := formError(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		if d.Reports, err = s.svc.PartnershipReports(r.Context(), pa.ID); err != nil {
			return "", err
		}
		return s.partnershipFormPage(p, d)
	}
	s.audit(r, "partnership.end", "partnership", strconv.FormatInt(pa.ID, 10), map[string]any{"year_ended": year})
	http.Redirect(w, r, p.Href("/manage/partnerships/"+strconv.FormatInt(pa.ID, 10)+"/edit?done=end"), http.StatusSeeOther)
	return "", nil
}

// uploadAgreement stores the signed agreement of a partnership, typed by
// its content.
func (s *Site) uploadAgreement(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pa, err := s.partnershipFromPath(r)
	if err != nil {
		return "", err
	}
	r.Body = http.MaxBytesReader(w, r.Body, rencontres.MaxDocumentSize+64<<10)
	var data []byte
	var name string
	file, h, err := r.FormFile("file")
	if nerr := rencontres.RefuseNulForm(r.MultipartForm, file); nerr != nil {
		return "", nerr
	}
	if err == nil {
		defer file.Close()
		name = h.Filename
		data, err = io.ReadAll(io.LimitReader(file, rencontres.MaxDocumentSize+1))
		if err != nil {
			return "", err
		}
	}
	var by int64
	if p.Actor.User != nil {
		by = p.Actor.User.ID
	}
	if err = s.svc.SavePartnershipAgreement(r.Context(), pa.ID, name, data, by); err != nil {
		d := &PartnershipForm{Partnership: pa, Form: partnershipFields(p, pa), Errors: map[string]string{}}
		if ferr := formError(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		if d.Reports, err = s.svc.PartnershipReports(r.Context(), pa.ID); err != nil {
			return "", err
		}
		return s.partnershipFormPage(p, d)
	}
	s.audit(r, "partnership.agreement", "partnership", strconv.FormatInt(pa.ID, 10), map[string]any{"name": name})
	http.Redirect(w, r, p.Href("/manage/partnerships/"+strconv.FormatInt(pa.ID, 10)+"/edit?done=agreement"), http.StatusSeeOther)
	return "", nil
}
