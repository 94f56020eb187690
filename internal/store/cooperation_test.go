package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/partners"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func TestCooperationProfileRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		p, err := s.CooperationProfile(ctx, "fr-13001")
		if err != nil {
			t.Fatal(err)
		}
		if !p.Empty() || !p.UpdatedAt.IsZero() {
			t.Fatalf("a new authority's profile: %+v, want empty", p)
		}
		u := &rencontres.User{Email: "coop@example.org", Name: "Chloé Martin", Lang: rencontres.French, Role: rencontres.AuthorityContact}
		if err := s.InviteUser(ctx, u, "fr-13001"); err != nil {
			t.Fatal(err)
		}
		// Duplicates and the lists' order are tidied on the way in.
		in := &rencontres.CooperationProfile{OrgKey: "fr-13001", Seeks: []string{"sport", "tourism", "sport"}, Offers: []string{"culture"},
			Kinds: []string{"school_exchange", "twinning"}, Languages: []string{"en", "fr"}}
		now := time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC)
		if err := s.SaveCooperationProfile(ctx, in, u.ID, now); err != nil {
			t.Fatal(err)
		}
		got, err := s.CooperationProfile(ctx, "fr-13001")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Seeks, []string{"tourism", "sport"}) || !slices.Equal(got.Offers, []string{"culture"}) ||
			!slices.Equal(got.Kinds, []string{"twinning", "school_exchange"}) || !slices.Equal(got.Languages, []string{"fr", "en"}) ||
			got.UpdatedBy != u.ID || !got.UpdatedAt.Equal(now) {
			t.Fatalf("read back %+v", got)
		}
		// Every unknown value is named beside its field, and nothing of
		// the profile is written.
		bad := &rencontres.CooperationProfile{OrgKey: "fr-13001", Seeks: []string{"culture", "piracy"}, Offers: []string{"sport"},
			Kinds: []string{"war"}, Languages: []string{"fr", "klingon"}}
		f := faults(t, s.SaveCooperationProfile(ctx, bad, u.ID, now.Add(time.Hour)))
		for field, key := range map[string]string{"seeks": "cooperation.bad_theme", "kinds": "cooperation.bad_kind", "languages": "cooperation.bad_language"} {
			if f[field] == nil || f[field].Key != key {
				t.Errorf("fault on %s: %+v, want %s", field, f[field], key)
			}
		}
		if f["seeks"] != nil && f["seeks"].Args["Value"] != "piracy" {
			t.Errorf("seeks fault names %v, want piracy", f["seeks"].Args)
		}
		if f["offers"] != nil {
			t.Errorf("offers refused: %+v", f["offers"])
		}
		again, err := s.CooperationProfile(ctx, "fr-13001")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again.Seeks, got.Seeks) || !slices.Equal(again.Offers, got.Offers) || !again.UpdatedAt.Equal(now) {
			t.Errorf("a refused save changed the profile: %+v", again)
		}
		if _, err := s.CooperationProfile(ctx, "fr-99999"); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("unknown authority: %v", err)
		}
		if err := s.SaveCooperationProfile(ctx, &rencontres.CooperationProfile{OrgKey: "fr-99999"}, 0, now); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("saving for an unknown authority: %v", err)
		}
		// The profile is in the personal data of the account that saved it.
		pd, err := s.PersonalData(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pd.CooperationProfiles) != 1 || pd.CooperationProfiles[0].OrgKey != "fr-13001" {
			t.Errorf("personal data: %+v", pd.CooperationProfiles)
		}
		// Erasing the account that saved it keeps the profile readable.
		if err := s.EraseUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if p, err := s.CooperationProfile(ctx, "fr-13001"); err != nil || !slices.Equal(p.Seeks, got.Seeks) {
			t.Errorf("after erasure: %+v, %v", p, err)
		}
		// A merge gives the kept authority the profile of the other when
		// it has none.
		dup := &rencontres.Organisation{Key: "fr-13001-bis", Kind: rencontres.Commune, Country: rencontres.France, Name: rencontres.Text{"fr": "Aix"}}
		if _, _, err := s.UpsertOrganisations(ctx, []*rencontres.Organisation{dup}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeOrganisations(ctx, "fr-13001-bis", "fr-13001", true, nil); err != nil {
			t.Fatal(err)
		}
		if p, err := s.CooperationProfile(ctx, "fr-13001-bis"); err != nil || !slices.Equal(p.Seeks, got.Seeks) {
			t.Errorf("after the merge: %+v, %v", p, err)
		}
	})
}

