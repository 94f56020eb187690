package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// PersonalData gathers everything held about a person, by their account
// and by their address (docs/security.md): what EraseUser anonymises is
// what this returns.
func (s *Store) PersonalData(ctx context.Context, userID int64) (*rencontres.PersonalData, error) {
	id, err := s.identify(ctx, userID)
	if err != nil {
		return nil, err
	}
	d := &rencontres.PersonalData{Committees: []int64{}, Sessions: []rencontres.SessionData{}, SignInLinks: []rencontres.SignInData{},
		Registrations: []*rencontres.Registration{}, Emails: []rencontres.EmailData{}, Mentions: []rencontres.Mention{}}
	if d.Profile, err = s.User(ctx, userID); err != nil {
		return nil, err
	}
	if d.Memberships, err = s.memberships(ctx, userID); err != nil {
		return nil, err
	}
	if ids, err := s.UserCommitteeIDs(ctx, userID); err != nil {
		return nil, err
	} else if ids != nil {
		d.Committees = ids
	}
	if d.Tokens, err = s.APITokens(ctx, userID); err != nil {
		return nil, err
	}
	if d.FeedTokens, err = s.feedTokens(ctx, userID); err != nil {
		return nil, err
	}
	if err := s.personalSessions(ctx, d); err != nil {
		return nil, err
	}
	for reg, event := range id.regs {
		r, err := s.Registration(ctx, event, reg)
		if err != nil {
			return nil, err
		}
		d.Registrations = append(d.Registrations, r)
	}
	slices.SortFunc(d.Registrations, func(a, b *rencontres.Registration) int { return cmp.Compare(a.ID, b.ID) })
	if d.Letters, err = s.campaignRecipients(ctx, "cr.user_id = $1 OR LOWER(cr.email) = $2", userID, id.email); err != nil {
		return nil, err
	}
	if d.Letters == nil {
		d.Letters = []*rencontres.Recipient{}
	}
	if d.Webhooks, err = s.personalWebhooks(ctx, id.email); err != nil {
		return nil, err
	}
	if d.Emails, err = s.personalEmails(ctx, id.email); err != nil {
		return nil, err
	}
	if d.Mentions, err = s.mentions(ctx, id); err != nil {
		return nil, err
	}
	if d.PartnershipReports, err = s.reports(ctx, " WHERE r.author_id = $1", userID); err != nil {
		return nil, err
	}
	if d.PartnershipReports == nil {
		d.PartnershipReports = []*rencontres.PartnershipReport{}
	}
	if d.NewsPosts, err = s.newsAuthored(ctx, userID); err != nil {
		return nil, err
	}
	if d.Reviews, err = scanReviews(s.reader().QueryContext(ctx, "SELECT "+reviewColumns+` FROM reviews r JOIN users u ON u.id = r.user_id
		WHERE r.user_id = $1 ORDER BY r.proposal_id`, userID)); err != nil {
		return nil, err
	}
	if d.Proposals, err = s.personalProposals(ctx, id); err != nil {
		return nil, err
	}
	if d.DeclarationAdoptions, err = s.personalAdoptions(ctx, userID); err != nil {
		return nil, err
	}
	if err := s.personalAmendments(ctx, d, userID); err != nil {
		return nil, err
	}
	if d.DeclarationVersions, err = s.versions(ctx, "x.by_user = $1", userID); err != nil {
		return nil, err
	}
	if d.CooperationProfiles, err = s.cooperationProfilesBy(ctx, userID); err != nil {
		return nil, err
	}
	if d.MeetingRequests, err = s.personalMeetingRequests(ctx, userID); err != nil {
		return nil, err
	}
	if d.Activity, err = s.auditWhere(ctx, "actor_id = $1 OR LOWER(actor_email) = $2", userID, id.email); err != nil {
		return nil, err
	}
	// About them: entries on their account (by address or number) and on
	// their registrations, by others.
	about := "(object_type = 'user' AND (LOWER(object_id) = $2 OR object_id = $3))"
	args := []any{userID, id.email, fmt.Sprintf("user:%d", userID)}
	if len(id.regs) > 0 {
		var marks []string
		for reg := range id.regs {
			args = append(args, fmt.Sprint(reg))
			marks = append(marks, fmt.Sprintf("$%d", len(args)))
		}
		about += " OR (object_type = 'registration' AND object_id IN (" + strings.Join(marks, ", ") + "))"
	}
	if d.About, err = s.auditWhere(ctx, "COALESCE(actor_id, 0) <> $1 AND ("+about+")", args...); err != nil {
		return nil, err
	}
	return d, nil
}

