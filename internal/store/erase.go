package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// ErasedName stands for an erased person's name where a name is required:
// the same in every language, and naming nobody.
const ErasedName = "—"

// ErasedEmail is the placeholder address of an erased account: unique, and
// in a domain reserved never to resolve.
func ErasedEmail(userID int64) string { return fmt.Sprintf("erased-%d@erased.invalid", userID) }

// RequestErasure records a person's request to be erased; the secretariat
// carries it out with EraseUser.
func (s *Store) RequestErasure(ctx context.Context, userID int64) error {
	_, err := s.writer().ExecContext(ctx, `UPDATE users SET erasure_requested_at = $2, updated_at = $2
		WHERE id = $1 AND erasure_requested_at IS NULL`, userID, ts(time.Now()))
	return err
}

// identity is what names a person in the database: the account's address
// and the forms of their name, from the account and from every
// registration made with that address, by them or by a contact for them.
type identity struct {
	userID int64
	email  string
	// names are the whole names (« Claire DUMONT », 鈴木 遥, its kana): a
	// text that holds one of them speaks of the person.
	names []string
	// parts are every form to blank out of such a text: the whole names
	// and their given and family names alone.
	parts []string
	// regs are the registrations made with the address, by event.
	regs map[int64]int64
	// codes are those registrations' badge codes.
	codes []string
}