// TestSuggestionsOnTheDemo reads the suggestions the demo's data give
// Kumamoto on both databases: what the store gathers (profiles,
// partnerships, positions, practices and their goals and workshops,
// delegations) reaches the reasons.
func TestSuggestionsOnTheDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		list, err := s.Suggestions(ctx, "jp-431001", 30)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		reasons := map[string]rencontres.SuggestionReason{}
		for _, x := range list {
			keys = append(keys, x.Org.Key)
			if x.Org.Country != rencontres.France {
				t.Errorf("%s suggested to Kumamoto: not French", x.Org.Key)
			}
			for _, r := range x.Reasons {
				reasons[x.Org.Key+" "+r.Kind] = r
			}
		}
		if slices.Contains(keys, "fr-13001") {
			t.Errorf("Aix-en-Provence, Kumamoto's partner, suggested: %v", keys)
		}
		// Marseille offers culture and urban planning, which Kumamoto
		// seeks, seeks disaster resilience, which it offers, and lies
		// 26 km from Aix, Kumamoto's partner; Tours presented practices on
		// three of the goals Kumamoto's did, in the same workshop.
		if len(keys) < 3 || !slices.Equal(keys[:3], []string{"fr-13055", "fr-37261", "fr-67482"}) {
			t.Fatalf("ranked %v, want Marseille, Tours, Strasbourg first", keys)
		}
		if r := reasons["fr-13055 offers_sought"]; !slices.Equal(r.Args["Themes"].([]string), []string{"culture", "urban_transport"}) || r.Weight != 6 {
			t.Errorf("Marseille's offers: %+v", r)
		}
		if r := reasons["fr-13055 seeks_offered"]; !slices.Equal(r.Args["Themes"].([]string), []string{"disaster_resilience"}) {
			t.Errorf("Marseille's wishes: %+v", r)
		}
		if r := reasons["fr-13055 near_twin"]; r.Args["Km"] != 26 || r.Args["Twin"].(rencontres.Text)["fr"] != "Aix-en-Provence" {
			t.Errorf("Marseille near Aix: %+v", r)
		}
		if r := reasons["fr-37261 shared_sdg"]; !slices.Equal(r.Args["SDGs"].([]int), []int{8, 10, 11}) {
			t.Errorf("Tours' goals: %+v", r)
		}
		if ws, _ := reasons["fr-37261 same_workshop"].Args["Workshops"].([]partners.Workshop); len(ws) != 1 || ws[0].Title["fr"] != "Atelier économie" || ws[0].Edition.Number != 7 {
			t.Errorf("Tours' workshop with Kumamoto: %+v", reasons["fr-37261 same_workshop"])
		}
		if eds, _ := reasons["fr-37261 same_edition"].Args["Editions"].([]partners.Edition); len(eds) != 1 || eds[0].Number != 7 {
			t.Errorf("Tours' edition with Kumamoto: %+v", reasons["fr-37261 same_edition"])
		}
		for _, k := range []string{"fr-37261 same_workshop", "fr-37261 same_edition", "fr-37261 practices"} {
			if _, ok := reasons[k]; !ok {
				t.Errorf("no reason %s", k)
			}
		}
		if _, err := s.Suggestions(ctx, "jp-99999", 30); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("unknown authority: %v", err)
		}
		if inst, err := s.Suggestions(ctx, "inst-cuf", 30); err != nil || len(inst) != 0 {
			t.Errorf("an institution's suggestions: %d, %v", len(inst), err)
		}
	})
}
