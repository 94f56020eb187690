package web

import (
	"github.com/rencontres/rencontres/internal/declaration"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// AccountPage is the data of one's own account page.
type AccountPage struct {
	User       *rencontres.User
	Orgs       []*rencontres.Organisation
	Committees []*rencontres.CommitteeRef
	Series     map[string]*rencontres.Series
	Tokens     []*rencontres.APIToken
	// NewToken is a token just created: shown once, never again.
	NewToken string
	Saved    bool
	// Reviews is set for those who review the calls' proposals (the
	// committees and the secretariat): the page links to their list.
	Reviews bool
	// Errors are messages by form field; Form keeps what was typed.
	Errors map[string]string
	Form   map[string]string
	// Events are the events they are registered for, each linking to
	// their own page of it (participant.go).
	Events []MyEventLink
}

// MyEventLink is one event a person is registered for.
type MyEventLink struct {
	ID     int64
	Title  string
	Status rencontres.SeatStatus
}

func (s *Site) accountPage(r *http.Request, p *Page, d *AccountPage) (string, error) {
	u := p.Actor.User
	d.User = u
	for _, k := range u.OrgKeys {
		o, err := s.svc.Organisation(r.Context(), k)
		if err != nil {
			return "", err
		}
		d.Orgs = append(d.Orgs, o)
	}
	toks, err := s.accounts.APITokens(r.Context(), u.ID)
	if err != nil {
		return "", err
	}
	d.Tokens = toks
	_, d.Reviews = rencontres.Policy[p.Actor.Role()][rencontres.ReviewProposals]
	if d.Committees, err = s.accounts.UserCommittees(r.Context(), u.ID); err != nil {
		return "", err
	}
	if d.Series, err = s.seriesBySlug(r); err != nil {
		return "", err
	}
	if d.Events, err = s.myEvents(r, p); err != nil {
		return "", err
	}
	if d.Form == nil {
		d.Form = map[string]string{"civility": u.Civility, "name": u.Name, "name_ja": u.NameJa, "kana": u.Kana, "function": u.Function, "lang": string(u.Lang)}
	}
	p.Title, p.Nav, p.Data = p.P.T("account.title"), "account", d
	return "account", nil
}

func (s *Site) account(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.accountPage(r, p, &AccountPage{Saved: r.URL.Query().Get("saved") == "1" || r.URL.Query().Get("erasure") == "1"})
}

// fieldError puts a domain error next to its field of the account page,
// or returns it when it is not about a field.
func fieldError(p *Page, d *AccountPage, err error) error {
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	return formError(p, err, d.Errors)
}

func (s *Site) saveProfile(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u := *p.Actor.User
	form := map[string]string{}
	for _, f := range []string{"civility", "name", "name_ja", "kana", "function", "lang"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	u.Civility, u.Name, u.NameJa, u.Kana, u.Function, u.Lang = form["civility"], form["name"], form["name_ja"], form["kana"], form["function"], rencontres.Lang(form["lang"])
	if err := s.accounts.UpdateProfile(r.Context(), &u); err != nil {
		d := &AccountPage{Form: form}
		if err := fieldError(p, d, err); err != nil {
			return "", err
		}
		return s.accountPage(r, p, d)
	}
	s.audit(r, "profile.update", "user", u.Email, map[string]any{"lang": string(u.Lang)})
	http.Redirect(w, r, "/"+string(u.Lang)+"/account?saved=1", http.StatusSeeOther)
	return "", nil
}

var errPasswordMismatch = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.password_mismatch", Field: "confirm", Message: "the two passwords differ"}

// savePassword changes a staff member's password and ends every other
// session, since whoever knew the old one may be signed in.
func (s *Site) savePassword(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u := p.Actor.User
	d := &AccountPage{}
	if u.HasPassword {
		hash, err := s.accounts.PasswordHash(r.Context(), u.ID)
		if err != nil {
			return "", err
		}
		if !auth.CheckPassword(r.PostFormValue("current"), hash) {
			e := *errBadCredentials
			e.Field = "current"
			fieldError(p, d, &e)
			return s.accountPage(r, p, d)
		}
	}
	pw := r.PostFormValue("password")
	var err error
	var hash string
	if pw != r.PostFormValue("confirm") {
		err = errPasswordMismatch
	} else {
		hash, err = auth.HashPassword(pw)
	}
	if err != nil {
		if err := fieldError(p, d, err); err != nil {
			return "", err
		}
		return s.accountPage(r, p, d)
	}
	if err := s.accounts.SetPassword(r.Context(), u.ID, hash); err != nil {
		return "", err
	}
	if err := s.auth.EndSession(w, r, true); err != nil {
		return "", err
	}
	if err := s.auth.StartSession(w, r, u); err != nil {
		return "", err
	}
	s.audit(r, "password.change", "user", u.Email, nil)
	http.Redirect(w, r, p.Href("/account?saved=1"), http.StatusSeeOther)
	return "", nil
}

// maxTokenName bounds a token's name, in characters.
const maxTokenName = 100

func (s *Site) createToken(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	d := &AccountPage{}
	if name == "" || utf8.RuneCountInString(name) > maxTokenName {
		fieldError(p, d, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.token_name", Field: "token_name",
			Message: "give the token a name", Args: map[string]any{"Max": maxTokenName}})
		return s.accountPage(r, p, d)
	}
	tok, hash, prefix := auth.NewAPIToken()
	t, err := s.accounts.CreateAPIToken(r.Context(), p.Actor.User.ID, name, hash, prefix)
	if err != nil {
		return "", err
	}
	s.audit(r, "token.create", "token", strconv.FormatInt(t.ID, 10), map[string]any{"name": name})
	d.NewToken = tok
	return s.accountPage(r, p, d)
}

func (s *Site) revokeToken(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("token")
	}
	if err := s.accounts.RevokeAPIToken(r.Context(), p.Actor.User.ID, id); err != nil {
		return "", err
	}
	s.audit(r, "token.revoke", "token", r.PathValue("id"), nil)
	http.Redirect(w, r, p.Href("/account"), http.StatusSeeOther)
	return "", nil
}

