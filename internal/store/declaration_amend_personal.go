package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// An amendment is its authority's: the person who wrote it for the
// authority (author_id), or who supported another's for it (user_id), is
// personal data. The export lists them; the erasure and, some years after
// the edition, retention forget who it was and keep the amendment and the
// support, by the authority.

// AmendmentRetentionYears is how many years after its edition ended an
// amendment keeps who wrote or supported it.
const AmendmentRetentionYears = 5

// personalAmendments adds the amendments a person proposed and those
// they supported.
func (s *Store) personalAmendments(ctx context.Context, d *rencontres.PersonalData, userID int64) error {
	var err error
	if d.Amendments, err = s.amendmentsWhere(ctx, "a.author_id = $1 AND a.org_id IS NOT NULL", userID); err != nil {
		return err
	}
	d.AmendmentSupports, err = s.amendmentsWhere(ctx, "a.id IN (SELECT amendment_id FROM declaration_supports WHERE user_id = $1)", userID)
	return err
}

// eraseAmendments forgets a person as the author and supporter of
// amendments, and as the committee member who decided them.
func (s *Store) eraseAmendments(ctx context.Context, userID int64) error {
	for _, q := range []string{
		"UPDATE declaration_amendments SET author_id = NULL WHERE author_id = $1",
		"UPDATE declaration_amendments SET decided_by = NULL WHERE decided_by = $1",
		"UPDATE declaration_supports SET user_id = NULL WHERE user_id = $1",
	} {
		if _, err := s.writer().ExecContext(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}

// purgeAmendments applies AmendmentRetentionYears to the amendments of
// editions that ended before the cutoff day.
func (s *Store) purgeAmendments(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.UTC().AddDate(-AmendmentRetentionYears, 0, 0).Format("2006-01-02")
	old := `SELECT d.id FROM declarations d JOIN events e ON e.id = d.edition_id WHERE COALESCE(e.end_date, e.start_date) < $1`
	var total int64
	for _, q := range []string{
		"UPDATE declaration_amendments SET author_id = NULL WHERE author_id IS NOT NULL AND declaration_id IN (" + old + ")",
		`UPDATE declaration_supports SET user_id = NULL WHERE user_id IS NOT NULL
			AND amendment_id IN (SELECT id FROM declaration_amendments WHERE declaration_id IN (` + old + "))",
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
