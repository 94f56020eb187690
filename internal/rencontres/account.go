package rencontres

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a person is to Rencontres. Each account has one.
type Role string

// The roles of PRODUCT.md. Public is the role of a reader who is not
// signed in; no account has it.
const (
	Secretariat      Role = "secretariat"
	CommitteeMember  Role = "committee_member"
	AuthorityContact Role = "authority_contact"
	Participant      Role = "participant"
	Public           Role = "public"
)

// AccountRoles are the roles an account may have.
var AccountRoles = []Role{Secretariat, CommitteeMember, AuthorityContact, Participant}

// Valid reports whether r is a role an account may have.
func (r Role) Valid() bool {
	for _, v := range AccountRoles {
		if v == r {
			return true
		}
	}
	return false
}

// User is an account: a person who signs in.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	// Civility is "mme", "m" or "" (not given), for letters.
	Civility string `json:"civility,omitempty"`
	// Name is the name in Latin script, given name then FAMILY name.
	Name string `json:"name"`
	// NameJa is the name in Japanese, family name first; Kana its reading.
	NameJa   string `json:"name_ja,omitempty"`
	Kana     string `json:"kana,omitempty"`
	Function string `json:"function,omitempty"`
	// Service is the department the person works in (« Service des
	// relations internationales », 国際交流課).
	Service string `json:"service,omitempty"`
	// AddressForm is how letters address them (« Monsieur le Maire »,
	// « Madame la Présidente »); empty, the letter builds one.
	AddressForm   string `json:"address_form,omitempty"`
	PostalAddress string `json:"postal_address,omitempty"`
	Phone         string `json:"phone,omitempty"`
	// Lang is the language of the person's pages and emails.
	Lang     Lang `json:"lang"`
	Role     Role `json:"role"`
	Disabled bool `json:"disabled"`
	Erased   bool `json:"erased,omitempty"`
	// ErasureRequested is when the person asked to be erased, if they did.
	ErasureRequested *time.Time `json:"erasure_requested_at,omitempty"`
	OrgKeys          []string   `json:"organisations"`
	Created          time.Time  `json:"created_at"`
	// HasPassword is set when a password hash is stored; the hash itself
	// never leaves the store.
	HasPassword bool `json:"-"`
}

// MaxNameLen bounds the names and function of a profile, in characters.
const MaxNameLen = 200

// NormaliseEmail trims and lower-cases an address and checks its form.
func NormaliseEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", &Error{Code: EINVALID, Key: "error.bad_email", Field: "email", Message: fmt.Sprintf("%q is not an email address", s), Args: map[string]any{"Value": s}}
	}
	return s, nil
}

// Validate checks a profile before it is stored.
func (u *User) Validate() error {
	var errs []error
	if email, err := NormaliseEmail(u.Email); err != nil {
		errs = append(errs, err)
	} else {
		u.Email = email
	}
	u.Name = strings.TrimSpace(u.Name)
	if !slices.Contains(Civilities, u.Civility) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_civility", Field: "civility", Message: "unknown civility"})
	}
	for _, f := range []struct{ name, v string }{{"name", u.Name}, {"name_ja", u.NameJa}, {"kana", u.Kana}, {"function", u.Function},
		{"service", u.Service}, {"address_form", u.AddressForm}, {"phone", u.Phone}} {
		if utf8.RuneCountInString(f.v) > MaxNameLen {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: f.name, Message: "too long", Args: map[string]any{"Max": MaxNameLen}})
		}
	}
	if utf8.RuneCountInString(u.PostalAddress) > MaxPostalAddressLen {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: "postal_address", Message: "too long", Args: map[string]any{"Max": MaxPostalAddressLen}})
	}
	u.Phone = strings.TrimSpace(u.Phone)
	if u.Phone != "" && utf8.RuneCountInString(u.Phone) <= MaxNameLen && !validPhone(u.Phone) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_phone", Field: "phone", Message: "not a phone number", Args: map[string]any{"Value": u.Phone}})
	}
	if u.Kana != "" && !isKana(u.Kana) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_kana", Field: "kana", Message: "the reading must be in kana"})
	}
	if _, ok := ParseLang(string(u.Lang)); !ok {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.unknown_language", Field: "lang", Message: fmt.Sprintf("unknown language %q", u.Lang), Args: map[string]any{"Lang": string(u.Lang)}})
	}
	if !u.Role.Valid() {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_role", Field: "role", Message: fmt.Sprintf("unknown role %q", u.Role)})
	}
	// Every fault is reported at once (see Join).
	return Join(errs...)
}

