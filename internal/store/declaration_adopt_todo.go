package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Placeholders of rencontres.AdoptionService until its part of issue 16 is built:
// this file is replaced by the store of that part.

func (*Store) FreezeDeclaration(ctx context.Context, declID int64, mode rencontres.AdoptionMode, endorseUntil *time.Time, now time.Time) error {
	return errNotBuilt
}

func (*Store) Adoptions(ctx context.Context, declID int64) ([]*rencontres.Adoption, error) {
	return nil, errNotBuilt
}

func (*Store) RecordVote(ctx context.Context, declID int64, orgKey string, choice rencontres.AdoptionChoice, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) EndorseDeclaration(ctx context.Context, declID int64, orgKey string, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) AdoptDeclaration(ctx context.Context, declID int64, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) CorrectDeclaration(ctx context.Context, declID int64, segs []*rencontres.Segment, reason rencontres.Text, by int64, now time.Time) (*rencontres.DeclarationCorrection, error) {
	return nil, errNotBuilt
}

func (*Store) Corrections(ctx context.Context, declID int64) ([]*rencontres.DeclarationCorrection, error) {
	return nil, errNotBuilt
}
