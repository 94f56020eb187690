package store_test

import (
	"context"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// directory stores the few organisations a series test names.
func directory(t *testing.T, s *store.Store) {
	t.Helper()
	orgs := []*rencontres.Organisation{
		{Key: "inst-cuf", Kind: rencontres.Institution, Country: "FR", Name: rencontres.Text{"fr": "Cités Unies France", "ja": "フランス自治体国際連合"}},
		{Key: "inst-clair-paris", Kind: rencontres.Institution, Country: "FR", Name: rencontres.Text{"fr": "CLAIR Paris", "ja": "自治体国際化協会パリ事務所"}},
		{Key: "inst-meae", Kind: rencontres.Institution, Country: "FR", Name: rencontres.Text{"fr": "Ministère de l'Europe et des Affaires étrangères"}},
		{Key: "fr-54395", Kind: rencontres.Commune, Country: "FR", Name: rencontres.Text{"fr": "Nancy", "ja": "ナンシー"}},
	}
	if _, _, err := s.UpsertOrganisations(context.Background(), orgs); err != nil {
		t.Fatal(err)
	}
}

// A series is created with its co-organisers and patrons, refused when its
// slug is taken or an organisation is unknown (with nothing stored), and
// updated with its organisations replaced.
func TestSeriesWithOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		directory(t, s)
		se := &rencontres.Series{Slug: "rencontres-franco-japonaises", Rhythm: rencontres.Biennial, Alternating: true,
			Name: rencontres.Text{"fr": "Rencontres franco-japonaises de la coopération décentralisée", "ja": "日仏自治体交流会議"},
			Organisations: []rencontres.EditionOrg{
				{Role: rencontres.CoOrganiser, OrgKey: "inst-cuf"}, {Role: rencontres.CoOrganiser, OrgKey: "inst-clair-paris"},
				{Role: rencontres.Patron, OrgKey: "inst-meae"}}}
		if err := s.CreateSeries(ctx, se); err != nil {
			t.Fatal(err)
		}
		got, err := s.Series(ctx, se.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Organisations) != 3 || got.Organisations[0].OrgKey != "inst-cuf" || got.Organisations[1].OrgKey != "inst-clair-paris" ||
			got.Organisations[2].Role != rencontres.Patron || got.Organisations[2].Org.Name["fr"] == "" || !got.Alternating {
			t.Errorf("series read back = %+v", got)
		}
		if got.Short["ja"] != "日仏自治体交流会議" {
			t.Errorf("a series with no short name takes its name as one: %v", got.Short)
		}
		all, err := s.AllSeries(ctx)
		if err != nil || len(all) != 1 || len(all[0].Organisations) != 3 {
			t.Errorf("AllSeries = %+v, %v", all, err)
		}

		// The same slug again is a conflict on the slug.
		again := &rencontres.Series{Slug: se.Slug, Rhythm: rencontres.Annual, Name: rencontres.Text{"fr": "Autre"}}
		wantError(t, "slug taken", s.CreateSeries(ctx, again), rencontres.ECONFLICT, "slug", "series_form.slug_taken")

		// An unknown organisation refuses the whole series.
		raict := &rencontres.Series{Slug: "raict", Rhythm: rencontres.Annual, Name: rencontres.Text{"fr": "RAICT"},
			Organisations: []rencontres.EditionOrg{{Role: rencontres.CoOrganiser, OrgKey: "inst-cuf"}, {Role: rencontres.Patron, OrgKey: "inst-nowhere"}}}
		wantError(t, "unknown organisation", s.CreateSeries(ctx, raict), rencontres.EINVALID, "organisations[1].organisation", "error.unknown_organisation")
		if _, err := s.Series(ctx, "raict"); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a refused series was stored: %v", err)
		}
		// A role a series does not have, and a bad slug, are refused.
		raict.Organisations = []rencontres.EditionOrg{{Role: rencontres.Partner, OrgKey: "inst-cuf"}}
		wantError(t, "partner role", s.CreateSeries(ctx, raict), rencontres.EINVALID, "organisations[0].role", "error.bad_role")
		raict.Slug = "RAICT 2026"
		wantError(t, "bad slug", s.CreateSeries(ctx, raict), rencontres.EINVALID, "slug", "error.bad_slug")

		// An update replaces the organisations; the slug stays.
		se.Organisations = []rencontres.EditionOrg{{Role: rencontres.CoOrganiser, OrgKey: "inst-cuf"}}
		se.Rhythm = rencontres.Irregular
		if err := s.UpdateSeries(ctx, se.Slug, se); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Series(ctx, se.Slug); len(got.Organisations) != 1 || got.Rhythm != rencontres.Irregular {
			t.Errorf("after update: %+v", got)
		}
		wantError(t, "update of no series", s.UpdateSeries(ctx, "nowhere", &rencontres.Series{Rhythm: rencontres.Annual, Name: rencontres.Text{"fr": "X"}}),
			rencontres.ENOTFOUND, "", "error.not_found")
	})
}