func isKana(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'ぁ' && r <= 'ゖ', r >= 'ァ' && r <= 'ヺ', r == 'ー', r == ' ', r == '　', r == '・':
		default:
			return false
		}
	}
	return true
}

// Actor is who makes a request: a signed-in user, or nobody (public).
type Actor struct {
	User *User
	// Committees lists the committees the user sits on, by id.
	Committees []int64
	// IP is the address the request came from, for the audit log.
	IP string
}

// Role returns the actor's role; Public when nobody is signed in.
func (a *Actor) Role() Role {
	if a == nil || a.User == nil || a.User.Disabled {
		return Public
	}
	return a.User.Role
}

// UserFilter selects accounts.
type UserFilter struct {
	Role  Role
	Query string // part of an email or a name
}

// AccountService reads and writes accounts and what hangs on them.
type AccountService interface {
	User(ctx context.Context, id int64) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	Users(ctx context.Context, f UserFilter) ([]*User, error)
	InviteUser(ctx context.Context, u *User, orgKey string) error
	UpdateProfile(ctx context.Context, u *User) error
	PasswordHash(ctx context.Context, userID int64) (string, error)
	SetPassword(ctx context.Context, userID int64, hash string) error
	SetDisabled(ctx context.Context, userID int64, disabled bool) error
	BindOrganisation(ctx context.Context, userID int64, orgKey string) error
	OrganisationContacts(ctx context.Context, orgKey string) ([]*User, error)
	CreateMagicLink(ctx context.Context, tokenHash string, userID int64, email string, now, expires time.Time) error
	ConsumeMagicLink(ctx context.Context, tokenHash string, now time.Time) (*User, error)
	CreateAPIToken(ctx context.Context, userID int64, name, tokenHash, prefix string) (*APIToken, error)
	APITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, tokenID int64) error
	Audit(ctx context.Context, e *AuditEntry) error
	AuditLog(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	BindCommittee(ctx context.Context, userID, committeeID int64) error
	UserCommittees(ctx context.Context, userID int64) ([]*CommitteeRef, error)
	AllCommittees(ctx context.Context) ([]*CommitteeRef, error)
	Committee(ctx context.Context, id int64) (*CommitteeRef, error)
	RequestErasure(ctx context.Context, userID int64) error
	EraseUser(ctx context.Context, userID int64) error
	PersonalData(ctx context.Context, userID int64) (*PersonalData, error)
}

// APIToken is a personal token for scripts, as its owner sees it: never the
// secret itself after creation, only its prefix.
type APIToken struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	Prefix   string     `json:"prefix"`
	Created  time.Time  `json:"created_at"`
	LastUsed *time.Time `json:"last_used_at,omitempty"`
	Revoked  *time.Time `json:"revoked_at,omitempty"`
}

// AuditEntry records who did what, when, to which object, from where.
type AuditEntry struct {
	ID         int64          `json:"id"`
	At         time.Time      `json:"at"`
	ActorID    int64          `json:"actor_id,omitempty"`
	ActorEmail string         `json:"actor_email,omitempty"`
	Action     string         `json:"action"`
	ObjectType string         `json:"object_type,omitempty"`
	ObjectID   string         `json:"object_id,omitempty"`
	IP         string         `json:"ip,omitempty"`
	Detail     map[string]any `json:"detail,omitempty"`
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	ActorEmail string
	Action     string
	ObjectType string
	ObjectID   string
	Since      time.Time
	Until      time.Time
	Limit      int
}

// CommitteeRef is a committee with the edition it prepares.
type CommitteeRef struct {
	Committee  *Committee
	SeriesSlug string
	Number     int
}
