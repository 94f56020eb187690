package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/assign"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The review of a call's proposals (issue 15): reviewers, assignments,
// conflicts of interest and reviews. The decisions and their release are
// in decision.go. It reads the calls and proposals tables of migration
// 28 itself, the columns the review needs, so that it stands apart from
// the calls' forms.

var _ rencontres.ReviewService = (*Store)(nil)

// reviewCall reads the call's review settings and the edition its event
// belongs to (0 when the event prepares no edition).
func (s *Store) reviewCall(ctx context.Context, id int64) (*rencontres.Call, int64, error) {
	var c rencontres.Call
	var cats, letters string
	var opens, closes, decisions, released sql.NullString
	var edition sql.NullInt64
	err := s.reader().QueryRowContext(ctx, `SELECT c.id, c.event_id, c.kind, c.title, c.categories, c.blind, c.visibility, c.min_reviews,
		c.review_opens, c.review_closes, c.decisions_at, c.letters, c.released_at,
		CASE WHEN e.kind = 'edition' THEN e.id ELSE e.edition_id END
		FROM calls c JOIN events e ON e.id = c.event_id WHERE c.id = $1`, id).Scan(
		&c.ID, &c.EventID, &c.Kind, &c.Title, &cats, &c.Blind, &c.Visibility, &c.MinReviews,
		&opens, &closes, &decisions, &letters, &released, &edition)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, rencontres.NotFound("call")
	}
	if err != nil {
		return nil, 0, err
	}
	if err := json.Unmarshal([]byte(cats), &c.Categories); err != nil {
		return nil, 0, fmt.Errorf("call %d: categories: %w", id, err)
	}
	if err := json.Unmarshal([]byte(letters), &c.Letters); err != nil {
		return nil, 0, fmt.Errorf("call %d: letters: %w", id, err)
	}
	c.ReviewOpens, c.ReviewCloses, c.DecisionsAt, c.Released = parseNullTS(opens), parseNullTS(closes), parseNullTS(decisions), parseNullTS(released)
	return &c, edition.Int64, nil
}

// ReviewCall returns a call with its review settings, for the review's
// pages when the calls' own service is not at hand.
func (s *Store) ReviewCall(ctx context.Context, id int64) (*rencontres.Call, error) {
	c, _, err := s.reviewCall(ctx, id)
	return c, err
}

// proposalCallID returns the call of a proposal.
func (s *Store) proposalCallID(ctx context.Context, proposalID int64) (int64, error) {
	var id int64
	err := s.reader().QueryRowContext(ctx, "SELECT call_id FROM proposals WHERE id = $1", proposalID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, rencontres.NotFound("proposal")
	}
	return id, err
}

// ProposalCall returns the call of a proposal with its review settings.
func (s *Store) ProposalCall(ctx context.Context, proposalID int64) (*rencontres.Call, error) {
	id, err := s.proposalCallID(ctx, proposalID)
	if err != nil {
		return nil, err
	}
	return s.ReviewCall(ctx, id)
}