// A change of dates records its kind: a correction leaves a planned event
// planned and stays out of the public history; a postponement is a move.
// An edition gets its host and keeps the title typed.
func TestDateChangeKinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		directory(t, s)
		if err := s.CreateSeries(ctx, &rencontres.Series{Slug: "raict", Rhythm: rencontres.Annual, Name: rencontres.Text{"fr": "RAICT"}}); err != nil {
			t.Fatal(err)
		}
		d := func(v string) rencontres.Date { x, _ := rencontres.ParseDate(v); return x }
		e := &rencontres.Event{Kind: rencontres.EditionEvent, Series: "raict", Title: rencontres.Text{"fr": "14e RAICT, à Nancy"}, Host: "fr-54395",
			TimeZone: "Europe/Paris", Start: d("2023-09-18"), End: d("2023-09-19"), Status: rencontres.Planned}
		if err := s.SaveEvent(ctx, e, nil); err != nil {
			t.Fatal(err)
		}
		ed, err := s.Edition(ctx, "raict", 1)
		if err != nil || ed.HostKey != "fr-54395" || ed.Host == nil {
			t.Fatalf("edition = %+v, %v: want the host Nancy", ed, err)
		}
		ev, _ := s.Event(ctx, e.ID)
		if ev.Title["fr"] != "14e RAICT, à Nancy" || ev.Host != "fr-54395" {
			t.Errorf("event read back: title %v, host %q", ev.Title, ev.Host)
		}
		e.Host = "fr-00000"
		wantError(t, "unknown host", s.SaveEvent(ctx, e, nil), rencontres.EINVALID, "host", "error.unknown_organisation")
		e.Host = "fr-54395"

		// A typo fixed: one day later, recorded as a correction.
		e.Start, e.End = d("2023-09-19"), d("2023-09-20")
		if err := s.SaveEvent(ctx, e, &rencontres.DateChange{Kind: rencontres.Correction}); err != nil {
			t.Fatal(err)
		}
		ev, _ = s.Event(ctx, e.ID)
		if len(ev.DateChanges) != 1 || ev.DateChanges[0].Kind != rencontres.Correction || ev.Status != rencontres.Planned || len(ev.Moves()) != 0 {
			t.Errorf("after a correction: status %s, changes %+v", ev.Status, ev.DateChanges)
		}
		// Then a real postponement.
		e.Start, e.End = d("2023-10-02"), d("2023-10-03")
		if err := s.SaveEvent(ctx, e, &rencontres.DateChange{Kind: rencontres.Postponement, Reason: rencontres.Text{"fr": "Grève"}}); err != nil {
			t.Fatal(err)
		}
		ed, _ = s.Edition(ctx, "raict", 1)
		if len(ed.DateChanges) != 2 || ed.DateChanges[1].Kind != rencontres.Postponement || ed.Status != rencontres.Postponed ||
			len(ed.Moves()) != 1 || ed.Moves()[0].FromStart != d("2023-09-19") {
			t.Errorf("after a postponement: status %s, changes %+v", ed.Status, ed.DateChanges)
		}
		// A kind that is neither is refused, and nothing moves.
		e.Start, e.End = d("2023-11-06"), d("2023-11-07")
		wantError(t, "bad kind", s.SaveEvent(ctx, e, &rencontres.DateChange{Kind: "typo"}), rencontres.EINVALID, "date_change", "date_change.bad_kind")
		if ev, _ := s.Event(ctx, e.ID); ev.Start != d("2023-10-02") || len(ev.DateChanges) != 2 {
			t.Errorf("a refused change moved the event: %+v", ev)
		}
	})
}
