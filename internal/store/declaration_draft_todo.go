package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Placeholders of rencontres.DraftService until its part of issue 16 is built:
// this file is replaced by the store of that part.

func (*Store) StartDeclaration(ctx context.Context, d *rencontres.Declaration, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) Declaration(ctx context.Context, id int64) (*rencontres.Declaration, error) {
	return nil, errNotBuilt
}

func (*Store) DeclarationOfEdition(ctx context.Context, editionID int64) (*rencontres.Declaration, error) {
	return nil, errNotBuilt
}

func (*Store) DeclarationAt(ctx context.Context, id, rev int64) (*rencontres.Declaration, error) {
	return nil, errNotBuilt
}

func (*Store) SaveSegment(ctx context.Context, declID int64, s *rencontres.Segment, afterID int64, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) ConfirmTranslation(ctx context.Context, declID, segID, version int64, lang rencontres.Lang, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) DeleteSegment(ctx context.Context, declID, segID, version int64, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) SegmentHistory(ctx context.Context, declID, segID int64) ([]*rencontres.SegmentVersion, error) {
	return nil, errNotBuilt
}

func (*Store) DeclarationHistory(ctx context.Context, declID int64) ([]*rencontres.SegmentVersion, error) {
	return nil, errNotBuilt
}

func (*Store) RestoreVersion(ctx context.Context, declID, versionID int64, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) TakesPart(ctx context.Context, editionID, userID int64) (bool, error) {
	return false, errNotBuilt
}

func (*Store) RegisteredOrgs(ctx context.Context, editionID int64) ([]string, error) {
	return nil, errNotBuilt
}

func (*Store) JointCommittee(ctx context.Context, editionID int64) (int64, error) {
	return 0, errNotBuilt
}

func (*Store) SetAmendmentPeriod(ctx context.Context, declID int64, opens, closes *time.Time, now time.Time) error {
	return errNotBuilt
}
