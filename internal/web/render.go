package web

import (
	"bytes"
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/reqid"
	"golang.org/x/text/language"
)

// Page is what every template receives: the printer of the reader's
// language, where the reader is, and the page's own data.
type Page struct {
	P        *i18n.Printer
	Lang     rencontres.Lang
	Path     string // the path after the language prefix, with its query
	Title    string
	TextSize int
	Nav      string // which top-level section is current
	Status   int    // the response status, when not 200
	Actor    *rencontres.Actor
	Data     any
	// orgs are the organisations the page names, by key (loadOrgs).
	orgs map[string]*rencontres.Organisation
	// Menu are the series the menu links to.
	Menu []*rencontres.Series
}

// LangLink is one entry of the language selector.
type LangLink struct {
	Lang    rencontres.Lang
	Name    string // the language's own name
	Href    string
	Current bool
}

var langNames = map[rencontres.Lang]string{rencontres.French: "Français", rencontres.Japanese: "日本語", rencontres.English: "English"}

// Languages returns the selector's links, each to the same page in another
// language.
func (p *Page) Languages() []LangLink {
	var out []LangLink
	for _, l := range rencontres.Langs {
		out = append(out, LangLink{Lang: l, Name: langNames[l], Href: "/" + string(l) + p.Path, Current: l == p.Lang})
	}
	return out
}

// Href returns the path of a page in the current language.
func (p *Page) Href(path string) string { return "/" + string(p.Lang) + path }

// SizeHref returns the link that changes the text size and comes back here.
func (p *Page) SizeHref(step string) string {
	return "/" + string(p.Lang) + "/text-size?step=" + step + "&back=" + url.QueryEscape("/"+string(p.Lang)+p.Path)
}

// The text-size steps: A- and A+ move along them, A resets to 100 %.
const (
	minTextSize     = -2
	maxTextSize     = 4
	textSizeCookie  = "textsize"
	textSizeMaxAge  = 365 * 24 * 3600
	defaultTextSize = 0
)

func textSize(r *http.Request) int {
	c, err := r.Cookie(textSizeCookie)
	if err != nil {
		return defaultTextSize
	}
	n, err := strconv.Atoi(c.Value)
	if err != nil || n < minTextSize || n > maxTextSize {
		return defaultTextSize
	}
	return n
}

// handlerFunc is a page handler: it fills the page and names its template,
// or returns an error, which one place turns into the right status and
// message. A handler that answers by itself (a redirect) returns "".
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *Page) (template string, err error)

// page adapts a handlerFunc to the language of its path prefix and to the
// permission its route requires: a reader without it is sent to the
// sign-in page when signing in could help, and refused otherwise.
func (s *Site) page(lang rencontres.Lang, perm rencontres.Permission, h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/"+string(lang))
		if r.URL.RawQuery != "" {
			rest += "?" + r.URL.RawQuery
		}
		actor := auth.ActorFrom(r.Context())
		p := &Page{P: s.cat.Printer(lang), Lang: lang, Path: rest, TextSize: textSize(r), Actor: actor, Menu: s.menuSeries(r)}
		if !actor.Can(perm, rencontres.Target{}) {
			if actor.User == nil && rencontres.RequiresSignIn(perm) && r.Method == http.MethodGet {
				http.Redirect(w, r, p.Href("/login?next="+url.QueryEscape(r.URL.RequestURI())), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, p, errForbidden)
			return
		}
		if r.Method == http.MethodPost {
			// Read the form here so that a body over the server's limit
			// is answered as such instead of reaching the handler empty.
			if err := r.ParseForm(); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.renderError(w, r, p, errBodyTooLarge)
				} else {
					s.renderError(w, r, p, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_form", Message: err.Error()})
				}
				return
			}
		}
		vals := r.URL.Query()
		if r.Method == http.MethodPost {
			vals = r.Form
		}
		if err := rencontres.RefuseNul(vals); err != nil {
			s.renderError(w, r, p, err)
			return
		}
		name, err := h(w, r, p)
		if err != nil && r.Method == http.MethodGet && s.mergedRedirect(w, r, err) {
			return
		}
		if err != nil {
			s.renderError(w, r, p, err)
			return
		}
		if name != "" {
			s.render(w, r, cmp.Or(p.Status, http.StatusOK), name, p)
		}
	}
}

