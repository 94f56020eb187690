package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// reviewProposals reads the proposals the query's where selects ($1… its
// args), with their authorities and presenters: what the review, the
// dashboard and the release need of them.
func (s *Store) reviewProposals(ctx context.Context, where string, args ...any) ([]*rencontres.Proposal, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT p.id, p.call_id, p.title, p.summary, p.sdgs, COALESCE(p.workshop + 1, 0), p.contact_name, p.contact_email,
		p.state, p.decision, COALESCE(p.decision_workshop + 1, 0), p.decision_note, p.decided_at, p.released_at, COALESCE(p.session_id, 0),
		p.created_at, p.updated_at FROM proposals p WHERE `+where+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.Proposal
	byID := map[int64]*rencontres.Proposal{}
	for rows.Next() {
		var p rencontres.Proposal
		var sdgs, created, updated string
		var decided, released sql.NullString
		if err := rows.Scan(&p.ID, &p.CallID, &p.Title, &p.Summary, &sdgs, &p.Workshop, &p.ContactName, &p.ContactEmail,
			&p.State, &p.Decision, &p.DecisionWorkshop, &p.DecisionNote, &decided, &released, &p.SessionID, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		json.Unmarshal([]byte(sdgs), &p.SDGs)
		p.Decided, p.Released = parseNullTS(decided), parseNullTS(released)
		p.Created, _ = parseTS(created)
		p.Updated, _ = parseTS(updated)
		p.Orgs, p.Presenters = []rencontres.ProposalOrg{}, []rencontres.Presenter{}
		out = append(out, &p)
		byID[p.ID] = &p
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, 0, len(out))
	for _, p := range out {
		ids = append(ids, p.ID)
	}
	a, in := placeholders([]any{}, ids)
	rows, err = s.reader().QueryContext(ctx, `SELECT po.proposal_id, o.key, o.name, po.role FROM proposal_organisations po
		JOIN organisations o ON o.id = po.org_id WHERE po.proposal_id IN `+in+` ORDER BY po.proposal_id, CASE po.role WHEN 'lead' THEN 0 WHEN 'coproposer' THEN 1 ELSE 2 END, o.key`, a...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var o rencontres.ProposalOrg
		if err := rows.Scan(&id, &o.Key, &o.Name, &o.Role); err != nil {
			rows.Close()
			return nil, err
		}
		byID[id].Orgs = append(byID[id].Orgs, o)
	}
	rows.Close()
	rows, err = s.reader().QueryContext(ctx, `SELECT pp.proposal_id, COALESCE(pp.user_id, 0), pp.person, pp.function, COALESCE(o.key, '')
		FROM proposal_presenters pp LEFT JOIN organisations o ON o.id = pp.org_id WHERE pp.proposal_id IN `+in+` ORDER BY pp.proposal_id, pp.seq`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var pr rencontres.Presenter
		if err := rows.Scan(&id, &pr.UserID, &pr.Person, &pr.Function, &pr.OrgKey); err != nil {
			return nil, err
		}
		byID[id].Presenters = append(byID[id].Presenters, pr)
	}
	return out, rows.Err()
}

// ReviewProposal returns a proposal as the review reads it.
func (s *Store) ReviewProposal(ctx context.Context, id int64) (*rencontres.Proposal, error) {
	list, err := s.reviewProposals(ctx, "p.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, rencontres.NotFound("proposal")
	}
	return list[0], nil
}

// CallProposals lists a call's submitted proposals as the review reads
// them.
func (s *Store) CallProposals(ctx context.Context, callID int64) ([]*rencontres.Proposal, error) {
	return s.reviewProposals(ctx, "p.call_id = $1 AND p.state = 'submitted'", callID)
}

// AssignedProposals lists the submitted proposals assigned to a reviewer,
// of one call or (callID 0) of every call not yet released.
func (s *Store) AssignedProposals(ctx context.Context, userID, callID int64) ([]*rencontres.Proposal, error) {
	return s.reviewProposals(ctx, `p.state = 'submitted' AND p.id IN (SELECT proposal_id FROM review_assignments WHERE user_id = $1)
		AND ($2 = 0 OR p.call_id = $2) AND ($2 <> 0 OR p.call_id IN (SELECT id FROM calls WHERE released_at IS NULL))`, userID, callID)
}

// IsAssigned reports whether a proposal is assigned to a reviewer.
func (s *Store) IsAssigned(ctx context.Context, proposalID, userID int64) (bool, error) {
	var n int
	err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM review_assignments WHERE proposal_id = $1 AND user_id = $2", proposalID, userID).Scan(&n)
	return n > 0, err
}

// Dashboard is the state of a call's review: reviews done per reviewer,
// proposals by mean score (best first, those without reviews last) with
// their spread, those with fewer reviews than the call asks, and the
// translations pending.
func (s *Store) Dashboard(ctx context.Context, callID int64, now time.Time) (*rencontres.Dashboard, error) {
	c, err := s.ReviewCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	d := &rencontres.Dashboard{CallID: callID, Phase: c.ReviewPhase(now), MinReviews: c.MinReviews, Released: c.Released, Proposals: []rencontres.DashboardRow{}}
	if d.Reviewers, err = s.Reviewers(ctx, callID); err != nil {
		return nil, err
	}
	props, err := s.CallProposals(ctx, callID)
	if err != nil {
		return nil, err
	}
	scores := map[int64][]float64{}
	assigned := map[int64]int{}
	rows, err := s.reader().QueryContext(ctx, `SELECT r.proposal_id, r.scores FROM reviews r JOIN proposals p ON p.id = r.proposal_id
		WHERE p.call_id = $1 AND p.state = 'submitted'`, callID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return nil, err
		}
		var sc map[string]int
		json.Unmarshal([]byte(raw), &sc)
		scores[id] = append(scores[id], c.Score(sc))
	}
	rows.Close()
	rows, err = s.reader().QueryContext(ctx, `SELECT a.proposal_id, COUNT(*) FROM review_assignments a JOIN proposals p ON p.id = a.proposal_id
		WHERE p.call_id = $1 GROUP BY a.proposal_id`, callID)
	if err := scanPairs(rows, err, func(p, n int64) { assigned[p] = int(n) }); err != nil {
		return nil, err
	}
	for _, p := range props {
		mean, spread := rencontres.MeanAndSpread(scores[p.ID])
		row := rencontres.DashboardRow{ProposalID: p.ID, Title: p.Title, Workshop: p.Workshop, Reviews: len(scores[p.ID]), Assigned: assigned[p.ID],
			Mean: finite(mean), Spread: finite(spread), TooFew: len(scores[p.ID]) < c.MinReviews, Pending: p.TranslationPending(),
			Decision: p.Decision, SessionID: p.SessionID}
		if row.TooFew {
			d.TooFew++
		}
		if row.Pending {
			d.Pending++
		}
		d.Proposals = append(d.Proposals, row)
	}
	slices.SortStableFunc(d.Proposals, func(a, b rencontres.DashboardRow) int {
		switch {
		case a.Mean == nil && b.Mean == nil:
			return 0
		case a.Mean == nil:
			return 1
		case b.Mean == nil:
			return -1
		case *a.Mean > *b.Mean:
			return -1
		case *a.Mean < *b.Mean:
			return 1
		}
		return 0
	})
	return d, nil
}

// CallWorkshops returns the workshops of the call's edition, by number
// from 1 (rencontres.EditionWorkshop).
func (s *Store) CallWorkshops(ctx context.Context, callID int64) (map[int]rencontres.Text, error) {
	_, edition, err := s.reviewCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	bySeq, err := s.workshopTitles(ctx, edition)
	out := map[int]rencontres.Text{}
	for seq, t := range bySeq {
		out[seq+1] = t
	}
	return out, err
}

// CallSessions returns the sessions of the programme of the call's
// edition.
func (s *Store) CallSessions(ctx context.Context, callID int64) ([]*rencontres.Session, error) {
	_, edition, err := s.reviewCall(ctx, callID)
	if err != nil || edition == 0 {
		return nil, err
	}
	return s.Sessions(ctx, edition)
}
