package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// PeoplePage is the data of the secretariat's list of accounts.
type PeoplePage struct {
	People     []*rencontres.User
	Committees []*rencontres.CommitteeRef
	Series     map[string]*rencontres.Series
	Query      string
	Role       string
	Roles      []rencontres.Role
	Errors     map[string]string
	Form       map[string]string
	Done       string
}

func (s *Site) peoplePage(r *http.Request, p *Page, d *PeoplePage) (string, error) {
	d.Query, d.Role, d.Roles = r.URL.Query().Get("q"), r.URL.Query().Get("role"), invitableRoles
	if err := rencontres.CheckSearch(d.Query); err != nil {
		return "", err
	}
	people, err := s.accounts.Users(r.Context(), rencontres.UserFilter{Role: rencontres.Role(d.Role), Query: d.Query})
	if err != nil {
		return "", err
	}
	d.People = people
	for _, u := range people {
		if err := s.loadOrgs(r.Context(), p, u.OrgKeys...); err != nil {
			return "", err
		}
	}
	if d.Committees, err = s.accounts.AllCommittees(r.Context()); err != nil {
		return "", err
	}
	if d.Series, err = s.seriesBySlug(r); err != nil {
		return "", err
	}
	if d.Form == nil {
		d.Form = map[string]string{"lang": string(p.Lang), "role": string(invitableRoles[0])}
	}
	p.Title, p.Nav, p.Data = p.P.T("people.title"), "admin", d
	return "people", nil
}

func (s *Site) people(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.peoplePage(r, p, &PeoplePage{Done: r.URL.Query().Get("done")})
}

// invitePerson creates an account, bound at once to the authority it
// speaks for or the committee it sits on, and emails the invitation only
// when « send now » is ticked. Every fault of the form is shown at once.
func (s *Site) invitePerson(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	form := map[string]string{}
	for _, f := range []string{"email", "civility", "name", "role", "lang", "organisation", "committee", "send"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	d := &PeoplePage{Form: form}
	u := &rencontres.User{Email: form["email"], Civility: form["civility"], Name: form["name"], Role: rencontres.Role(form["role"]), Lang: rencontres.Lang(form["lang"])}
	errs := []error{u.Validate()}
	if form["organisation"] != "" {
		if _, err := s.svc.Organisation(r.Context(), form["organisation"]); err != nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "organisation",
				Message: "unknown organisation", Args: map[string]any{"Key": form["organisation"]}})
		}
	}
	var committee int64
	if form["committee"] != "" {
		id, err := strconv.ParseInt(form["committee"], 10, 64)
		if err == nil {
			_, err = s.accounts.Committee(r.Context(), id)
		}
		if err != nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_committee", Field: "committee", Message: "choose a committee"})
		}
		committee = id
	}
	err := rencontres.Join(errs...)
	if err == nil {
		err = s.accounts.InviteUser(r.Context(), u, form["organisation"])
	}
	if err == nil && committee != 0 {
		err = s.accounts.BindCommittee(r.Context(), u.ID, committee)
	}
	if err != nil {
		d.Errors = map[string]string{}
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.peoplePage(r, p, d)
	}
	s.audit(r, "person.invite", "user", u.Email, map[string]any{"role": string(u.Role), "organisation": form["organisation"], "committee": committee})
	done := "created"
	if form["send"] != "" {
		why, err := s.invitationOf(r, u, committee)
		if err != nil {
			return "", err
		}
		if err := s.sendInvitation(r.Context(), p.Actor.User, u, why); err != nil {
			return "", err
		}
		s.audit(r, "person.invitation_sent", "user", u.Email, nil)
		done = "invited"
	}
	http.Redirect(w, r, p.Href("/admin/people?done="+done), http.StatusSeeOther)
	return "", nil
}

func (s *Site) personFromPath(r *http.Request) (*rencontres.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("user")
	}
	return s.accounts.User(r.Context(), id)
}

func (s *Site) bindOrganisation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u, err := s.personFromPath(r)
	if err != nil {
		return "", err
	}
	key := strings.TrimSpace(r.PostFormValue("organisation"))
	if err := s.accounts.BindOrganisation(r.Context(), u.ID, key); err != nil {
		var e *rencontres.Error
		if errors.As(err, &e) && e.Code != rencontres.EINTERNAL {
			p.Status = httpcode.Of(e.Code)
			return s.peoplePage(r, p, &PeoplePage{Errors: map[string]string{"form": p.P.Error(e)}})
		}
		return "", err
	}
	s.audit(r, "person.bind", "user", u.Email, map[string]any{"organisation": key})
	http.Redirect(w, r, p.Href("/admin/people?done=bound"), http.StatusSeeOther)
	return "", nil
}

