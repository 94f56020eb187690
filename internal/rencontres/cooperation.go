package rencontres

import (
	"context"
	"time"
)

// Finding partners (issue 17). Each authority's contacts say in a
// CooperationProfile what their authority seeks and offers; the product
// suggests authorities of the other country that it is not yet twinned
// with, each Suggestion with its reasons in words. The tables are in
// migration 00037 (store/migrations/*/00037_cooperation.sql).

// CooperationProfile is what an authority seeks and offers.
type CooperationProfile struct {
	OrgKey string `json:"organisation"`
	// Seeks and Offers are theme keys (CooperationThemes).
	Seeks  []string `json:"seeks"`
	Offers []string `json:"offers"`
	// Kinds are kinds of cooperation sought (exchanges of officers,
	// joint projects, school exchanges…).
	Kinds []string `json:"kinds"`
	// Languages its people speak, as language codes.
	Languages []string  `json:"languages"`
	UpdatedBy int64     `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// SuggestionReason is one reason an authority is suggested, said in words
// by the catalogue key Key with Args; Weight is its part of the score.
type SuggestionReason struct {
	Kind   string         `json:"kind"`
	Key    string         `json:"-"`
	Args   map[string]any `json:"args,omitempty"`
	Weight float64        `json:"weight"`
	Text   string         `json:"text,omitempty"` // in the reader's language, filled by the pages and the API
}

// Suggestion is an authority suggested as a partner, with its score and
// reasons, best reason first.
type Suggestion struct {
	Org     *Organisation      `json:"organisation"`
	Score   float64            `json:"score"`
	Reasons []SuggestionReason `json:"reasons"`
}

// CooperationService keeps the profiles and computes the suggestions.
type CooperationService interface {
	// CooperationProfile reads an authority's profile (an empty one when
	// it has none).
	CooperationProfile(ctx context.Context, orgKey string) (*CooperationProfile, error)
	// SaveCooperationProfile checks and writes a profile.
	SaveCooperationProfile(ctx context.Context, p *CooperationProfile, by int64, now time.Time) error
	// Suggestions ranks, for an authority, the authorities of the other
	// country it is not yet twinned with, at most limit.
	Suggestions(ctx context.Context, orgKey string, limit int) ([]*Suggestion, error)
}