// identify gathers what names a person.
func (s *Store) identify(ctx context.Context, userID int64) (*identity, error) {
	id := &identity{userID: userID, regs: map[int64]int64{}}
	var name, nameJa, kana string
	err := s.reader().QueryRowContext(ctx, "SELECT email, name, name_ja, kana FROM users WHERE id = $1", userID).Scan(&id.email, &name, &nameJa, &kana)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("user")
	}
	if err != nil {
		return nil, err
	}
	id.addName(name, nameJa, kana)
	for _, p := range strings.Fields(name) {
		id.addPart(p)
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT id, event_id, given_name, family_name, name_ja, kana, code FROM registrations
		WHERE LOWER(email) = $1 ORDER BY id`, id.email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var reg, event int64
		var given, family, ja, kn, code string
		if err := rows.Scan(&reg, &event, &given, &family, &ja, &kn, &code); err != nil {
			return nil, err
		}
		id.regs[reg] = event
		id.codes = append(id.codes, code)
		up := strings.ToUpper(family)
		id.addName(given+" "+family, given+" "+up, family+" "+given, up+" "+given, ja, kn)
		id.addPart(given)
		id.addPart(family)
		id.addPart(up)
	}
	return id, rows.Err()
}

func (id *identity) addName(names ...string) {
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(id.names, n) {
			id.names = append(id.names, n)
			id.addPart(n)
		}
	}
}

// addPart adds a form to blank out; one letter alone would blank out too
// much of a text that names the person.
func (id *identity) addPart(p string) {
	if p = strings.TrimSpace(p); len([]rune(p)) > 1 && !slices.Contains(id.parts, p) {
		id.parts = append(id.parts, p)
	}
}

// needles are the texts whose presence in a value speaks of the person.
func (id *identity) needles() []string {
	return append(append([]string{id.email}, id.names...), id.codes...)
}

// mentions reports whether a text speaks of the person. The address is
// compared without case, as mail systems do.
func (id *identity) mentions(text string) bool {
	if strings.Contains(strings.ToLower(text), id.email) {
		return true
	}
	for _, n := range append(slices.Clone(id.names), id.codes...) {
		if strings.Contains(text, n) {
			return true
		}
	}
	return false
}

// blank removes the person from a text: the address becomes the erased
// account's, every form of the name the placeholder. A given or family
// name alone is replaced only on the lines that name the person, so that a
// list of people (a delegation's summary) keeps the others whole; longer
// forms go first, so that « Claire DUMONT » is replaced whole.
func (id *identity) blank(text string) string {
	parts := slices.Clone(id.parts)
	slices.SortFunc(parts, func(a, b string) int { return len(b) - len(a) })
	var b strings.Builder
	// Lines end with a newline, or with its escape inside JSON.
	for _, line := range lineBreak.Split(text, -1) {
		end := ""
		if loc := lineBreak.FindStringIndex(text); loc != nil {
			end, text = text[loc[0]:loc[1]], text[loc[1]:]
		}
		if id.mentions(line) {
			for _, p := range parts {
				line = strings.ReplaceAll(line, p, ErasedName)
			}
		}
		b.WriteString(line + end)
	}
	return replaceFold(b.String(), id.email, ErasedEmail(id.userID))
}

var lineBreak = regexp.MustCompile(`\n|\\n`)

// replaceFold replaces old in s whatever its case; old is lower case.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	var b strings.Builder
	lower := strings.ToLower(s)
	for {
		i := strings.Index(lower, old)
		// ToLower keeps the length of ASCII text; an address with other
		// letters is replaced only as written.
		if i < 0 || len(lower) != len(s) {
			b.WriteString(strings.ReplaceAll(s, old, repl))
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

// EraseUser anonymises a person in one transaction, everywhere the
// database holds them (docs/security.md): the account (names, function,
// address; every credential, session and binding deleted), the
// registrations made with their address, by them or by a contact for them
// (names, address, function, needs and answers), the campaign letters
// addressed to them, their emails in the outbox (those still queued are
// cancelled), the stored answers to submissions that name them, the
// seats, sessions, agenda items and decisions that name them, and the
// audit log, which keeps what was done but no longer who. Rows stay, so
// that what refers to them and the counts of past editions stay right.
func (s *Store) EraseUser(ctx context.Context, userID int64) error {
	return s.InTx(ctx, func(s *Store) error {
		id, err := s.identify(ctx, userID)
		if err != nil {
			return err
		}
		erased := ErasedEmail(userID)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE users SET email = $2, civility = '', name = '', name_ja = '', kana = '', function = '', password_hash = '',
				service = '', address_form = '', postal_address = '', phone = '',
				disabled = TRUE, erased = TRUE, updated_at = $3 WHERE id = $1`, []any{userID, erased, ts(time.Now())}},
			{"DELETE FROM sessions WHERE user_id = $1", []any{userID}},
			{"DELETE FROM magic_links WHERE user_id = $1", []any{userID}},
			{"DELETE FROM api_tokens WHERE user_id = $1", []any{userID}},
			{"DELETE FROM feed_tokens WHERE user_id = $1", []any{userID}},
			{"DELETE FROM user_organisations WHERE user_id = $1", []any{userID}},
			{"DELETE FROM committee_accounts WHERE user_id = $1", []any{userID}},
			{"UPDATE audit_log SET actor_email = $2, ip = '' WHERE actor_id = $1 OR LOWER(actor_email) = $3", []any{userID, erased, id.email}},
			{"UPDATE audit_log SET object_id = $2 WHERE LOWER(object_id) = $1", []any{id.email, erased}},
			{"UPDATE campaign_recipients SET email = 'erased-c' || id || '@erased.invalid' WHERE user_id = $1 OR LOWER(email) = $2", []any{userID, id.email}},
			// Their own emails: those still waiting will not leave, and none
			// keeps what it said.
			{`UPDATE mail_outbox SET status = CASE WHEN status IN ('queued', 'sending') THEN 'cancelled' ELSE status END,
				to_email = $2, to_name = '', payload = '{}', last_error = '', merge_key = NULL, lease_until = NULL WHERE LOWER(to_email) = $1`, []any{id.email, erased}},
			{"DELETE FROM idempotency_keys WHERE scope = $1", []any{"user:" + strconv.FormatInt(userID, 10)}},
			// Their reviews keep their scores, on which the decisions rest,
			// not what they wrote.
			{"UPDATE reviews SET comment_authors = '', comment_committee = '' WHERE user_id = $1", []any{userID}},
			{"UPDATE review_conflicts SET reason = '' WHERE user_id = $1", []any{userID}},
			// A vote or endorsement stays with its authority, no longer
			// with who signed it.
			{"UPDATE declaration_adoptions SET user_id = NULL WHERE user_id = $1", []any{userID}},
			// A meeting request stays with the two authorities.
			{"UPDATE meeting_requests SET created_by = NULL WHERE created_by = $1", []any{userID}},
			{"UPDATE meeting_requests SET answered_by = NULL WHERE answered_by = $1", []any{userID}},
			{"UPDATE meeting_settings SET updated_by = NULL WHERE updated_by = $1", []any{userID}},
		} {
			if _, err := s.writer().ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		if len(id.regs) > 0 {
			args, in := inList(id.regs)
			if _, err := s.anonymiseRegistrations(ctx, "id IN "+in, args...); err != nil {
				return err
			}
		}
		if err := s.eraseMentions(ctx, id); err != nil {
			return err
		}
		if err := s.eraseProposals(ctx, id); err != nil {
			return err
		}
		if err := s.eraseAmendments(ctx, userID); err != nil {
			return err
		}
		if err := s.forgetExtraLines(ctx, id); err != nil {
			return err
		}
		// What others' texts say of them: answers stored for a contact's
		// retries, messages to others, the audit log's details.
		if err := s.forgetIn(ctx, "idempotency_keys", "scope || ' ' || key", "body", id, true); err != nil {
			return err
		}
		for _, t := range []struct{ table, col string }{
			{"mail_outbox", "payload"}, {"mail_outbox", "to_name"}, {"audit_log", "detail"}, {"audit_log", "object_id"},
			// What webhooks told other systems of them, and their answers.
			{"webhook_deliveries", "payload"}, {"webhook_deliveries", "response_body"},
			// What an authority reported of its partnerships may name them.
			{"partnership_reports", "last_exchanges"}, {"partnership_reports", "current_projects"},
			{"partnerships", "last_exchanges"}, {"partnerships", "current_projects"},
		} {
			if err := s.forgetIn(ctx, t.table, "CAST(id AS TEXT)", t.col, id, false); err != nil {
				return err
			}
		}
		// Another reviewer's comments may name them.
		for _, col := range []string{"comment_authors", "comment_committee"} {
			if err := s.forgetIn(ctx, "reviews", "CAST(proposal_id AS TEXT) || ':' || CAST(user_id AS TEXT)", col, id, false); err != nil {
				return err
			}
		}
		return nil
	})
}

