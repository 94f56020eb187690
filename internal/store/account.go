package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// tsLayout is how instants are stored: UTC, fixed width, so that they
// compare correctly as text on both databases.
const tsLayout = "2006-01-02T15:04:05.000000Z"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s string) (time.Time, error) { return time.Parse(tsLayout, s) }

func parseNullTS(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t, err := parseTS(s.String)
	if err != nil {
		return nil
	}
	return &t
}

const userColumns = `u.id, u.email, u.civility, u.name, u.name_ja, u.kana, u.function, u.lang, u.role, u.disabled, u.erased,
	u.created_at, u.service, u.address_form, u.postal_address, u.phone, u.password_hash <> '', u.erasure_requested_at,
	(SELECT string_agg(o.key, '` + keySep + `' ORDER BY o.key) FROM user_organisations uo JOIN organisations o ON o.id = uo.org_id
		WHERE uo.user_id = u.id AND uo.removed_at IS NULL)`

// keySep joins an account's authorities' keys in its row: a unit
// separator, which no key holds.
const keySep = "\x1f"

// scanUser scans an account with its authorities' keys, read in the same
// row.
func scanUser(row scanner) (*rencontres.User, error) {
	var u rencontres.User
	var created string
	var erasure, orgs sql.NullString
	if err := row.Scan(&u.ID, &u.Email, &u.Civility, &u.Name, &u.NameJa, &u.Kana, &u.Function, &u.Lang, &u.Role, &u.Disabled, &u.Erased,
		&created, &u.Service, &u.AddressForm, &u.PostalAddress, &u.Phone, &u.HasPassword, &erasure, &orgs); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, rencontres.NotFound("user")
		}
		return nil, err
	}
	u.Created, _ = parseTS(created)
	u.ErasureRequested = parseNullTS(erasure)
	u.OrgKeys = []string{}
	if orgs.Valid {
		u.OrgKeys = strings.Split(orgs.String, keySep)
	}
	return &u, nil
}

// User returns the account with the given id.
func (s *Store) User(ctx context.Context, id int64) (*rencontres.User, error) {
	return scanUser(s.reader().QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = $1", id))
}

// UserByEmail returns the account with the given address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*rencontres.User, error) {
	return scanUser(s.reader().QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u WHERE u.email = $1",
		strings.ToLower(strings.TrimSpace(email))))
}

// Users lists accounts, by email.
func (s *Store) Users(ctx context.Context, f rencontres.UserFilter) ([]*rencontres.User, error) {
	return s.usersOf(ctx, " FROM users u WHERE ($1 = '' OR u.role = $1) AND ($2 = '' OR lower(u.email || ' ' || u.name || ' ' || u.name_ja) LIKE $3) ORDER BY u.email",
		string(f.Role), f.Query, likePattern(strings.ToLower(f.Query)))
}

// OrgContacts lists the active contacts of an authority, by email: those
// told of its delegations. A removed contact is not one.
func (s *Store) OrgContacts(ctx context.Context, orgKey string) ([]*rencontres.User, error) {
	return s.usersOf(ctx, ` FROM users u JOIN user_organisations uo ON uo.user_id = u.id JOIN organisations o ON o.id = uo.org_id
		WHERE o.key = $1 AND uo.removed_at IS NULL AND u.role = $2 AND NOT u.disabled AND NOT u.erased ORDER BY u.email`, orgKey, string(rencontres.AuthorityContact))
}

// usersOf reads the accounts of a query's FROM, WHERE and ORDER BY
// clauses (from), in its order, each with its authorities in its row.
func (s *Store) usersOf(ctx context.Context, from string, args ...any) ([]*rencontres.User, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+userColumns+from, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateUser stores a new account; passwordHash may be empty.
func (s *Store) CreateUser(ctx context.Context, u *rencontres.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := time.Now()
	err := s.writer().QueryRowContext(ctx, `INSERT INTO users (email, civility, name, name_ja, kana, function, lang, role, password_hash, created_at, updated_at,
		service, address_form, postal_address, phone)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14) ON CONFLICT (email) DO NOTHING RETURNING id`,
		u.Email, u.Civility, u.Name, u.NameJa, u.Kana, u.Function, u.Lang, u.Role, passwordHash, ts(now),
		u.Service, u.AddressForm, u.PostalAddress, u.Phone).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.email_taken", Field: "email",
			Message: fmt.Sprintf("an account already uses %s", u.Email), Args: map[string]any{"Value": u.Email}}
	}
	u.Created, u.HasPassword = now, passwordHash != ""
	return err
}

