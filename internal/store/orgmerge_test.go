package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A merge fills the kept record's empty fields from the removed one,
// never overwriting one it has; the fields filled are recorded as the
// secretariat's edits of the reference record, returned and named in the
// audit entry; the kept record is found by the names it took.
func TestMergeFillsEmptyFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		dup := clair()
		dup.Kind, dup.Country, dup.Population = rencontres.Municipality, rencontres.Japan, 12
		dup.Name = rencontres.Text{"fr": "Ville de Kumamoto", "en": "Kumamoto City", "ja": "熊本市役所"}
		lat, lng := 32.8031, 130.7079 // Kumamoto's city hall: a Japanese record lies in Japan
		dup.Lat, dup.Lng = &lat, &lng
		if err := s.CreateOrganisation(ctx, dup); err != nil {
			t.Fatal(err)
		}
		m, err := s.MergeOrganisations(ctx, "jp-431001", dup.Key, false, &rencontres.AuditEntry{ActorEmail: "secretariat@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"coordinates", "website", "address", "languages", "cuf_japan_group", "notes"}
		if !slices.Equal(m.Filled, want) {
			t.Errorf("filled %v, want %v", m.Filled, want)
		}
		o, err := s.Organisation(ctx, "jp-431001")
		if err != nil {
			t.Fatal(err)
		}
		if o.Name["ja"] != "熊本市" || o.Name["en"] != "Kumamoto" || o.Population != 738865 || o.ParentKey != "jp-430005" || o.Kana != "くまもとし" {
			t.Errorf("a field the kept record had was overwritten: %+v", o)
		}
		if o.Website != dup.Website || o.Address != dup.Address || !o.CUFJapanGroup || o.Notes != dup.Notes ||
			o.Lat == nil || *o.Lat != *dup.Lat || len(o.Languages) != 3 {
			t.Errorf("empty fields not filled: %+v", o)
		}
		if v, ok := o.Reference["website"]; !ok || v != "" {
			t.Errorf("reference values %v: the website should be the secretariat's, the reference data's empty", o.Reference)
		}
		log, err := s.AuditLog(ctx, rencontres.AuditFilter{Action: "organisation.merge"})
		if err != nil || len(log) != 1 {
			t.Fatalf("audit = %+v, %v", log, err)
		}
		var got []string
		for _, f := range log[0].Detail["filled"].([]any) {
			got = append(got, f.(string))
		}
		if !slices.Equal(got, want) {
			t.Errorf("audit names %v as filled, want %v", got, want)
		}
		// A re-import updates the reference values and keeps what was
		// filled.
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		if o, _ := s.Organisation(ctx, "jp-431001"); o.Website != dup.Website {
			t.Errorf("a re-import lost the website the merge filled: %q", o.Website)
		}
	})
}

// A chain of merges, A into B then B into C, leads A's key to C.
func TestMergeChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var keys []string
		for _, n := range []string{"Alpha", "Bêta", "Gamma"} {
			o := &rencontres.Organisation{Kind: rencontres.Association, Country: rencontres.France, Name: rencontres.Text{"fr": "Association " + n}}
			if err := s.CreateOrganisation(ctx, o); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, o.Key)
		}
		if _, err := s.MergeOrganisations(ctx, keys[1], keys[0], false, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeOrganisations(ctx, keys[2], keys[1], false, nil); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys[:2] {
			if got, err := s.MergedInto(ctx, k); err != nil || got != keys[2] {
				t.Errorf("MergedInto(%s) = %q, %v; want %s", k, got, err, keys[2])
			}
		}
		if _, err := s.MergedInto(ctx, keys[2]); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("MergedInto of a kept key: %v, want not found", err)
		}
	})
}