// anonymiseRegistrations blanks the person out of the registrations that
// where selects: names, address, function, needs and answers. Status,
// delegation, choices and check-in stay, and so do the counts of the
// event; the search text becomes the fold (searchKey) of what is left,
// the name and the address. It returns how many were anonymised.
func (s *Store) anonymiseRegistrations(ctx context.Context, where string, args ...any) (int64, error) {
	// The choices keep the names folded, for the attendance lists.
	if _, err := s.writer().ExecContext(ctx, `UPDATE registration_choices SET family_key = '`+nameKey(ErasedName)+`', given_key = ''
		WHERE registration_id IN (SELECT id FROM registrations WHERE `+where+`)`, args...); err != nil {
		return 0, err
	}
	res, err := s.writer().ExecContext(ctx, `UPDATE registrations SET civility = '', given_name = '', family_name = '`+ErasedName+`',
		name_ja = '', kana = '', function = '', email = 'erased-r' || id || '@erased.invalid', dietary = '', accessibility = '', answers = '{}',
		search = '`+rencontres.FoldSearch(ErasedName+" erased-r")+`' || id || '@erased.invalid'
		WHERE `+where, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// forgetIn blanks the person out of one text column of a table: rows are
// found by a coarse LIKE on each needle (case rules differ between the
// databases), then checked and rewritten here, or deleted when drop is
// set. table, key and col come from the code, never from input.
func (s *Store) forgetIn(ctx context.Context, table, key, col string, id *identity, drop bool) error {
	var conds []string
	var args []any
	for _, n := range id.needles() {
		args = append(args, "%"+n+"%")
		conds = append(conds, fmt.Sprintf("LOWER(%s) LIKE LOWER($%d)", col, len(args)))
	}
	rows, err := s.writer().QueryContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s", key, col, table, strings.Join(conds, " OR ")), args...)
	if err != nil {
		return err
	}
	type row struct{ key, text string }
	var hits []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.key, &r.text); err != nil {
			rows.Close()
			return err
		}
		if id.mentions(r.text) {
			hits = append(hits, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range hits {
		q, a := fmt.Sprintf("UPDATE %s SET %s = $2 WHERE %s = $1", table, col, key), []any{r.key, id.blank(r.text)}
		if drop {
			q, a = fmt.Sprintf("DELETE FROM %s WHERE %s = $1", table, key), []any{r.key}
		}
		if _, err := s.writer().ExecContext(ctx, q, a...); err != nil {
			return err
		}
	}
	return nil
}

// forgetExtraLines removes the person from the campaigns that add them by
// hand: the line naming them goes, so that a draft no longer writes to
// them (a sent campaign keeps its recipients in campaign_recipients).
func (s *Store) forgetExtraLines(ctx context.Context, id *identity) error {
	rows, err := s.writer().QueryContext(ctx, "SELECT id, filter FROM campaigns WHERE LOWER(filter) LIKE $1", "%"+id.email+"%")
	if err != nil {
		return err
	}
	changed := map[int64]string{}
	for rows.Next() {
		var cid int64
		var text string
		if err := rows.Scan(&cid, &text); err != nil {
			rows.Close()
			return err
		}
		var f rencontres.RecipientFilter
		if err := json.Unmarshal([]byte(text), &f); err != nil {
			rows.Close()
			return fmt.Errorf("campaign %d: %w", cid, err)
		}
		n := len(f.Extra)
		f.Extra = slices.DeleteFunc(f.Extra, func(line string) bool {
			addr, _, _ := strings.Cut(line, ";")
			return strings.EqualFold(strings.TrimSpace(addr), id.email)
		})
		if len(f.Extra) != n {
			b, _ := json.Marshal(f)
			changed[cid] = string(b)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for cid, filter := range changed {
		if _, err := s.writer().ExecContext(ctx, "UPDATE campaigns SET filter = $2 WHERE id = $1", cid, filter); err != nil {
			return err
		}
	}
	return nil
}

// eraseMentions replaces the person's name, and its Japanese script and
// reading, where a name stands alone:
// committee seats, programme speakers, agenda presenters, decisions'
// owners. A speaker keeps a key of their own, so that two erased speakers
// are not taken for one person booked twice at the same time.
func (s *Store) eraseMentions(ctx context.Context, id *identity) error {
	found, err := s.mentions(ctx, id)
	if err != nil {
		return err
	}
	for _, m := range found {
		var q string
		switch m.Kind {
		case "committee_seat":
			q = "UPDATE committee_seats SET person = $2, person_ja = '', kana = '' WHERE id = $1"
		case "speaker":
			q = "UPDATE session_speakers SET person = $2, person_ja = '', person_key = 'erased-' || session_id || '-' || seq WHERE session_id = $1 AND seq = $3"
		case "agenda_presenter":
			q = "UPDATE agenda_items SET presenter = $2 WHERE id = $1"
		case "decision_owner":
			q = "UPDATE decisions SET owner = $2 WHERE id = $1"
		case "proposal_presenter":
			q = "UPDATE proposal_presenters SET person = $2, function = '{}' WHERE proposal_id = $1 AND seq = $3"
		}
		args := []any{m.ID, ErasedName}
		if m.Kind == "speaker" || m.Kind == "proposal_presenter" {
			args = append(args, m.Seq)
		}
		if _, err := s.writer().ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
