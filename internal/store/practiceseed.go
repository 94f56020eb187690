package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// SeededPractice is a proposal stored as it stands, decision and release
// included, by SeedPractices: the demo's practices of past editions and
// the library's benchmark, which have no call to answer nor committee to
// review them today. Workshop is the number of the edition's workshop (1
// the first, 0 none); Session the programme session where it was
// presented (0 none).
type SeededPractice struct {
	Proposal rencontres.Proposal
	Workshop int
	Session  int64
}

// SeedPractices stores a call (created when c.ID is 0, on c.EventID) and
// its proposals as they are, without the checks and emails of
// SaveProposal, and indexes them for the library, in one transaction.
func (s *Store) SeedPractices(ctx context.Context, c *rencontres.Call, ps []*SeededPractice) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if c.ID == 0 {
			ws, _ := json.Marshal(c.Workshops)
			if c.Workshops == nil {
				ws = []byte("[]")
			}
			var released any
			if c.Released != nil {
				released = ts(*c.Released)
			}
			now := ts(time.Now())
			if err := tx.QueryRowContext(ctx, `INSERT INTO calls (event_id, kind, title, intro, opens_at, deadline, workshops, released_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
				c.EventID, c.Kind, c.Title, c.Intro, ts(c.Opens), ts(c.Deadline), string(ws), released, now).Scan(&c.ID); err != nil {
				return fmt.Errorf("seed call: %w", err)
			}
		}
		for _, sp := range ps {
			p := &sp.Proposal
			p.CallID = c.ID
			sdgs, _ := json.Marshal(p.SDGs)
			if p.SDGs == nil {
				sdgs = []byte("[]")
			}
			var workshop, session, released any
			if sp.Workshop > 0 {
				workshop = sp.Workshop - 1
			}
			if sp.Session != 0 {
				session = sp.Session
			}
			if p.Released != nil {
				released = ts(*p.Released)
			}
			created := p.Created
			if created.IsZero() {
				created = time.Now()
			}
			state := p.State
			if state == "" {
				state = rencontres.ProposalSubmitted
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO proposals (call_id, title, summary, sdgs, workshop, contact_name, contact_email,
					state, decision, released_at, session_id, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
				c.ID, p.Title, p.Summary, string(sdgs), workshop, p.ContactName, p.ContactEmail,
				state, p.Decision, released, session, ts(created)).Scan(&p.ID); err != nil {
				return fmt.Errorf("seed proposal %q: %w", p.Title.In(rencontres.French), err)
			}
			for _, o := range p.Orgs {
				id, err := orgID(ctx, tx, o.Key)
				if err != nil {
					return fmt.Errorf("seed proposal %q: %w", p.Title.In(rencontres.French), err)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_organisations (proposal_id, org_id, role) VALUES ($1, $2, $3)`,
					p.ID, id, o.Role); err != nil {
					return err
				}
			}
			// Its presenters, and the speakers of its session as the
			// release makes them.
			var next int
			if sp.Session != 0 {
				if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq) + 1, 0) FROM session_speakers WHERE session_id = $1", sp.Session).Scan(&next); err != nil {
					return err
				}
			}
			for i, pr := range p.Presenters {
				key := pr.OrgKey
				if key == "" {
					key = p.Lead()
				}
				var org sql.NullInt64
				if key != "" {
					id, err := orgID(ctx, tx, key)
					if err != nil {
						return fmt.Errorf("seed presenter %s: %w", pr.Person, err)
					}
					org = sql.NullInt64{Int64: id, Valid: true}
				}
				fn := pr.Function
				if fn == nil {
					fn = rencontres.Text{}
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_presenters (proposal_id, seq, user_id, person, function, org_id)
					VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, i, nullID(pr.UserID), pr.Person, fn, org); err != nil {
					return err
				}
				if sp.Session != 0 {
					if _, err := tx.ExecContext(ctx, `INSERT INTO session_speakers (session_id, seq, person, person_key, role, org_id)
						VALUES ($1, $2, $3, $4, 'speaker', $5)`, sp.Session, next, pr.Person, rencontres.FoldSearch(pr.Person), org); err != nil {
						return err
					}
					next++
				}
			}
			if err := reindexPractice(ctx, tx, p.ID); err != nil {
				return err
			}
		}
		return nil
	})
}