// InviteUser creates an account and, when orgKey is set, binds it to that
// organisation, in one transaction.
func (s *Store) InviteUser(ctx context.Context, u *rencontres.User, orgKey string) error {
	return s.InTx(ctx, func(s *Store) error {
		if err := s.CreateUser(ctx, u, ""); err != nil {
			return err
		}
		if orgKey == "" {
			return nil
		}
		if err := s.BindOrganisation(ctx, u.ID, orgKey); err != nil {
			return err
		}
		u.OrgKeys = []string{orgKey}
		return nil
	})
}

// UpdateProfile stores what a person may change of their own profile.
func (s *Store) UpdateProfile(ctx context.Context, u *rencontres.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	_, err := s.writer().ExecContext(ctx, `UPDATE users SET name = $2, name_ja = $3, kana = $4, function = $5, lang = $6, updated_at = $7, civility = $8,
		service = $9, address_form = $10, postal_address = $11, phone = $12
		WHERE id = $1`, u.ID, u.Name, u.NameJa, u.Kana, u.Function, u.Lang, ts(time.Now()), u.Civility,
		u.Service, u.AddressForm, u.PostalAddress, u.Phone)
	return err
}

// PasswordHash returns the stored password hash of an account, empty when
// it has none.
func (s *Store) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := s.reader().QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = $1", userID).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", rencontres.NotFound("user")
	}
	return h, err
}

// SetPassword stores a new password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	_, err := s.writer().ExecContext(ctx, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", userID, hash, ts(time.Now()))
	return err
}

// SetDisabled disables or enables an account; disabling also ends its
// sessions.
func (s *Store) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.writer().ExecContext(ctx, "UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1", userID, disabled, ts(time.Now())); err != nil {
			return err
		}
		if disabled {
			return s.DeleteUserSessions(ctx, userID)
		}
		return nil
	})
}

// BindOrganisation makes an account a contact of an organisation, again if
// it had been removed from its contacts.
func (s *Store) BindOrganisation(ctx context.Context, userID int64, orgKey string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		org, err := orgID(ctx, tx, orgKey)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO user_organisations (user_id, org_id) VALUES ($1, $2)
			ON CONFLICT (user_id, org_id) DO UPDATE SET removed_at = NULL`, userID, org)
		return err
	})
}

// OrganisationContacts lists the accounts bound to an organisation, its
// removed contacts left out.
func (s *Store) OrganisationContacts(ctx context.Context, orgKey string) ([]*rencontres.User, error) {
	return s.usersOf(ctx, ` FROM user_organisations uo JOIN organisations o ON o.id = uo.org_id
		JOIN users u ON u.id = uo.user_id WHERE o.key = $1 AND uo.removed_at IS NULL AND NOT u.erased ORDER BY u.email`, orgKey)
}

// CreateSession stores a session by the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, userID int64, now, expires time.Time, ip, userAgent string) error {
	_, err := s.writer().ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $3, $4, $5, $6)`, tokenHash, userID, ts(now), ts(expires), ip, truncate(userAgent, 300))
	return err
}

// SessionUser returns the user of a live session: not past its absolute
// expiry, seen within idle, account enabled. It records the visit at most
// once a minute, to spare the database a write per request.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*rencontres.User, error) {
	var userID int64
	var lastSeen string
	err := s.reader().QueryRowContext(ctx, `SELECT s.user_id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT u.disabled AND NOT u.erased`,
		tokenHash, ts(now), ts(now.Add(-idle))).Scan(&userID, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("session")
	}
	if err != nil {
		return nil, err
	}
	if seen, err := parseTS(lastSeen); err == nil && now.Sub(seen) > time.Minute {
		if _, err := s.writer().ExecContext(ctx, "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", tokenHash, ts(now)); err != nil {
			return nil, err
		}
	}
	return s.User(ctx, userID)
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.writer().ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
	return err
}

