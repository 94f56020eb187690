package rencontres

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// CooperationThemes are the themes an authority seeks or offers, in the
// order the forms list them. The keys are stable (they are stored and the
// API gives them); their labels are in the catalogue under coop_theme.
var CooperationThemes = []string{
	"tourism", "culture", "education_youth", "economy_innovation", "environment_energy",
	"disaster_resilience", "ageing_health", "sport", "agriculture_food", "urban_transport",
	"digital", "social_inclusion",
}

// CooperationKinds are the kinds of cooperation an authority looks for;
// labels under coop_kind.
var CooperationKinds = []string{
	"twinning", "friendship", "officer_exchange", "school_exchange", "joint_project",
	"study_visit", "economic_mission", "cultural_exchange",
}

// CooperationLanguages are the languages an authority's people may speak,
// as ISO 639-1 codes; labels under coop_language.
var CooperationLanguages = []string{"fr", "ja", "en", "de", "es", "it", "zh", "ko", "pt"}

// Normalize trims, removes duplicates and orders each list as its
// reference list does, so that a profile reads the same whoever saved it.
// Unknown values are kept, at the end, for Validate to name them.
func (p *CooperationProfile) Normalize() {
	p.Seeks = normalizeList(p.Seeks, CooperationThemes)
	p.Offers = normalizeList(p.Offers, CooperationThemes)
	p.Kinds = normalizeList(p.Kinds, CooperationKinds)
	p.Languages = normalizeList(p.Languages, CooperationLanguages)
}

func normalizeList(in, ref []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, r := range ref {
		for _, v := range in {
			if strings.TrimSpace(v) == r && !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Validate checks every value against its list and says, per field, which
// value is unknown.
func (p *CooperationProfile) Validate() error {
	var errs []error
	check := func(field, key string, values, ref []string) {
		for _, v := range values {
			if !slices.Contains(ref, v) {
				errs = append(errs, &Error{Code: EINVALID, Key: key, Field: field, Args: map[string]any{"Value": v},
					Message: fmt.Sprintf("%s: unknown value %q", field, v)})
				return
			}
		}
	}
	check("seeks", "cooperation.bad_theme", p.Seeks, CooperationThemes)
	check("offers", "cooperation.bad_theme", p.Offers, CooperationThemes)
	check("kinds", "cooperation.bad_kind", p.Kinds, CooperationKinds)
	check("languages", "cooperation.bad_language", p.Languages, CooperationLanguages)
	return Join(errs...)
}

// Empty reports whether the profile says nothing yet.
func (p *CooperationProfile) Empty() bool {
	return len(p.Seeks)+len(p.Offers)+len(p.Kinds)+len(p.Languages) == 0
}