var errBodyTooLarge = &rencontres.Error{Code: httpcode.TooLarge, Key: "error.body_too_large", Message: "request body too large"}

var errForbidden = &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "forbidden"}

func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.log.ErrorContext(r.Context(), "render", "template", name, "err", err, "path", r.URL.Path)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(p.Lang))
	h.Set("Vary", "Cookie")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ErrorPage is the data of the error template.
type ErrorPage struct {
	Status  int
	Message string
	// RequestID is the request's id, which its log lines carry: the
	// reader quotes it to the secretariat or the operator.
	RequestID string
}

func (s *Site) renderError(w http.ResponseWriter, r *http.Request, p *Page, err error) {
	status := http.StatusInternalServerError
	msg := p.P.T("error.internal")
	var e *rencontres.Error
	if errors.As(err, &e) {
		status = httpcode.Of(e.Code)
		switch e.Code {
		case rencontres.ENOTFOUND:
			msg = p.P.T("error.page_not_found")
		case rencontres.EFORBIDDEN:
			msg = p.P.T("error.forbidden")
		default:
			if status != http.StatusInternalServerError {
				msg = p.P.Error(e)
			}
		}
	}
	httpcode.RetryAfter(w.Header(), err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "page", "path", r.URL.Path, "err", err)
	}
	p.Title = msg
	p.Data = ErrorPage{Status: status, Message: msg, RequestID: reqid.From(r.Context())}
	s.render(w, r, status, "error", p)
}

// notFoundUnknownLang answers a path that matches no route, with a 404 page
// in the language of the path's prefix (/ja/unknown answers in Japanese),
// else in the reader's preferred language.
func (s *Site) notFoundUnknownLang(w http.ResponseWriter, r *http.Request) {
	lang := preferredLang(r)
	prefix, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if l, ok := rencontres.ParseLang(prefix); ok && strings.HasPrefix(r.URL.Path, "/"+prefix+"/") {
		lang = l
	}
	p := &Page{P: s.cat.Printer(lang), Lang: lang, Path: "/", TextSize: textSize(r), Actor: auth.ActorFrom(r.Context()), Menu: s.menuSeries(r)}
	s.renderError(w, r, p, rencontres.NotFound("page"))
}

var matcher = language.NewMatcher([]language.Tag{language.French, language.Japanese, language.English})

// preferredLang picks the reader's language from Accept-Language, French
// when nothing matches.
func preferredLang(r *http.Request) rencontres.Lang {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return rencontres.French
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return rencontres.French
	}
	return rencontres.Langs[i]
}

// redirectToLanguage sends the reader to the home page in their language:
// the one chosen in their profile when signed in, else their browser's.
func (s *Site) redirectToLanguage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept-Language, Cookie")
	lang := preferredLang(r)
	if u := auth.ActorFrom(r.Context()).User; u != nil {
		lang = u.Lang
	}
	http.Redirect(w, r, "/"+string(lang)+"/", http.StatusSeeOther)
}

// setTextSize moves the text size one step and returns to the page, so that
// A- A A+ work without JavaScript; the script does the same without a reload.
func (s *Site) setTextSize(lang rencontres.Lang) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := textSize(r)
		switch r.URL.Query().Get("step") {
		case "up":
			n = min(n+1, maxTextSize)
		case "down":
			n = max(n-1, minTextSize)
		default:
			n = defaultTextSize
		}
		http.SetCookie(w, &http.Cookie{Name: textSizeCookie, Value: strconv.Itoa(n), Path: "/", MaxAge: textSizeMaxAge,
			SameSite: http.SameSiteLaxMode})
		back := r.URL.Query().Get("back")
		// Only a path on this site: never an open redirect.
		if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
			back = "/" + string(lang) + "/"
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}
