package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// LoginPage is the data of the sign-in page.
type LoginPage struct {
	Next     string
	Email    string
	Error    string
	LinkSent bool
}

// safeNext keeps a return path only when it is a path of this site.
func safeNext(next string, p *Page) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return p.Href("/account")
	}
	return next
}

func (s *Site) loginForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	if p.Actor.User != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next"), p), http.StatusSeeOther)
		return "", nil
	}
	p.Title = p.P.T("login.title")
	p.Nav = "login"
	p.Data = &LoginPage{Next: r.URL.Query().Get("next")}
	return "login", nil
}

var errBadCredentials = &rencontres.Error{Code: rencontres.EUNAUTHORIZED, Key: "error.bad_credentials", Message: "wrong address or password"}

// loginPassword signs staff in with their password. The answer to a wrong
// address and to a wrong password is the same, and takes as long.
func (s *Site) loginPassword(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &LoginPage{Next: r.PostFormValue("next"), Email: strings.TrimSpace(r.PostFormValue("email"))}
	p.Title, p.Nav, p.Data = p.P.T("login.title"), "login", d
	fail := func(err error) (string, error) {
		var e *rencontres.Error
		if !errors.As(err, &e) {
			return "", err
		}
		d.Error = p.P.Error(e)
		p.Status = httpcode.Of(e.Code)
		return "login", nil
	}
	email, err := rencontres.NormaliseEmail(d.Email)
	if err != nil {
		return fail(err)
	}
	attempt, err := s.auth.BeginPassword(r.Context(), email, auth.ClientIP(r))
	if err != nil {
		return fail(err)
	}
	password := r.PostFormValue("password")
	u, err := s.accounts.UserByEmail(r.Context(), email)
	if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
		return "", err
	}
	hash := ""
	if u != nil && !u.Disabled && !u.Erased {
		if hash, err = s.accounts.PasswordHash(r.Context(), u.ID); err != nil {
			return "", err
		}
	}
	if hash == "" {
		auth.SpendPasswordTime(password)
	}
	if hash == "" || !auth.CheckPassword(password, hash) {
		s.audit(r, "login.failed", "user", email, nil)
		return fail(errBadCredentials)
	}
	if err := attempt.Succeeded(r.Context()); err != nil {
		return "", err
	}
	if err := s.auth.StartSession(w, r, u); err != nil {
		return "", err
	}
	s.auditAs(r, u, "login.password", "user", u.Email, nil)
	http.Redirect(w, r, safeNext(d.Next, p), http.StatusSeeOther)
	return "", nil
}

// requestLink sends a sign-in link. Whether or not the address has an
// account, the answer is the same: the page says a link was sent if it
// exists.
func (s *Site) requestLink(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &LoginPage{Next: r.PostFormValue("next"), Email: strings.TrimSpace(r.PostFormValue("email"))}
	p.Title, p.Nav, p.Data = p.P.T("login.title"), "login", d
	email, err := rencontres.NormaliseEmail(d.Email)
	if err == nil {
		err = s.auth.AllowLink(r.Context(), email, auth.ClientIP(r))
	}
	if err != nil {
		var e *rencontres.Error
		if !errors.As(err, &e) {
			return "", err
		}
		d.Error, p.Status = p.P.Error(e), httpcode.Of(e.Code)
		return "login", nil
	}
	u, err := s.accounts.UserByEmail(r.Context(), email)
	switch {
	case err == nil && !u.Disabled && !u.Erased:
		if err := s.sendLink(r.Context(), u); err != nil {
			return "", err
		}
		s.auditAs(r, u, "login.link_sent", "user", u.Email, nil)
	case err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return "", err
	}
	d.LinkSent = true
	return "login", nil
}

// sendLink emails u a single-use sign-in link in u's language.
func (s *Site) sendLink(ctx context.Context, u *rencontres.User) error {
	tok, hash := auth.NewLinkToken()
	now := s.now()
	if err := s.accounts.CreateMagicLink(ctx, hash, u.ID, u.Email, now, now.Add(auth.LinkLifetime)); err != nil {
		return err
	}
	pr := s.cat.Printer(u.Lang)
	link := s.baseURL + "/" + string(u.Lang) + "/login/link/" + tok
	greeting := letter.Greeting(u.Lang, letter.PersonOf(u))
	return s.mail.Send(ctx, &mail.Message{
		To:      []mail.Address{{Name: u.Name, Email: u.Email}},
		Subject: pr.T("mail.link_subject"),
		Text: greeting + "\n\n" + pr.T("mail.link_body", "Minutes", int(auth.LinkLifetime.Minutes())) + "\n\n" + link + "\n\n" +
			pr.T("mail.link_ignore") + "\n",
		Headers: map[string]string{"X-Rencontres-Kind": "sign-in-link"},
	})
}

// LinkPage is the data of a sign-in link's landing page.
type LinkPage struct{ Action string }

// linkLanding asks for one click before using a link: mail scanners that
// open every link then cannot spend it.
func (s *Site) linkLanding(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	if _, err := auth.ParseSecret(r.PathValue("token")); err != nil {
		return "", errLinkUnusable
	}
	p.Title, p.Nav = p.P.T("login.link_title"), "login"
	p.Data = LinkPage{Action: p.Href("/login/link/" + r.PathValue("token"))}
	return "link", nil
}

var errLinkUnusable = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.link_unusable", Message: "this sign-in link is expired, already used or unknown"}

func (s *Site) useLink(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	tok, err := auth.ParseSecret(r.PathValue("token"))
	if err != nil {
		return "", errLinkUnusable
	}
	u, err := s.accounts.ConsumeMagicLink(r.Context(), auth.Hash(tok), s.now())
	if err != nil {
		return "", err
	}
	if err := s.auth.StartSession(w, r, u); err != nil {
		return "", err
	}
	s.auditAs(r, u, "login.link", "user", u.Email, nil)
	http.Redirect(w, r, "/"+string(u.Lang)+"/account", http.StatusSeeOther)
	return "", nil
}

func (s *Site) logout(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	everywhere := r.PostFormValue("everywhere") == "1"
	if err := s.auth.EndSession(w, r, everywhere); err != nil {
		return "", err
	}
	action := "logout"
	if everywhere {
		action = "logout.everywhere"
	}
	s.audit(r, action, "user", p.Actor.User.Email, nil)
	http.Redirect(w, r, p.Href("/"), http.StatusSeeOther)
	return "", nil
}

// audit records an action of the request's actor; a failure to record is
// logged, never shown: the action itself has happened.
func (s *Site) audit(r *http.Request, action, objectType, objectID string, detail map[string]any) {
	s.auditAs(r, auth.ActorFrom(r.Context()).User, action, objectType, objectID, detail)
}

func (s *Site) auditAs(r *http.Request, u *rencontres.User, action, objectType, objectID string, detail map[string]any) {
	e := &rencontres.AuditEntry{Action: action, ObjectType: objectType, ObjectID: objectID, IP: auth.ClientIP(r), Detail: detail}
	if u != nil {
		e.ActorID, e.ActorEmail = u.ID, u.Email
	}
	if err := s.accounts.Audit(r.Context(), e); err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}

// LoginHref is the sign-in link of a page, coming back to it.
func (p *Page) LoginHref() string {
	return p.Href("/login?next=" + url.QueryEscape("/"+string(p.Lang)+p.Path))
}
