package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// cooperationProfiles are what some demo authorities seek and offer, so
// that the partners suggested in the demo come with meaningful reasons:
// Aix-en-Provence, twinned with Kumamoto, is offered Fukuoka (near
// Kumamoto, offering what Aix seeks); Kumamoto is offered Marseille and
// Bordeaux.
var cooperationProfiles = []rencontres.CooperationProfile{
	{OrgKey: "fr-13001", Seeks: []string{"tourism", "disaster_resilience", "education_youth"}, Offers: []string{"culture", "urban_transport", "agriculture_food"},
		Kinds: []string{"officer_exchange", "school_exchange", "cultural_exchange"}, Languages: []string{"fr", "en"}},
	{OrgKey: "jp-431001", Seeks: []string{"culture", "urban_transport", "agriculture_food"}, Offers: []string{"disaster_resilience", "tourism"},
		Kinds: []string{"school_exchange", "officer_exchange"}, Languages: []string{"ja", "en", "fr"}},
	{OrgKey: "jp-401307", Seeks: []string{"culture", "economy_innovation"}, Offers: []string{"digital", "disaster_resilience", "tourism"},
		Kinds: []string{"joint_project", "economic_mission"}, Languages: []string{"ja", "en"}},
	{OrgKey: "jp-172014", Seeks: []string{"tourism", "culture"}, Offers: []string{"culture", "education_youth"},
		Kinds: []string{"cultural_exchange", "school_exchange"}, Languages: []string{"ja", "en"}},
	{OrgKey: "jp-261009", Seeks: []string{"environment_energy", "urban_transport"}, Offers: []string{"culture", "tourism"},
		Kinds: []string{"study_visit"}, Languages: []string{"ja", "en", "fr"}},
	{OrgKey: "jp-281000", Seeks: []string{"tourism"}, Offers: []string{"disaster_resilience", "economy_innovation"},
		Kinds: []string{"joint_project"}, Languages: []string{"ja", "en"}},
	{OrgKey: "fr-54395", Seeks: []string{"culture", "digital"}, Offers: []string{"education_youth", "economy_innovation"},
		Kinds: []string{"school_exchange"}, Languages: []string{"fr", "en", "de"}},
	{OrgKey: "fr-33063", Seeks: []string{"disaster_resilience", "digital"}, Offers: []string{"agriculture_food", "tourism"},
		Kinds: []string{"economic_mission"}, Languages: []string{"fr", "en", "es"}},
	{OrgKey: "fr-13055", Seeks: []string{"economy_innovation", "disaster_resilience"}, Offers: []string{"tourism", "urban_transport", "culture"},
		Kinds: []string{"joint_project", "study_visit"}, Languages: []string{"fr", "en"}},
	{OrgKey: "fr-67482", Seeks: []string{"culture"}, Offers: []string{"environment_energy", "urban_transport"},
		Kinds: []string{"study_visit", "officer_exchange"}, Languages: []string{"fr", "de", "en"}},
}

// loadCooperation saves the demo's cooperation profiles.
func loadCooperation(ctx context.Context, st *store.Store) error {
	for _, p := range cooperationProfiles {
		if err := st.SaveCooperationProfile(ctx, &p, 0, time.Now()); err != nil {
			return fmt.Errorf("demo cooperation profile of %s: %w", p.OrgKey, err)
		}
	}
	return nil
}