// ReviewCommittees returns the committees of the call's edition: a
// committee member reviews the call when they sit on one of them.
func (s *Store) ReviewCommittees(ctx context.Context, callID int64) ([]int64, error) {
	_, edition, err := s.reviewCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT id FROM committees WHERE edition_id = $1 ORDER BY id", edition)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Reviewers lists who may review the call: the accounts of the committees
// of its edition and the secretariat, with the proposals assigned to each
// and the reviews they wrote.
func (s *Store) Reviewers(ctx context.Context, callID int64) ([]*rencontres.Reviewer, error) {
	_, edition, err := s.reviewCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT u.id, u.name, u.email, u.role,
		(SELECT COUNT(*) FROM review_assignments a JOIN proposals p ON p.id = a.proposal_id WHERE a.user_id = u.id AND p.call_id = $1 AND p.state = 'submitted'),
		(SELECT COUNT(*) FROM reviews r JOIN proposals p ON p.id = r.proposal_id WHERE r.user_id = u.id AND p.call_id = $1 AND p.state = 'submitted')
		FROM users u WHERE NOT u.disabled AND NOT u.erased AND (u.role = 'secretariat' OR u.id IN
			(SELECT ca.user_id FROM committee_accounts ca JOIN committees c ON c.id = ca.committee_id WHERE c.edition_id = $2))
		ORDER BY u.name, u.id`, callID, edition)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Reviewer{}
	for rows.Next() {
		var r rencontres.Reviewer
		if err := rows.Scan(&r.UserID, &r.Name, &r.Email, &r.Role, &r.Assigned, &r.Done); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// ProposalReviewers lists the reviewers assigned to a proposal.
func (s *Store) ProposalReviewers(ctx context.Context, proposalID int64) ([]*rencontres.Reviewer, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT u.id, u.name, u.email, u.role,
		(SELECT COUNT(*) FROM reviews r WHERE r.user_id = u.id AND r.proposal_id = $1)
		FROM review_assignments a JOIN users u ON u.id = a.user_id WHERE a.proposal_id = $1 ORDER BY u.name, u.id`, proposalID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Reviewer{}
	for rows.Next() {
		r := rencontres.Reviewer{Assigned: 1}
		if err := rows.Scan(&r.UserID, &r.Name, &r.Email, &r.Role, &r.Done); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// conflicts knows, for one call, which reviewer may not review which
// proposal: a proposal of their own authority (the authorities of their
// account, or of their committee seat), of a partner of it (twinning,
// friendship pact, cooperation agreement…: any partnership), or one they
// declared.
type conflicts struct {
	own, twin map[int64]map[int64]bool // user → organisations
	orgs      map[int64][]int64        // proposal → organisations, any role
	declared  map[assign.Pair]bool
}

func (c *conflicts) reason(proposal, user int64) rencontres.ConflictReason {
	if c.declared[assign.Pair{Proposal: proposal, Reviewer: user}] {
		return rencontres.ConflictDeclared
	}
	for _, o := range c.orgs[proposal] {
		if c.own[user][o] {
			return rencontres.ConflictOwn
		}
	}
	for _, o := range c.orgs[proposal] {
		if c.twin[user][o] {
			return rencontres.ConflictTwin
		}
	}
	return ""
}

// callConflicts reads the conflicts of a call's proposals (all of them, or
// the one given) for the users given.
func (s *Store) callConflicts(ctx context.Context, callID, edition, proposalID int64, users []int64) (*conflicts, error) {
	c := &conflicts{own: map[int64]map[int64]bool{}, twin: map[int64]map[int64]bool{}, orgs: map[int64][]int64{}, declared: map[assign.Pair]bool{}}
	if len(users) == 0 {
		return c, nil
	}
	mark := func(m map[int64]map[int64]bool, u, o int64) {
		if m[u] == nil {
			m[u] = map[int64]bool{}
		}
		m[u][o] = true
	}
	args, in := placeholders([]any{}, users)
	rows, err := s.reader().QueryContext(ctx, "SELECT user_id, org_id FROM user_organisations WHERE removed_at IS NULL AND user_id IN "+in, args...)
	if err := scanPairs(rows, err, func(u, o int64) { mark(c.own, u, o) }); err != nil {
		return nil, err
	}
	// A committee seat names a person, not an account: the seat is the
	// account's when it is on a committee the account sits on under the
	// same name.
	args, in = placeholders([]any{edition}, users)
	rows, err = s.reader().QueryContext(ctx, `SELECT ca.user_id, u.name, cs.person, cs.org_id FROM committee_seats cs
		JOIN committees c ON c.id = cs.committee_id JOIN committee_accounts ca ON ca.committee_id = c.id JOIN users u ON u.id = ca.user_id
		WHERE c.edition_id = $1 AND cs.org_id IS NOT NULL AND ca.user_id IN `+in, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var u, o int64
		var name, person string
		if err := rows.Scan(&u, &name, &person, &o); err != nil {
			rows.Close()
			return nil, err
		}
		if name != "" && rencontres.FoldSearch(name) == rencontres.FoldSearch(person) {
			mark(c.own, u, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var owned []int64
	for _, m := range c.own {
		for o := range m {
			owned = append(owned, o)
		}
	}
	if len(owned) > 0 {
		args, in := placeholders([]any{}, owned)
		partners := map[int64][]int64{}
		rows, err := s.reader().QueryContext(ctx, "SELECT org_a, org_b FROM partnerships WHERE org_a IN "+in+" OR org_b IN "+in, args...)
		if err := scanPairs(rows, err, func(a, b int64) { partners[a] = append(partners[a], b); partners[b] = append(partners[b], a) }); err != nil {
			return nil, err
		}
		for u, m := range c.own {
			for o := range m {
				for _, p := range partners[o] {
					mark(c.twin, u, p)
				}
			}
		}
	}
	q := `SELECT po.proposal_id, po.org_id FROM proposal_organisations po JOIN proposals p ON p.id = po.proposal_id WHERE p.call_id = $1 AND ($2 = 0 OR p.id = $2)`
	rows, err = s.reader().QueryContext(ctx, q, callID, proposalID)
	if err := scanPairs(rows, err, func(p, o int64) { c.orgs[p] = append(c.orgs[p], o) }); err != nil {
		return nil, err
	}
	q = `SELECT rc.proposal_id, rc.user_id FROM review_conflicts rc JOIN proposals p ON p.id = rc.proposal_id WHERE p.call_id = $1 AND ($2 = 0 OR p.id = $2)`
	rows, err = s.reader().QueryContext(ctx, q, callID, proposalID)
	if err := scanPairs(rows, err, func(p, u int64) { c.declared[assign.Pair{Proposal: p, Reviewer: u}] = true }); err != nil {
		return nil, err
	}
	return c, nil
}

func scanPairs(rows *sql.Rows, err error, fn func(a, b int64)) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		fn(a, b)
	}
	return rows.Err()
}

// Conflict says whether a user may not review a proposal, and why; empty
// when they may.
func (s *Store) Conflict(ctx context.Context, proposalID, userID int64) (rencontres.ConflictReason, error) {
	callID, err := s.proposalCallID(ctx, proposalID)
	if err != nil {
		return "", err
	}
	_, edition, err := s.reviewCall(ctx, callID)
	if err != nil {
		return "", err
	}
	c, err := s.callConflicts(ctx, callID, edition, proposalID, []int64{userID})
	if err != nil {
		return "", err
	}
	return c.reason(proposalID, userID), nil
}

// conflictKeys are the messages of each reason of a conflict.
var conflictKeys = map[rencontres.ConflictReason]string{
	rencontres.ConflictOwn:      "error.review_conflict_own",
	rencontres.ConflictTwin:     "error.review_conflict_twin",
	rencontres.ConflictDeclared: "error.review_conflict_declared",
}

func conflictError(field string, r rencontres.ConflictReason) error {
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: conflictKeys[r], Field: field,
		Message: fmt.Sprintf("a conflict of interest (%s): this reviewer may not review this proposal", r)}
}

var errNotReviewer = func(field string) error {
	return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.not_reviewer", Field: field,
		Message: "not a reviewer of this call: a member of a committee of its edition, or the secretariat"}
}

// SetReviewers assigns exactly these reviewers to a proposal: those
// missing are added, those no longer listed removed (their reviews stay).
// A user who is not a reviewer of the call, or is in conflict, is refused
// by position, and nothing is changed.
func (s *Store) SetReviewers(ctx context.Context, proposalID int64, userIDs []int64, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		callID, err := s.proposalCallID(ctx, proposalID)
		if err != nil {
			return err
		}
		_, edition, err := s.reviewCall(ctx, callID)
		if err != nil {
			return err
		}
		revs, err := s.Reviewers(ctx, callID)
		if err != nil {
			return err
		}
		c, err := s.callConflicts(ctx, callID, edition, proposalID, userIDs)
		if err != nil {
			return err
		}
		var errs []error
		seen := map[int64]bool{}
		for i, u := range userIDs {
			field := fmt.Sprintf("reviewers[%d]", i)
			switch {
			case !slices.ContainsFunc(revs, func(r *rencontres.Reviewer) bool { return r.UserID == u }):
				errs = append(errs, errNotReviewer(field))
			case c.reason(proposalID, u) != "":
				errs = append(errs, conflictError(field, c.reason(proposalID, u)))
			}
			seen[u] = true
		}
		if err := rencontres.Join(errs...); err != nil {
			return err
		}
		current, err := s.ProposalReviewers(ctx, proposalID)
		if err != nil {
			return err
		}
		for _, r := range current {
			if !seen[r.UserID] {
				if _, err := s.writer().ExecContext(ctx, "DELETE FROM review_assignments WHERE proposal_id = $1 AND user_id = $2", proposalID, r.UserID); err != nil {
					return err
				}
			}
		}
		for u := range seen {
			if _, err := s.writer().ExecContext(ctx, `INSERT INTO review_assignments (proposal_id, user_id, assigned_by, assigned_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, proposalID, u, nullID(by), ts(now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// MaxReviewersEach is the most reviewers the even spread gives a proposal.
const MaxReviewersEach = 10

// SpreadReviewers gives each submitted proposal of the call k reviewers,
// evenly and never in conflict (internal/assign), keeping the assignments
// already made; it returns those it added.
func (s *Store) SpreadReviewers(ctx context.Context, callID int64, k int, by int64, now time.Time) ([]rencontres.Assignment, error) {
	if k < 1 || k > MaxReviewersEach {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.out_of_range", Field: "k",
			Message: fmt.Sprintf("reviewers per proposal: from 1 to %d", MaxReviewersEach), Args: map[string]any{"Min": 1, "Max": MaxReviewersEach}}
	}
	var out []rencontres.Assignment
	err := s.InTx(ctx, func(s *Store) error {
		_, edition, err := s.reviewCall(ctx, callID)
		if err != nil {
			return err
		}
		revs, err := s.Reviewers(ctx, callID)
		if err != nil {
			return err
		}
		in := assign.Input{K: k, Existing: map[int64][]int64{}}
		for _, r := range revs {
			in.Reviewers = append(in.Reviewers, r.UserID)
		}
		rows, err := s.reader().QueryContext(ctx, "SELECT id FROM proposals WHERE call_id = $1 AND state = 'submitted' ORDER BY id", callID)
		if err := scanIDs(rows, err, func(id int64) { in.Proposals = append(in.Proposals, id) }); err != nil {
			return err
		}
		rows, err = s.reader().QueryContext(ctx, `SELECT a.proposal_id, a.user_id FROM review_assignments a JOIN proposals p ON p.id = a.proposal_id
			WHERE p.call_id = $1`, callID)
		if err := scanPairs(rows, err, func(p, u int64) { in.Existing[p] = append(in.Existing[p], u) }); err != nil {
			return err
		}
		c, err := s.callConflicts(ctx, callID, edition, 0, in.Reviewers)
		if err != nil {
			return err
		}
		in.Conflict = func(p, u int64) bool { return c.reason(p, u) != "" }
		for _, a := range assign.Spread(in) {
			if _, err := s.writer().ExecContext(ctx, `INSERT INTO review_assignments (proposal_id, user_id, assigned_by, assigned_at)
				VALUES ($1, $2, $3, $4)`, a.Proposal, a.Reviewer, nullID(by), ts(now)); err != nil {
				return err
			}
			out = append(out, rencontres.Assignment{ProposalID: a.Proposal, UserID: a.Reviewer})
		}
		return nil
	})
	return out, err
}

func scanIDs(rows *sql.Rows, err error, fn func(int64)) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		fn(id)
	}
	return rows.Err()
}

// isReviewer reports whether a user may review the call's proposals.
func (s *Store) isReviewer(ctx context.Context, callID, userID int64) (bool, error) {
	revs, err := s.Reviewers(ctx, callID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(revs, func(r *rencontres.Reviewer) bool { return r.UserID == userID }), nil
}

// DeclareConflict records a conflict of interest a reviewer declares on a
// proposal; they are no longer assigned to it, and a review they wrote is
// removed.
func (s *Store) DeclareConflict(ctx context.Context, proposalID, userID int64, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 1000 {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.too_long", Field: "reason", Message: "reason too long", Args: map[string]any{"Max": 1000}}
	}
	return s.InTx(ctx, func(s *Store) error {
		callID, err := s.proposalCallID(ctx, proposalID)
		if err != nil {
			return err
		}
		if ok, err := s.isReviewer(ctx, callID, userID); err != nil || !ok {
			if err == nil {
				err = errNotReviewer("user")
			}
			return err
		}
		if _, err := s.writer().ExecContext(ctx, `INSERT INTO review_conflicts (proposal_id, user_id, reason, declared_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (proposal_id, user_id) DO UPDATE SET reason = excluded.reason`, proposalID, userID, reason, ts(now)); err != nil {
			return err
		}
		for _, q := range []string{"DELETE FROM review_assignments WHERE proposal_id = $1 AND user_id = $2", "DELETE FROM reviews WHERE proposal_id = $1 AND user_id = $2"} {
			if _, err := s.writer().ExecContext(ctx, q, proposalID, userID); err != nil {
				return err
			}
		}
		return nil
	})
}

// errNotAssigned refuses a review of a proposal not assigned to one.
var errNotAssigned = &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.review_not_assigned", Field: "proposal",
	Message: "this proposal is not assigned to you for review"}

// SaveReview saves a reviewer's own review: only on a proposal assigned to
// them, free of conflict, while reviewing is open, with every category
// scored within its scale.
func (s *Store) SaveReview(ctx context.Context, r *rencontres.Review, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		callID, err := s.proposalCallID(ctx, r.ProposalID)
		if err != nil {
			return err
		}
		c, edition, err := s.reviewCall(ctx, callID)
		if err != nil {
			return err
		}
		var n int
		if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM review_assignments a JOIN proposals p ON p.id = a.proposal_id
			WHERE a.proposal_id = $1 AND a.user_id = $2 AND p.state = 'submitted'`, r.ProposalID, r.UserID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errNotAssigned
		}
		cf, err := s.callConflicts(ctx, callID, edition, r.ProposalID, []int64{r.UserID})
		if err != nil {
			return err
		}
		if why := cf.reason(r.ProposalID, r.UserID); why != "" {
			return conflictError("proposal", why)
		}
		if phase := c.ReviewPhase(now); phase != rencontres.ReviewOpen {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.review_not_open", Field: "proposal",
				Message: "reviewing is not open for this call", Args: map[string]any{"Phase": string(phase)}}
		}
		if err := c.CheckReview(r); err != nil {
			return err
		}
		scores, _ := json.Marshal(r.Scores)
		var submitted string
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO reviews (proposal_id, user_id, scores, comment_authors, comment_committee, submitted_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (proposal_id, user_id) DO UPDATE SET scores = excluded.scores,
			comment_authors = excluded.comment_authors, comment_committee = excluded.comment_committee, updated_at = excluded.updated_at
			RETURNING submitted_at`, r.ProposalID, r.UserID, string(scores), r.CommentAuthors, r.CommentCommittee, ts(now)).Scan(&submitted); err != nil {
			return err
		}
		r.Submitted, _ = parseTS(submitted)
		r.Updated = now.UTC().Truncate(time.Second)
		return nil
	})
}

const reviewColumns = `r.proposal_id, r.user_id, u.name, r.scores, r.comment_authors, r.comment_committee, r.submitted_at, r.updated_at`

func scanReviews(rows *sql.Rows, err error) ([]*rencontres.Review, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Review{}
	for rows.Next() {
		var r rencontres.Review
		var scores, sub, upd string
		if err := rows.Scan(&r.ProposalID, &r.UserID, &r.Reviewer, &scores, &r.CommentAuthors, &r.CommentCommittee, &sub, &upd); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(scores), &r.Scores); err != nil {
			return nil, err
		}
		r.Submitted, _ = parseTS(sub)
		r.Updated, _ = parseTS(upd)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// Review returns a reviewer's review of a proposal.
func (s *Store) Review(ctx context.Context, proposalID, userID int64) (*rencontres.Review, error) {
	list, err := scanReviews(s.reader().QueryContext(ctx, "SELECT "+reviewColumns+` FROM reviews r JOIN users u ON u.id = r.user_id
		WHERE r.proposal_id = $1 AND r.user_id = $2`, proposalID, userID))
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, rencontres.NotFound("review")
	}
	return list[0], nil
}

// Reviews lists a proposal's reviews as userID may see them: every review
// for the secretariat (userID 0); for a reviewer, their own, and the
// others' as the call's visibility says (never, after their own, always).
func (s *Store) Reviews(ctx context.Context, proposalID, userID int64) ([]*rencontres.Review, error) {
	all, err := scanReviews(s.reader().QueryContext(ctx, "SELECT "+reviewColumns+` FROM reviews r JOIN users u ON u.id = r.user_id
		WHERE r.proposal_id = $1 ORDER BY r.submitted_at, r.user_id`, proposalID))
	if err != nil || userID == 0 {
		return all, err
	}
	c, err := s.ProposalCall(ctx, proposalID)
	if err != nil {
		return nil, err
	}
	wrote := slices.ContainsFunc(all, func(r *rencontres.Review) bool { return r.UserID == userID })
	if c.Visibility == rencontres.SeeAlways || (c.Visibility == rencontres.SeeAfterOwn && wrote) {
		return all, nil
	}
	return slices.DeleteFunc(all, func(r *rencontres.Review) bool { return r.UserID != userID }), nil
}

// finite returns a pointer to v, or nil when v is not a number.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	v = math.Round(v*10) / 10
	return &v
}
