package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Cooperation profiles and partner suggestions (issue 17, migration
// 00037). Placeholder of the shared model, written by the profiles' work.

var errCooperationNotBuilt = rencontres.Errorf(rencontres.EINVALID, "error.internal", "cooperation profiles are not built yet")

// CooperationProfile implements rencontres.CooperationService.
func (s *Store) CooperationProfile(ctx context.Context, orgKey string) (*rencontres.CooperationProfile, error) {
	return nil, errCooperationNotBuilt
}

// SaveCooperationProfile implements rencontres.CooperationService.
func (s *Store) SaveCooperationProfile(ctx context.Context, p *rencontres.CooperationProfile, by int64, now time.Time) error {
	return errCooperationNotBuilt
}

// Suggestions implements rencontres.CooperationService.
func (s *Store) Suggestions(ctx context.Context, orgKey string, limit int) ([]*rencontres.Suggestion, error) {
	return nil, errCooperationNotBuilt
}