// DeleteUserSessions ends every session of an account: "sign out
// everywhere".
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := s.writer().ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID)
	return err
}

// CreateMagicLink stores a sign-in link by the hash of its token.
func (s *Store) CreateMagicLink(ctx context.Context, tokenHash string, userID int64, email string, now, expires time.Time) error {
	_, err := s.writer().ExecContext(ctx, `INSERT INTO magic_links (token_hash, user_id, email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, tokenHash, userID, email, ts(now), ts(expires))
	return err
}

// ErrLinkUnusable is returned for a sign-in link that is unknown, used,
// expired, or sent to an address the account no longer has.
var ErrLinkUnusable = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.link_unusable", Message: "this sign-in link is expired, already used or unknown"}

// ConsumeMagicLink marks a link used and returns its account. The update
// is atomic: of two clicks on one link, one signs in and the other is
// refused.
func (s *Store) ConsumeMagicLink(ctx context.Context, tokenHash string, now time.Time) (*rencontres.User, error) {
	var userID int64
	var email string
	err := s.writer().QueryRowContext(ctx, `UPDATE magic_links SET used_at = $2
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id, email`, tokenHash, ts(now)).Scan(&userID, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLinkUnusable
	}
	if err != nil {
		return nil, err
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Email != email || u.Disabled || u.Erased {
		return nil, ErrLinkUnusable
	}
	return u, nil
}

// CreateAPIToken stores a token by the hash of its secret.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name, tokenHash, prefix string) (*rencontres.APIToken, error) {
	t := &rencontres.APIToken{Name: name, Prefix: prefix, Created: time.Now().UTC()}
	err := s.writer().QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, userID, name, tokenHash, prefix, ts(t.Created)).Scan(&t.ID)
	return t, err
}

// APITokens lists an account's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]*rencontres.APIToken, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
		WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.APIToken
	for rows.Next() {
		var t rencontres.APIToken
		var created string
		var used, revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &created, &used, &revoked); err != nil {
			return nil, err
		}
		t.Created, _ = parseTS(created)
		t.LastUsed, t.Revoked = parseNullTS(used), parseNullTS(revoked)
		out = append(out, &t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of the account's own tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.writer().ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
		tokenID, userID, ts(time.Now()))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rencontres.NotFound("token")
	}
	return nil
}

// APITokenUser returns the account of a live token and records its use.
// The token and its account are read together: every API call begins here
// (on PostgreSQL, with the calls that come at the same time: coalesce.go).
func (s *Store) APITokenUser(ctx context.Context, tokenHash string, now time.Time) (*rencontres.User, error) {
	var t tokenUser
	var ok bool
	var err error
	if s.reads != nil && s.tx == nil {
		t, ok, err = s.reads.tokens.get(ctx, tokenHash)
	} else {
		var got map[string]tokenUser
		got, err = s.tokenUsers(ctx, []string{tokenHash})
		t, ok = got[tokenHash]
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rencontres.NotFound("token")
	}
	// The last use is recorded to the minute: a script's burst of calls
	// does not write once per call.
	if !t.lastUsed.Valid || t.lastUsed.String < ts(now.Add(-time.Minute)) {
		if _, err := s.writer().ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1", tokenHash, ts(now)); err != nil {
			return nil, err
		}
	}
	return t.u, nil
}

// tokenUser is a live token's account and its last use.
type tokenUser struct {
	u        *rencontres.User
	lastUsed sql.NullString
}

// tokenUsers reads the accounts of the live tokens among hashes.
func (s *Store) tokenUsers(ctx context.Context, hashes []string) (map[string]tokenUser, error) {
	args := make([]any, len(hashes))
	for i, h := range hashes {
		args[i] = h
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT t.token_hash, t.last_used_at, `+userColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash IN `+in(0, len(args))+` AND t.revoked_at IS NULL AND NOT u.disabled AND NOT u.erased`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]tokenUser{}
	for rows.Next() {
		var hash string
		var t tokenUser
		if t.u, err = scanUser(withExtra{rows, []any{&hash, &t.lastUsed}}); err != nil {
			return nil, err
		}
		out[hash] = t
	}
	return out, rows.Err()
}

// clone copies a token's account for another request.
func (t tokenUser) clone() tokenUser {
	u := *t.u
	u.OrgKeys = slices.Clone(t.u.OrgKeys)
	if t.u.ErasureRequested != nil {
		at := *t.u.ErasureRequested
		u.ErasureRequested = &at
	}
	t.u = &u
	return t
}

// withExtra scans the columns a query selects before those a scan
// function reads.
type withExtra struct {
	row   scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.row.Scan(append(w.extra, dest...)...) }

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, e *rencontres.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	detail, err := json.Marshal(e.Detail)
	if err != nil || e.Detail == nil {
		detail = []byte("{}")
	}
	var actor sql.NullInt64
	if e.ActorID != 0 {
		actor = sql.NullInt64{Int64: e.ActorID, Valid: true}
	}
	return s.writer().QueryRowContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_email, action, object_type, object_id, ip, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, ts(e.At), actor, e.ActorEmail, e.Action, e.ObjectType, e.ObjectID,
		e.IP, string(detail)).Scan(&e.ID)
}

// HitRateLimit counts one attempt under key in the fixed window that holds
// now, and returns the count so far in that window, this one included.
// Every instance shares the count through the database.
func (s *Store) HitRateLimit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error) {
	start := now.UTC().Truncate(window)
	var n int
	err := s.writer().QueryRowContext(ctx, `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`, key, ts(start)).Scan(&n)
	if err != nil {
		return 0, err
	}
	if n == 1 {
		// The first hit of a window clears windows over a day old.
		if _, err := s.writer().ExecContext(ctx, "DELETE FROM rate_limits WHERE window_start < $1", ts(now.Add(-24*time.Hour))); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// BindCommittee seats an account on a committee.
func (s *Store) BindCommittee(ctx context.Context, userID, committeeID int64) error {
	var one int
	if err := s.reader().QueryRowContext(ctx, "SELECT 1 FROM committees WHERE id = $1", committeeID).Scan(&one); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_committee", Field: "committee",
				Message: fmt.Sprintf("committee %d not found", committeeID)}
		}
		return err
	}
	_, err := s.writer().ExecContext(ctx, "INSERT INTO committee_accounts (committee_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", committeeID, userID)
	return err
}

// UserCommitteeIDs lists the ids of the committees an account sits on.
func (s *Store) UserCommitteeIDs(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT committee_id FROM committee_accounts WHERE user_id = $1 ORDER BY committee_id", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// AllCommittees lists every committee with its edition, newest edition
// first, without members or meetings: for choosing one.
func (s *Store) AllCommittees(ctx context.Context) ([]*rencontres.CommitteeRef, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT c.id, c.kind, c.name, se.slug, e.number FROM committees c
		JOIN editions e ON e.id = c.edition_id JOIN series se ON se.id = e.series_id ORDER BY e.year DESC, c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.CommitteeRef
	for rows.Next() {
		c := &rencontres.CommitteeRef{Committee: &rencontres.Committee{}}
		if err := rows.Scan(&c.Committee.ID, &c.Committee.Kind, &c.Committee.Name, &c.SeriesSlug, &c.Number); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// UserCommittees lists the committees an account sits on.
func (s *Store) UserCommittees(ctx context.Context, userID int64) ([]*rencontres.CommitteeRef, error) {
	ids, err := s.UserCommitteeIDs(ctx, userID)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.CommitteeRef
	for _, id := range ids {
		c, err := s.Committee(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Committee returns a committee, with its members and meetings, and the
// edition it prepares.
func (s *Store) Committee(ctx context.Context, id int64) (*rencontres.CommitteeRef, error) {
	var slug string
	var number int
	err := s.reader().QueryRowContext(ctx, `SELECT se.slug, e.number FROM committees c JOIN editions e ON e.id = c.edition_id
		JOIN series se ON se.id = e.series_id WHERE c.id = $1`, id).Scan(&slug, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("committee")
	}
	if err != nil {
		return nil, err
	}
	e, err := s.Edition(ctx, slug, number)
	if err != nil {
		return nil, err
	}
	for _, c := range e.Committees {
		if c.ID == id {
			return &rencontres.CommitteeRef{Committee: c, SeriesSlug: slug, Number: number}, nil
		}
	}
	return nil, rencontres.NotFound("committee")
}
