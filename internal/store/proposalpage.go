package store

import (
	"context"
	"fmt"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// proposalsWhere is the condition of the proposals f selects, on $1 to $3.
const proposalsWhere = ` WHERE ($1 = 0 OR p.call_id = $1) AND ($2 = '' OR p.state = $2)
		AND ($3 = '' OR EXISTS (SELECT 1 FROM proposal_organisations po JOIN organisations o ON o.id = po.org_id
			WHERE po.proposal_id = p.id AND o.key = $3))`

// ProposalsPage reads a page of the proposals f selects, oldest first by
// keyset on (created_at, id), each with its authorities, presenters and
// documents, and the number f selects (index proposals_call_created,
// migration 49).
func (s *Store) ProposalsPage(ctx context.Context, f rencontres.ProposalFilter, r cursor.Request) ([]*rencontres.Proposal, cursor.Head, error) {
	args := []any{f.CallID, string(f.State), f.OrgKey}
	var total int
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM proposals p"+proposalsWhere, args...).Scan(&total); err != nil {
		return nil, cursor.Head{}, err
	}
	var at string
	var id int64
	has, err := r.Key(&at, &id)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	cond := proposalsWhere
	if has {
		args = append(args, at, id)
		cond += fmt.Sprintf(" AND (p.created_at, p.id) %s ($4, $5)", r.Cmp(false))
	}
	args = append(args, r.Limit+1)
	dir := r.Order(false)
	rows, err := s.reader().QueryContext(ctx, "SELECT "+proposalColumns+" FROM proposals p"+cond+
		fmt.Sprintf(" ORDER BY p.created_at %s, p.id %s LIMIT $%d", dir, dir, len(args)), args...)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	defer rows.Close()
	var list []*rencontres.Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, cursor.Head{}, err
		}
		list = append(list, p)
	}
	if err := rows.Err(); err != nil {
		return nil, cursor.Head{}, err
	}
	rows.Close()
	page, h := cursor.Cut(r, list, func(p *rencontres.Proposal) []any { return []any{ts(p.Created), p.ID} })
	h.Total = total
	byID := map[int64]*rencontres.Proposal{}
	for _, p := range page {
		byID[p.ID] = p
	}
	if page == nil {
		page = []*rencontres.Proposal{}
	}
	return page, h, s.loadProposalParts(ctx, byID)
}

// ProposalsPending counts the submitted proposals of a call whose title
// or summary still lacks its French or Japanese, reading those two
// columns only.
func (s *Store) ProposalsPending(ctx context.Context, callID int64) (int, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT title, summary FROM proposals WHERE call_id = $1 AND state = $2",
		callID, string(rencontres.ProposalSubmitted))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var p rencontres.Proposal
		if err := rows.Scan(&p.Title, &p.Summary); err != nil {
			return 0, err
		}
		if p.TranslationPending() {
			n++
		}
	}
	return n, rows.Err()
}
