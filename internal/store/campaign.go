package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Outbox kinds of a campaign's messages.
const (
	CampaignLetterKind   = "campaign-letter"
	CampaignReminderKind = "campaign-reminder"
)

var errCampaignSent = &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.campaign_not_draft",
	Message: "this campaign was sent or cancelled: its letters can no longer change"}

// SaveCampaign creates a draft campaign, or changes one still a draft.
// Every fault is told at once (rencontres.Join): those found by the caller
// (the letters', given as faults), the campaign's own, and those that
// depend on its event (an unknown event, documents that are not the
// event's, a letter dated after the event, a reminder that would leave
// before registration opens); nothing is saved when there is one.
func (s *Store) SaveCampaign(ctx context.Context, c *rencontres.Campaign, now time.Time, faults ...error) error {
	if c.Letters == nil {
		c.Letters = map[rencontres.Lang]json.RawMessage{}
	}
	c.Documents, c.ReminderDays = orEmpty(c.Documents), orEmpty(c.ReminderDays)
	letters, _ := json.Marshal(c.Letters)
	filter, _ := json.Marshal(c.Filter)
	docs, _ := json.Marshal(c.Documents)
	days, _ := json.Marshal(c.ReminderDays)
	date := ""
	if !c.LetterDate.IsZero() {
		date = c.LetterDate.String()
	}
	return s.InTx(ctx, func(s *Store) error {
		errs, err := s.campaignEventFaults(ctx, c)
		if err != nil {
			return err
		}
		if err := rencontres.Join(append(append([]error{c.Validate()}, errs...), faults...)...); err != nil {
			return err
		}
		if c.ID == 0 {
			c.Status, c.Created, c.Updated = rencontres.CampaignDraft, now.UTC(), now.UTC()
			return s.writer().QueryRowContext(ctx, `INSERT INTO campaigns (event_id, name, status, letters, filter, documents, reminder_days, letter_date,
				created_by, created_at, updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
				c.EventID, c.Name, string(letters), string(filter), string(docs), string(days), date, nullID(c.CreatedBy), ts(now)).Scan(&c.ID)
		}
		res, err := s.writer().ExecContext(ctx, `UPDATE campaigns SET event_id = $2, name = $3, letters = $4, filter = $5, documents = $6,
			reminder_days = $7, letter_date = $8, updated_at = $9 WHERE id = $1 AND status = 'draft'`,
			c.ID, c.EventID, c.Name, string(letters), string(filter), string(docs), string(days), date, ts(now))
		if n, _ := res.RowsAffected(); err == nil && n == 0 {
			if _, err := s.Campaign(ctx, c.ID); err != nil {
				return err
			}
			return errCampaignSent
		}
		c.Status, c.Updated = rencontres.CampaignDraft, now.UTC()
		return err
	})
}

// campaignEventFaults are a campaign's faults that depend on its event:
// the event unknown, documents that are not its own, a letter dated after
// it ends, a reminder day that falls before its registration opens.
func (s *Store) campaignEventFaults(ctx context.Context, c *rencontres.Campaign) ([]error, error) {
	e, err := s.Event(ctx, c.EventID)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return []error{&rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_event", Field: "event_id", Message: "unknown event",
			Args: map[string]any{"Value": c.EventID}}}, nil
	}
	if err != nil {
		return nil, err
	}
	errs, err := s.registrantFaults(ctx, c)
	if err != nil {
		return nil, err
	}
	if end := cmp.Or(e.End, e.Start); !c.LetterDate.IsZero() && !end.IsZero() && end.Before(c.LetterDate) {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "campaign_check.letter_date_after_event", Field: "letter_date",
			Message: "the letter is dated after the event ends", Args: map[string]any{"Value": c.LetterDate, "End": end}})
	}
	if len(c.ReminderDays) > 0 {
		f, err := s.RegistrationForm(ctx, c.EventID)
		switch {
		case rencontres.ErrorCode(err) == rencontres.ENOTFOUND:
		case err != nil:
			return nil, err
		default:
			for _, d := range c.ReminderDays {
				if f.Deadline.AddDate(0, 0, -d).Before(f.Opens) {
					errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "campaign_check.reminder_before_opening", Field: "reminder_days",
						Message: fmt.Sprintf("%d days before the deadline, registration is not open yet", d),
						Args:    map[string]any{"Value": d, "Opens": f.Opens.In(e.Location())}})
					break
				}
			}
		}
	}
	for i, id := range c.Documents {
		var n int
		if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE id = $1 AND event_id = $2", id, c.EventID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_document", Field: fmt.Sprintf("documents[%d]", i),
				Message: fmt.Sprintf("document %d is not one of the event's", id), Args: map[string]any{"Value": id}})
		}
	}
	return errs, nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

const campaignColumns = `id, event_id, name, status, letters, filter, documents, reminder_days, letter_date, COALESCE(created_by, 0),
	created_at, updated_at, launched_at, cancelled_at`

func scanCampaign(row scanner) (*rencontres.Campaign, error) {
	var c rencontres.Campaign
	var letters, filter, docs, days, date, created, updated string
	var launched, cancelled sql.NullString
	if err := row.Scan(&c.ID, &c.EventID, &c.Name, &c.Status, &letters, &filter, &docs, &days, &date, &c.CreatedBy,
		&created, &updated, &launched, &cancelled); err != nil {
		return nil, err
	}
	for _, x := range []struct {
		src string
		dst any
	}{{letters, &c.Letters}, {filter, &c.Filter}, {docs, &c.Documents}, {days, &c.ReminderDays}} {
		if err := json.Unmarshal([]byte(x.src), x.dst); err != nil {
			return nil, fmt.Errorf("campaign %d: %w", c.ID, err)
		}
	}
	if date != "" {
		c.LetterDate, _ = rencontres.ParseDate(date)
	}
	c.Created, _ = parseTS(created)
	c.Updated, _ = parseTS(updated)
	c.Launched, c.Cancelled = parseNullTS(launched), parseNullTS(cancelled)
	return &c, nil
}

// Campaign returns one campaign.
func (s *Store) Campaign(ctx context.Context, id int64) (*rencontres.Campaign, error) {
	c, err := scanCampaign(s.reader().QueryRowContext(ctx, "SELECT "+campaignColumns+" FROM campaigns WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("campaign")
	}
	return c, err
}

// Campaigns lists campaigns, newest first: an event's, or (0) all.
func (s *Store) Campaigns(ctx context.Context, eventID int64) ([]*rencontres.Campaign, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+campaignColumns+" FROM campaigns WHERE ($1 = 0 OR event_id = $1) ORDER BY id DESC", eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// placeholders returns "($n, $n+1, …)" for values bound after args, and
// the arguments with them.
func placeholders[T any](args []any, values []T) ([]any, string) {
	marks := make([]string, len(values))
	for i, v := range values {
		args = append(args, v)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	return args, "(" + strings.Join(marks, ", ") + ")"
}

const recipientColumns = `u.id, u.email, u.civility, u.name, u.name_ja, u.function, u.address_form, u.lang, o.key, o.name, o.country`

// CampaignAudience resolves a filter to the people it writes to, in the
// order of the authorities' countries and names, each address once; and
// the authorities named one by one that have no contact to write to.
func (s *Store) CampaignAudience(ctx context.Context, f rencontres.RecipientFilter) ([]*rencontres.Recipient, []rencontres.Problem, error) {
	// A removed contact is no longer written to for their former authority.
	active := `u.role = 'authority_contact' AND NOT u.disabled AND NOT u.erased AND uo.removed_at IS NULL`
	var parts []string
	var args []any
	if len(f.Countries)+len(f.Kinds)+len(f.Committees)+len(f.PastEvents) > 0 {
		conds := []string{active}
		var in string
		if len(f.Countries) > 0 {
			args, in = placeholders(args, f.Countries)
			conds = append(conds, "o.country IN "+in)
		}
		if len(f.Kinds) > 0 {
			args, in = placeholders(args, f.Kinds)
			conds = append(conds, "o.kind IN "+in)
		}
		if len(f.Committees) > 0 {
			args, in = placeholders(args, f.Committees)
			conds = append(conds, "o.id IN (SELECT org_id FROM committee_seats WHERE committee_id IN "+in+")")
		}
		if len(f.PastEvents) > 0 {
			args, in = placeholders(args, f.PastEvents)
			conds = append(conds, `o.id IN (SELECT d.org_id FROM delegations d WHERE d.event_id IN `+in+`
				AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = d.id AND r.status <> 'withdrawn'))`)
		}
		parts = append(parts, "SELECT "+recipientColumns+`, 0 FROM users u JOIN user_organisations uo ON uo.user_id = u.id
			JOIN organisations o ON o.id = uo.org_id WHERE `+strings.Join(conds, " AND "))
	}
	if len(f.Committees) > 0 {
		// The accounts that sit on the committees, whatever their
		// authority; one without an authority is written to as a person.
		var in string
		args, in = placeholders(args, f.Committees)
		parts = append(parts, `SELECT u.id, u.email, u.civility, u.name, u.name_ja, u.function, u.address_form, u.lang, COALESCE(o.key, ''), COALESCE(o.name, '{}'),
			COALESCE(o.country, ''), 1 FROM users u JOIN committee_accounts ca ON ca.user_id = u.id
			LEFT JOIN user_organisations uo ON uo.user_id = u.id AND uo.removed_at IS NULL LEFT JOIN organisations o ON o.id = uo.org_id
			WHERE NOT u.disabled AND NOT u.erased AND ca.committee_id IN `+in)
	}
	if len(f.Organisations) > 0 {
		var in string
		args, in = placeholders(args, f.Organisations)
		parts = append(parts, "SELECT "+recipientColumns+`, 2 FROM users u JOIN user_organisations uo ON uo.user_id = u.id
			JOIN organisations o ON o.id = uo.org_id WHERE `+active+" AND o.key IN "+in)
	}
	extra, problems := f.ParseExtra()
	var out []*rencontres.Recipient
	seen := map[string]bool{}
	reached := map[string]bool{}
	if len(parts) > 0 {
		rows, err := s.reader().QueryContext(ctx, "SELECT * FROM ("+strings.Join(parts, " UNION ")+") AS a ORDER BY 11, 9, 2", args...)
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var r rencontres.Recipient
			var source int
			if err := rows.Scan(&r.UserID, &r.Email, &r.Civility, &r.Name, &r.NameJa, &r.Function, &r.AddressForm, &r.Lang, &r.OrgKey, &r.OrgName, &r.Country, &source); err != nil {
				return nil, nil, err
			}
			reached[r.OrgKey] = true
			if seen[r.Email] {
				continue
			}
			seen[r.Email] = true
			out = append(out, &r)
		}
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	for _, r := range extra {
		if seen[r.Email] {
			continue
		}
		if err := s.extraRecipient(ctx, r); err != nil {
			if e, ok := err.(*rencontres.Error); ok {
				problems = append(problems, rencontres.Problem{OrgKey: r.OrgKey, Email: r.Email, Line: r.Line, Key: e.Key, Args: e.Args, Message: e.Message})
				continue
			}
			return nil, nil, err
		}
		seen[r.Email] = true
		out = append(out, r)
	}
	for _, key := range f.Organisations {
		if reached[key] {
			continue
		}
		if _, err := orgID(ctx, s.reader(), key); err != nil {
			problems = append(problems, rencontres.Problem{OrgKey: key, Key: "campaign.problem_unknown_organisation", Message: "no authority has this key"})
			continue
		}
		problems = append(problems, rencontres.Problem{OrgKey: key, Key: "campaign.problem_no_contact", Message: "this authority has no contact to write to"})
	}
	return out, problems, nil
}

// extraRecipient completes a person added by hand: their authority, which
// must exist, and their account if they have one.
func (s *Store) extraRecipient(ctx context.Context, r *rencontres.Recipient) error {
	err := s.reader().QueryRowContext(ctx, "SELECT name, country FROM organisations WHERE key = $1", r.OrgKey).Scan(&r.OrgName, &r.Country)
	if errors.Is(err, sql.ErrNoRows) {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "campaign.problem_extra_unknown_organisation", Message: fmt.Sprintf("line %d: no authority has the key %q", r.Line, r.OrgKey),
			Args: map[string]any{"Line": r.Line, "Value": r.OrgKey}}
	}
	if err != nil {
		return err
	}
	u, err := s.UserByEmail(ctx, r.Email)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Disabled || u.Erased {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "campaign.problem_extra_disabled", Message: fmt.Sprintf("line %d: this account is disabled", r.Line),
			Args: map[string]any{"Line": r.Line, "Value": r.Email}}
	}
	r.UserID, r.Civility, r.NameJa, r.Function, r.Lang = u.ID, u.Civility, u.NameJa, u.Function, u.Lang
	if u.Name != "" {
		r.Name = u.Name
	}
	return nil
}

// LaunchCampaign sends a draft: in one transaction, it records the
// recipients as they are now and queues one letter each, made by letter
// once the recipient has its id; nothing is queued if anything fails, and a
// campaign is sent once.
func (s *Store) LaunchCampaign(ctx context.Context, id int64, now time.Time, recipients []*rencontres.Recipient,
	letter func(r *rencontres.Recipient) (*rencontres.QueuedMail, error)) error {
	return s.InTx(ctx, func(s *Store) error {
		res, err := s.writer().ExecContext(ctx, "UPDATE campaigns SET status = 'sending', launched_at = $2, updated_at = $2 WHERE id = $1 AND status = 'draft'",
			id, ts(now))
		if n, _ := res.RowsAffected(); err == nil && n == 0 {
			if _, err := s.Campaign(ctx, id); err != nil {
				return err
			}
			return errCampaignSent
		}
		if err != nil {
			return err
		}
		for _, r := range recipients {
			if r.UserID == 0 && r.RegistrationID != 0 {
				if err := s.participantAccount(ctx, r); err != nil {
					return err
				}
			}
			if r.UserID == 0 {
				// Someone added by hand becomes the authority's contact, so
				// that their link signs them in.
				u := &rencontres.User{Email: r.Email, Name: r.Name, Lang: r.Lang, Role: rencontres.AuthorityContact}
				if err := s.InviteUser(ctx, u, r.OrgKey); err != nil {
					return err
				}
				r.UserID = u.ID
			}
			var org any
			if r.OrgKey != "" {
				o, err := orgID(ctx, s.writer(), r.OrgKey)
				if err != nil {
					return err
				}
				org = o
			}
			if err := s.writer().QueryRowContext(ctx, `INSERT INTO campaign_recipients (campaign_id, user_id, org_id, email, lang, created_at, registration_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, nullID(r.UserID), org, r.Email, r.Lang, ts(now), nullID(r.RegistrationID)).Scan(&r.ID); err != nil {
				return err
			}
			r.CampaignID = id
			m, err := letter(r)
			if err != nil {
				return err
			}
			if err := s.EnqueueMail(ctx, now, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// CancelCampaign stops a campaign: letters not yet sent are cancelled,
// those sent stay sent; each message is whole, sent or not.
func (s *Store) CancelCampaign(ctx context.Context, id int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		c, err := s.Campaign(ctx, id)
		if err != nil {
			return err
		}
		if c.Status == rencontres.CampaignCancelled {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.campaign_cancelled", Message: "this campaign is already cancelled"}
		}
		if _, err := s.writer().ExecContext(ctx, "UPDATE campaigns SET status = 'cancelled', cancelled_at = $2, updated_at = $2 WHERE id = $1", id, ts(now)); err != nil {
			return err
		}
		_, err = s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = 'cancelled', last_error = 'campaign cancelled'
			WHERE campaign_id = $1 AND status = 'queued'`, id)
		return err
	})
}

// CampaignCounts counts recipients by state.
func CampaignCounts(list []*rencontres.Recipient) rencontres.CampaignCounts {
	c := rencontres.CampaignCounts{}
	for _, st := range rencontres.RecipientStates {
		c[st] = 0
	}
	for _, r := range list {
		// A draft's recipients have no state yet: they are not counted
		// under an empty one.
		if r.State != "" {
			c[r.State]++
		}
	}
	return c
}

// RecipientAnswered records that a recipient opened their personal link,
// or declined the invitation.
// The first opening and the first refusal are told to the webhooks.
func (s *Store) RecipientAnswered(ctx context.Context, id int64, declined bool, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		var campaign int64
		var email string
		var opened, wasDeclined sql.NullString
		err := s.writer().QueryRowContext(ctx, "SELECT campaign_id, email, opened_at, declined_at FROM campaign_recipients WHERE id = $1", id).
			Scan(&campaign, &email, &opened, &wasDeclined)
		if errors.Is(err, sql.ErrNoRows) {
			return rencontres.NotFound("recipient")
		}
		if err != nil {
			return err
		}
		q := "UPDATE campaign_recipients SET opened_at = COALESCE(opened_at, $2) WHERE id = $1"
		if declined {
			q = "UPDATE campaign_recipients SET opened_at = COALESCE(opened_at, $2), declined_at = COALESCE(declined_at, $2) WHERE id = $1"
		}
		if _, err := s.writer().ExecContext(ctx, q, id, ts(now)); err != nil {
			return err
		}
		data := map[string]any{"campaign_id": campaign, "recipient_id": id, "email": email}
		if !opened.Valid {
			if err := s.EnqueueWebhook(ctx, rencontres.HookRecipientOpened, data, now); err != nil {
				return err
			}
		}
		if declined && !wasDeclined.Valid {
			return s.EnqueueWebhook(ctx, rencontres.HookRecipientDeclined, data, now)
		}
		return nil
	})
}

// RecipientByID returns a recipient with its campaign, wherever it is: the
// personal link names the recipient, not the campaign.
func (s *Store) RecipientByID(ctx context.Context, id int64) (*rencontres.Recipient, error) {
	var campaign int64
	err := s.reader().QueryRowContext(ctx, "SELECT campaign_id FROM campaign_recipients WHERE id = $1", id).Scan(&campaign)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("recipient")
	}
	if err != nil {
		return nil, err
	}
	return s.CampaignRecipient(ctx, campaign, id)
}

// Secret returns the named secret the instances share, made at first use:
// the key that signs personal links, so that any instance can check a link
// another made.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	if _, err := s.writer().ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", name, hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	var v string
	if err := s.writer().QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", name).Scan(&v); err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// RemindersDue lists the recipients of running campaigns whose letter
// left and who have not answered: those a reminder may go to.
func (s *Store) RemindersDue(ctx context.Context) (map[int64][]*rencontres.Recipient, error) {
	campaigns, err := s.Campaigns(ctx, 0)
	if err != nil {
		return nil, err
	}
	out := map[int64][]*rencontres.Recipient{}
	for _, c := range campaigns {
		if c.Status != rencontres.CampaignSending || len(c.ReminderDays) == 0 || c.Filter.ForRegistrants() {
			continue
		}
		list, err := s.CampaignRecipients(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		out[c.ID] = slices.DeleteFunc(list, func(r *rencontres.Recipient) bool { return r.State != rencontres.RecipientSent })
	}
	return out, nil
}