// requestErasure records a person's request to be erased (RGPD art. 17);
// the secretariat carries it out, since registrations may need settling.
func (s *Site) requestErasure(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u := p.Actor.User
	if err := s.accounts.RequestErasure(r.Context(), u.ID); err != nil {
		return "", err
	}
	s.audit(r, "erasure.request", "user", u.Email, nil)
	http.Redirect(w, r, p.Href("/account?erasure=1"), http.StatusSeeOther)
	return "", nil
}

func (s *Site) seriesBySlug(r *http.Request) (map[string]*rencontres.Series, error) {
	all, err := s.svc.AllSeries(r.Context())
	if err != nil {
		return nil, err
	}
	m := map[string]*rencontres.Series{}
	for _, se := range all {
		m[se.Slug] = se
	}
	return m, nil
}

// CommitteePage is the data of a committee's page.
type CommitteePage struct {
	Ref *rencontres.CommitteeRef
	// Declaration is the id of the edition's final declaration, when it
	// has one the reader reads (issue 16).
	Declaration int64
	Series      *rencontres.Series
	Decisions   []*rencontres.Decision
	Roles       []string
	Manage      bool
	Done        string
	Errors      map[string]string
	Form        map[string]string
}

// committee shows a steering committee to the secretariat and to the
// people who sit on it: its seats, its meetings, and the follow-up of what
// they decided.
func (s *Site) committee(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("committee"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("committee")
	}
	return s.committeePage(r, p, id, &CommitteePage{Done: r.URL.Query().Get("done")})
}

func (s *Site) committeePage(r *http.Request, p *Page, id int64, d *CommitteePage) (string, error) {
	if !p.Actor.Can(rencontres.ReadCommittee, rencontres.Target{Committee: id}) {
		return "", errForbidden
	}
	var err error
	if d.Ref, err = s.accounts.Committee(r.Context(), id); err != nil {
		return "", err
	}
	if d.Series, err = s.svc.Series(r.Context(), d.Ref.SeriesSlug); err != nil {
		return "", err
	}
	if d.Decisions, err = s.events.CommitteeDecisions(r.Context(), id); err != nil {
		return "", err
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	if d.Form == nil {
		d.Form = map[string]string{"role": "member"}
	}
	var keys []string
	for _, m := range d.Ref.Committee.Members {
		keys = append(keys, m.OrgKey)
	}
	if err := s.loadOrgs(r.Context(), p, keys...); err != nil {
		return "", err
	}
	if s.declarations == nil {
		// a site without the declaration's service (some tests)
	} else if decl, err := s.declarations.DeclarationOfEdition(r.Context(), d.Ref.Committee.EditionID); err == nil {
		if ok, err := declaration.Reads(r.Context(), s.declarations, p.Actor, decl.EditionID); err != nil {
			return "", err
		} else if ok {
			d.Declaration = decl.ID
		}
	} else if rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
		return "", err
	}
	d.Roles, d.Manage = rencontres.SeatRoles, p.Actor.Can(rencontres.ManageEvents, rencontres.Target{})
	// The secretariat reaches a committee from the events it manages; its
	// members, from their account.
	p.Title, p.Nav, p.Data = d.Ref.Committee.Name.In(p.Lang), "account", d
	if d.Manage {
		p.Nav = "events"
	}
	return "committee", nil
}