// personalSessions adds the person's sessions and sign-in links, without
// their hashes.
func (s *Store) personalSessions(ctx context.Context, d *rencontres.PersonalData) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT created_at, last_seen_at, expires_at, ip, user_agent FROM sessions
		WHERE user_id = $1 ORDER BY created_at`, d.Profile.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var x rencontres.SessionData
		var created, seen, expires string
		if err := rows.Scan(&created, &seen, &expires, &x.IP, &x.UserAgent); err != nil {
			rows.Close()
			return err
		}
		x.Created, _ = parseTS(created)
		x.LastSeen, _ = parseTS(seen)
		x.Expires, _ = parseTS(expires)
		d.Sessions = append(d.Sessions, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.reader().QueryContext(ctx, "SELECT email, created_at, expires_at, used_at FROM magic_links WHERE user_id = $1 ORDER BY created_at", d.Profile.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var x rencontres.SignInData
		var created, expires string
		var used sql.NullString
		if err := rows.Scan(&x.Email, &created, &expires, &used); err != nil {
			return err
		}
		x.Created, _ = parseTS(created)
		x.Expires, _ = parseTS(expires)
		x.Used = parseNullTS(used)
		d.SignInLinks = append(d.SignInLinks, x)
	}
	return rows.Err()
}

// personalWebhooks lists the webhook deliveries whose body holds the
// person's address.
func (s *Store) personalWebhooks(ctx context.Context, email string) ([]rencontres.WebhookData, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT d.id, e.url, d.event_type, d.status, d.created_at FROM webhook_deliveries d
		JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE LOWER(d.payload) LIKE '%' || $1 || '%' ORDER BY d.id`, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rencontres.WebhookData{}
	for rows.Next() {
		var x rencontres.WebhookData
		var created string
		if err := rows.Scan(&x.ID, &x.Endpoint, &x.EventType, &x.Status, &created); err != nil {
			return nil, err
		}
		x.Created, _ = parseTS(created)
		out = append(out, x)
	}
	return out, rows.Err()
}

// personalEmails lists the outbox's messages to an address, with the
// subject of those already rendered, never their body.
func (s *Store) personalEmails(ctx context.Context, email string) ([]rencontres.EmailData, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, kind, to_email, payload, deferred, status, created_at, sent_at FROM mail_outbox
		WHERE LOWER(to_email) = $1 ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rencontres.EmailData{}
	for rows.Next() {
		var x rencontres.EmailData
		var payload, created string
		var deferred bool
		var sent sql.NullString
		if err := rows.Scan(&x.ID, &x.Kind, &x.To, &payload, &deferred, &x.Status, &created, &sent); err != nil {
			return nil, err
		}
		if !deferred {
			var m struct{ Subject string }
			json.Unmarshal([]byte(payload), &m)
			x.Subject = m.Subject
		}
		x.Created, _ = parseTS(created)
		x.Sent = parseNullTS(sent)
		out = append(out, x)
	}
	return out, rows.Err()
}

// mentions finds the places that name the person without an address: a
// name written alone (a seat, a speaker, a presenter, a decision's owner)
// is theirs when it folds to one of their whole names.
func (s *Store) mentions(ctx context.Context, id *identity) ([]rencontres.Mention, error) {
	folded := map[string]bool{}
	for _, n := range id.names {
		folded[rencontres.FoldSearch(n)] = true
	}
	out := []rencontres.Mention{}
	for _, q := range []struct{ kind, sql string }{
		{"committee_seat", "SELECT cs.id, 0, cs.person, cs.role, c.edition_id FROM committee_seats cs JOIN committees c ON c.id = cs.committee_id ORDER BY cs.id"},
		{"speaker", "SELECT sp.session_id, sp.seq, sp.person, sp.role, ps.edition_id FROM session_speakers sp JOIN programme_sessions ps ON ps.id = sp.session_id ORDER BY sp.session_id, sp.seq"},
		{"agenda_presenter", "SELECT id, 0, presenter, '', event_id FROM agenda_items WHERE presenter <> '' ORDER BY id"},
		{"decision_owner", "SELECT id, 0, owner, '', event_id FROM decisions WHERE owner <> '' ORDER BY id"},
		{"proposal_presenter", `SELECT pp.proposal_id, pp.seq, pp.person, '', c.event_id FROM proposal_presenters pp
			JOIN proposals p ON p.id = pp.proposal_id JOIN calls c ON c.id = p.call_id ORDER BY pp.proposal_id, pp.seq`},
	} {
		rows, err := s.reader().QueryContext(ctx, q.sql)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			m := rencontres.Mention{Kind: q.kind}
			if err := rows.Scan(&m.ID, &m.Seq, &m.Person, &m.Role, &m.EventID); err != nil {
				rows.Close()
				return nil, err
			}
			if folded[rencontres.FoldSearch(m.Person)] {
				out = append(out, m)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// auditWhere lists the audit entries a condition selects, oldest first.
func (s *Store) auditWhere(ctx context.Context, where string, args ...any) ([]*rencontres.AuditEntry, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_email, action, object_type, object_id, ip, detail
		FROM audit_log WHERE `+where+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAudit(rows)
	if out == nil && err == nil {
		out = []*rencontres.AuditEntry{}
	}
	return out, err
}