func (s *Site) disablePerson(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u, err := s.personFromPath(r)
	if err != nil {
		return "", err
	}
	disable := r.PostFormValue("disabled") != "0"
	if u.ID == p.Actor.User.ID && disable {
		return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.disable_self", Message: "you cannot disable your own account"}
	}
	if err := s.accounts.SetDisabled(r.Context(), u.ID, disable); err != nil {
		return "", err
	}
	action := "person.enable"
	if disable {
		action = "person.disable"
	}
	s.audit(r, action, "user", u.Email, nil)
	http.Redirect(w, r, p.Href("/admin/people?done="+map[bool]string{true: "disabled", false: "enabled"}[disable]), http.StatusSeeOther)
	return "", nil
}

// AuditPage is the data of the audit log page.
type AuditPage struct {
	Entries []*rencontres.AuditEntry
	Filter  rencontres.AuditFilter
	CSVHref string
	Pager   Pager
}

// auditLog shows the audit log, filtered, a page at a time, newest first,
// or exports it whole as CSV, streamed as the rows are read.
func (s *Site) auditLog(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q := r.URL.Query()
	f := rencontres.AuditFilter{ActorEmail: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		ObjectID: strings.TrimSpace(q.Get("object"))}
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if v := q.Get(name); v != "" {
			d, err := rencontres.ParseDate(v)
			if err != nil {
				return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_date", Field: name, Message: err.Error(), Args: map[string]any{"Value": v}}
			}
			*dst = d.Time(time.UTC)
		}
	}
	if q.Get("format") == "csv" {
		t := export.AuditColumns(export.Reader{P: p.P})
		w.Header().Set("Content-Type", export.ContentType("csv"))
		w.Header().Set("Content-Disposition", `attachment; filename="rencontres-audit.csv"`)
		return "", t.Stream(w, "csv", func(yield func([]any) error) error {
			return s.lists.EachAudit(r.Context(), f, func(e *rencontres.AuditEntry) error { return yield(export.AuditRow(e)) })
		})
	}
	entries, head, err := s.lists.AuditPage(r.Context(), f, pageRequest(q))
	if err != nil {
		return "", err
	}
	csvQ := url.Values{}
	for k, v := range q {
		if k != "after" && k != "before" && k != "limit" {
			csvQ[k] = v
		}
	}
	csvQ.Set("format", "csv")
	p.Title, p.Nav = p.P.T("audit.title"), "admin"
	p.Data = AuditPage{Entries: entries, Filter: f, CSVHref: p.Href("/admin/audit?" + csvQ.Encode()),
		Pager: NewPager(p.Href("/admin/audit"), q, head, len(entries))}
	return "audit", nil
}

// erasePerson anonymises an account: see store.EraseUser.
func (s *Site) erasePerson(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u, err := s.personFromPath(r)
	if err != nil {
		return "", err
	}
	if u.ID == p.Actor.User.ID {
		return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.erase_self", Message: "ask another member of the secretariat to erase your account"}
	}
	if err := s.accounts.EraseUser(r.Context(), u.ID); err != nil {
		return "", err
	}
	s.audit(r, "person.erase", "user", "user:"+strconv.FormatInt(u.ID, 10), nil)
	http.Redirect(w, r, p.Href("/admin/people?done=erased"), http.StatusSeeOther)
	return "", nil
}

// bindCommittee seats an account on a committee.
func (s *Site) bindCommittee(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u, err := s.personFromPath(r)
	if err != nil {
		return "", err
	}
	cid, err := strconv.ParseInt(r.PostFormValue("committee"), 10, 64)
	if err == nil {
		err = s.accounts.BindCommittee(r.Context(), u.ID, cid)
	} else {
		err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_committee", Field: "committee", Message: "choose a committee"}
	}
	if err != nil {
		var e *rencontres.Error
		if errors.As(err, &e) && e.Code != rencontres.EINTERNAL {
			p.Status = httpcode.Of(e.Code)
			return s.peoplePage(r, p, &PeoplePage{Errors: map[string]string{"form": p.P.Error(e)}})
		}
		return "", err
	}
	s.audit(r, "person.bind_committee", "user", u.Email, map[string]any{"committee": cid})
	http.Redirect(w, r, p.Href("/admin/people?done=bound"), http.StatusSeeOther)
	return "", nil
}
