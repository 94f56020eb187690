package auth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Store is what authentication needs of the database.
type Store interface {
	SessionUser(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*rencontres.User, error)
	CreateSession(ctx context.Context, tokenHash string, userID int64, now, expires time.Time, ip, userAgent string) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	APITokenUser(ctx context.Context, tokenHash string, now time.Time) (*rencontres.User, error)
	HitRateLimit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error)
	UndoRateLimit(ctx context.Context, key string, window time.Duration, at time.Time) error
	Audit(ctx context.Context, e *rencontres.AuditEntry) error
	UserCommitteeIDs(ctx context.Context, userID int64) ([]int64, error)
}

// CookieName is the session cookie.
const CookieName = "rencontres_session"

// Session lifetimes: a session ends after IdleTimeout without a request,
// and AbsoluteTimeout after it began, whatever happens.
const (
	IdleTimeout     = 2 * time.Hour
	AbsoluteTimeout = 12 * time.Hour
	LinkLifetime    = 30 * time.Minute
)

// Rate limits of sign-in, in a fixed window shared by every instance.
// A client (IP address) may fail LimitPerIP passwords and ask LimitPerIP
// links in a window. An address's password sign-in pauses after
// LimitPerEmail wrong passwords until the window ends; its sign-in link is
// never limited by address, so that strangers guessing a password cannot
// keep its owner out. A client may ask LimitLinksPerEmail links for one
// address, so that nobody floods a mailbox from one machine. Successful
// sign-ins count nowhere.
const (
	LimitWindow        = 15 * time.Minute
	LimitPerEmail      = 5
	LimitPerIP         = 30
	LimitLinksPerEmail = 5
)

// Authenticator resolves who makes each request.
type Authenticator struct {
	Store Store
	// SecureCookies marks the cookie Secure even on plain HTTP, for a
	// server behind a TLS-terminating proxy.
	SecureCookies bool
	Now           func() time.Time
}

type actorKey struct{}

// ActorFrom returns the actor of a request's context; an anonymous actor
// when none was set.
func ActorFrom(ctx context.Context) *rencontres.Actor {
	if a, ok := ctx.Value(actorKey{}).(*rencontres.Actor); ok {
		return a
	}
	return &rencontres.Actor{}
}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a *rencontres.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ErrBadToken is the answer to a malformed, unknown or revoked API token.
var ErrBadToken = &rencontres.Error{Code: rencontres.EUNAUTHORIZED, Key: "error.bad_token", Message: "the API token is malformed, unknown or revoked"}

func (a *Authenticator) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Middleware puts the request's actor in its context: the owner of a valid
// Bearer token, else the user of a live session cookie, else nobody. A
// Bearer header that is not a valid token is refused with 401 at once,
// rather than treated as anonymous, so that a script learns its token is
// wrong.
func (a *Authenticator) Middleware(refuse func(w http.ResponseWriter, r *http.Request, err error), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := &rencontres.Actor{IP: ClientIP(r)}
		if h := r.Header.Get("Authorization"); h != "" {
			tok, err := ParseBearer(h)
			if err != nil {
				refuse(w, r, ErrBadToken)
				return
			}
			u, err := a.Store.APITokenUser(r.Context(), Hash(tok), a.now())
			if err != nil {
				if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
					err = ErrBadToken
				}
				refuse(w, r, err)
				return
			}
			actor.User = u
		} else if c, err := r.Cookie(CookieName); err == nil {
			if tok, err := ParseSecret(c.Value); err == nil {
				u, err := a.Store.SessionUser(r.Context(), Hash(tok), a.now(), IdleTimeout)
				switch {
				case err == nil:
					actor.User = u
				case rencontres.ErrorCode(err) == rencontres.ENOTFOUND:
					a.clearCookie(w, r) // expired or ended elsewhere
				default:
					refuse(w, r, err)
					return
				}
			} else {
				a.clearCookie(w, r)
			}
		}
		if actor.User != nil && actor.User.Role == rencontres.CommitteeMember {
			ids, err := a.Store.UserCommitteeIDs(r.Context(), actor.User.ID)
			if err != nil {
				refuse(w, r, err)
				return
			}
			actor.Committees = ids
		}
		next.ServeHTTP(w, r.WithContext(WithActor(r.Context(), actor)))
	})
}

