package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Placeholders of rencontres.AmendmentService until its part of issue 16 is built:
// this file is replaced by the store of that part.

func (*Store) Amendments(ctx context.Context, declID int64) ([]*rencontres.Amendment, error) {
	return nil, errNotBuilt
}

func (*Store) Amendment(ctx context.Context, id int64) (*rencontres.Amendment, error) {
	return nil, errNotBuilt
}

func (*Store) ProposeAmendment(ctx context.Context, a *rencontres.Amendment, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) TranslateAmendment(ctx context.Context, id int64, lang rencontres.Lang, text string, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) SupportAmendment(ctx context.Context, id int64, orgKey string, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) WithdrawSupport(ctx context.Context, id int64, orgKey string, now time.Time) error {
	return errNotBuilt
}

func (*Store) WithdrawAmendment(ctx context.Context, id int64, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) AcceptAmendment(ctx context.Context, id int64, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) RejectAmendment(ctx context.Context, id int64, reason rencontres.Text, by int64, now time.Time) error {
	return errNotBuilt
}

func (*Store) MergeAmendments(ctx context.Context, ids []int64, merged *rencontres.Amendment, by int64, now time.Time) (int64, error) {
	return 0, errNotBuilt
}
