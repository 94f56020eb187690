package store

import (
	"context"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// A proposal holds personal data: its contact's name and address, the
// account that submitted it, and the people who would present it (an
// account, or a name typed with a function). The export lists the
// proposals a person is the contact, the submitter or a presenter of;
// the erasure blanks them out of those; retention blanks the contacts of
// every proposal, and the presenters of those not accepted, some years
// after the call's event.

// ProposalRetentionYears is how many years after its call's event ended a
// proposal keeps its contact's details, and, unless it was accepted (its
// presenters then spoke at the edition, which the programme keeps), its
// presenters' names.
const ProposalRetentionYears = 5

// personalProposals lists the proposals a person is the contact, the
// submitter or a presenter (by account) of. Presenters named without an
// account are among the mentions.
func (s *Store) personalProposals(ctx context.Context, id *identity) ([]*rencontres.Proposal, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT p.id FROM proposals p WHERE LOWER(p.contact_email) = $1 OR p.submitted_by = $2
		OR EXISTS (SELECT 1 FROM proposal_presenters pp WHERE pp.proposal_id = p.id AND pp.user_id = $2) ORDER BY p.id`, id.email, id.userID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []*rencontres.Proposal{}
	for _, n := range ids {
		p, err := s.Proposal(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// eraseProposals blanks a person out of the proposals: as their contact
// (by address, or by a name of theirs), as a presenter chosen among the
// accounts, and in the answers to the calls' questions. Presenters named
// without an account are erased with the other mentions.
func (s *Store) eraseProposals(ctx context.Context, id *identity) error {
	if _, err := s.writer().ExecContext(ctx, `UPDATE proposals SET contact_name = $2, contact_email = 'erased-p' || id || '@erased.invalid'
		WHERE LOWER(contact_email) = $1`, id.email, ErasedName); err != nil {
		return err
	}
	rows, err := s.writer().QueryContext(ctx, "SELECT id, contact_name FROM proposals WHERE contact_name <> $1", ErasedName)
	if err != nil {
		return err
	}
	folded := map[string]bool{}
	for _, n := range id.names {
		folded[rencontres.FoldSearch(n)] = true
	}
	var named []int64
	for rows.Next() {
		var n int64
		var name string
		if err := rows.Scan(&n, &name); err != nil {
			rows.Close()
			return err
		}
		if folded[rencontres.FoldSearch(name)] {
			named = append(named, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range named {
		if _, err := s.writer().ExecContext(ctx, "UPDATE proposals SET contact_name = $2 WHERE id = $1", n, ErasedName); err != nil {
			return err
		}
	}
	if _, err := s.writer().ExecContext(ctx, `UPDATE proposal_presenters SET person = $2, function = '{}' WHERE user_id = $1`,
		id.userID, ErasedName); err != nil {
		return err
	}
	return s.forgetIn(ctx, "proposals", "CAST(id AS TEXT)", "answers", id, false)
}

// purgeProposals applies ProposalRetentionYears: the contacts of the
// proposals to calls of events that ended before the cutoff day, and the
// presenters of those not accepted.
func (s *Store) purgeProposals(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.UTC().AddDate(-ProposalRetentionYears, 0, 0).Format("2006-01-02")
	old := `SELECT p.id FROM proposals p JOIN calls c ON c.id = p.call_id JOIN events e ON e.id = c.event_id
		WHERE COALESCE(e.end_date, e.start_date) < $1`
	var total int64
	for _, q := range []string{
		fmt.Sprintf(`UPDATE proposals SET contact_name = '%s', contact_email = 'erased-p' || id || '@erased.invalid'
			WHERE id IN (%s) AND contact_email NOT LIKE '%%@erased.invalid'`, ErasedName, old),
		fmt.Sprintf(`UPDATE proposal_presenters SET person = '%s', function = '{}'
			WHERE proposal_id IN (%s AND p.decision NOT IN ('accepted', 'accepted_other')) AND person <> '%s'`, ErasedName, old, ErasedName),
	} {
		res, err := s.writer().ExecContext(ctx, q, cutoff)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