// StartSession signs u in on this browser.
func (a *Authenticator) StartSession(w http.ResponseWriter, r *http.Request, u *rencontres.User) error {
	tok, hash := NewSessionToken()
	now := a.now()
	if err := a.Store.CreateSession(r.Context(), hash, u.ID, now, now.Add(AbsoluteTimeout), ClientIP(r), r.UserAgent()); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.secure(r), MaxAge: int(AbsoluteTimeout.Seconds())})
	return nil
}

// EndSession signs this browser out; everywhere also ends every other
// session of the account.
func (a *Authenticator) EndSession(w http.ResponseWriter, r *http.Request, everywhere bool) error {
	var err error
	if c, cerr := r.Cookie(CookieName); cerr == nil {
		if tok, perr := ParseSecret(c.Value); perr == nil {
			err = a.Store.DeleteSession(r.Context(), Hash(tok))
		}
	}
	if u := ActorFrom(r.Context()).User; everywhere && u != nil {
		err = errors.Join(err, a.Store.DeleteUserSessions(r.Context(), u.ID))
	}
	a.clearCookie(w, r)
	return err
}

func (a *Authenticator) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.secure(r), MaxAge: -1})
}

func (a *Authenticator) secure(r *http.Request) bool { return a.SecureCookies || r.TLS != nil }

// ErrRateLimited is returned when one client made too many attempts.
var ErrRateLimited = &rencontres.Error{Code: rencontres.ETOOMANY, Key: "error.rate_limited", Message: "too many attempts; try again in a few minutes",
	Args: map[string]any{"Minutes": int(LimitWindow.Minutes())}}

// ErrPasswordPaused is returned when an address had too many wrong
// passwords: its password sign-in waits, its sign-in link does not.
var ErrPasswordPaused = &rencontres.Error{Code: rencontres.ETOOMANY, Key: "error.password_paused",
	Message: "too many wrong passwords for this address; ask for a sign-in link, or try again in a few minutes",
	Args:    map[string]any{"Minutes": int(LimitWindow.Minutes())}}

// PasswordAttempt is a password sign-in, counted against the limits from
// before the password is checked (so that attempts sent at once cannot
// pass the limit together) until it turns out right.
type PasswordAttempt struct {
	a    *Authenticator
	at   time.Time
	keys []string
}

// BeginPassword counts a password attempt for an address from a client,
// and refuses it past the client's limit or the address's. The same
// answer is given whether or not the address has an account.
func (a *Authenticator) BeginPassword(ctx context.Context, email, ip string) (*PasswordAttempt, error) {
	p := &PasswordAttempt{a: a, at: a.now(), keys: []string{"login:ip:" + ip, "login:email:" + strings.ToLower(email)}}
	perIP, err := a.Store.HitRateLimit(ctx, p.keys[0], LimitWindow, p.at)
	if err != nil {
		return nil, err
	}
	perEmail, err := a.Store.HitRateLimit(ctx, p.keys[1], LimitWindow, p.at)
	if err != nil {
		return nil, err
	}
	switch {
	case perIP > LimitPerIP:
		return nil, ErrRateLimited
	case perEmail > LimitPerEmail:
		return nil, ErrPasswordPaused
	}
	return p, nil
}

// Succeeded takes a right password off the counts: only wrong ones slow
// an address or a client down.
func (p *PasswordAttempt) Succeeded(ctx context.Context) error {
	for _, k := range p.keys {
		if err := p.a.Store.UndoRateLimit(ctx, k, LimitWindow, p.at); err != nil {
			return err
		}
	}
	return nil
}

// AllowLink counts a request for a sign-in link for an address from a
// client, and refuses it past the client's limits. The same answer is
// given whether or not the address has an account.
func (a *Authenticator) AllowLink(ctx context.Context, email, ip string) error {
	now := a.now()
	perIP, err := a.Store.HitRateLimit(ctx, "link:ip:"+ip, LimitWindow, now)
	if err != nil {
		return err
	}
	perPair, err := a.Store.HitRateLimit(ctx, "link:email:"+strings.ToLower(email)+":ip:"+ip, LimitWindow, now)
	if err != nil {
		return err
	}
	if perIP > LimitPerIP || perPair > LimitLinksPerEmail {
		return ErrRateLimited
	}
	return nil
}

// ClientIP is the address of the client: the connection's peer. Headers
// such as X-Forwarded-For are not trusted, since anyone can send them.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
