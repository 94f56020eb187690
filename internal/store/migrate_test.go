package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Migration 7 moves committee meetings, stored until then as two UTC
// instants, into events with days and clock times in their own zone, and
// resolves the event they were held within; going down and up again keeps
// them.
func TestMigrationMovesMeetings(t *testing.T) {
	for _, db := range []struct{ name, driver string }{{"sqlite", "sqlite"}, {"postgres", "pgx"}} {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			dsn, dbURL := "file:"+filepath.Join(dir, "rencontres.db"), ""
			if db.name == "postgres" {
				dbURL = storetest.NewPostgresDB(t)
				dsn = dbURL
			}
			s, err := store.Open(ctx, dbURL, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.MigrateTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			// The series are written as schema 6 had them: today's
			// SaveSeries writes columns added since.
			if _, err := s.DB().ExecContext(ctx, `INSERT INTO series (slug, name, short_name, rhythm, alternating, description) VALUES
				('raict', '{"fr":"RAICT"}', '{"fr":"RAICT"}', 'annual', FALSE, '{}'),
				('rencontres-franco-japonaises', '{"fr":"Rencontres"}', '{"fr":"Rencontres"}', 'biennial', FALSE, '{}')`); err != nil {
				t.Fatal(err)
			}
			d := func(v string) rencontres.Date { x, _ := rencontres.ParseDate(v); return x }
			raict := &rencontres.Edition{SeriesSlug: "raict", Number: 11, Year: 2020, Start: d("2020-09-21"), End: d("2020-09-22"), TimeZone: "Europe/Paris", Status: rencontres.Held}
			seventh := &rencontres.Edition{SeriesSlug: "rencontres-franco-japonaises", Number: 7, Year: 2022, Start: d("2022-10-03"), End: d("2022-10-06"), TimeZone: "Europe/Paris", Status: rencontres.Held}
			for _, e := range []*rencontres.Edition{raict, seventh} {
				if err := s.SaveEdition(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			raw, err := sql.Open(db.driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			var committee int64
			if err := raw.QueryRowContext(ctx, `INSERT INTO committees (edition_id, kind, name) VALUES ($1, 'french', '{"fr":"Comité"}') RETURNING id`, seventh.ID).Scan(&committee); err != nil {
				t.Fatal(err)
			}
			// 16:00–17:30 in Paris is 14:00–15:30 UTC; a day-only meeting in
			// Tokyo is stored as its midnight there, 15:00 UTC the day before.
			if _, err := raw.ExecContext(ctx, `INSERT INTO committee_meetings (committee_id, seq, title, starts_at, ends_at, time_zone, venue, within) VALUES
				($1, 0, '{"fr":"3e réunion"}', '2020-09-22T14:00:00Z', '2020-09-22T15:30:00Z', 'Europe/Paris', '{}', 'raict/11'),
				($1, 1, '{"fr":"Réunion conjointe"}', '2019-11-05T15:00:00Z', '2019-11-05T15:00:00Z', 'Asia/Tokyo', '{}', '')`, committee); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			check := func(when string) {
				t.Helper()
				got, err := s.Events(ctx, rencontres.EventFilter{CommitteeID: committee})
				if err != nil || len(got) != 2 {
					t.Fatalf("%s: %d meetings, %v", when, len(got), err)
				}
				tokyo, paris := got[0], got[1]
				if tokyo.Start != d("2019-11-06") || tokyo.TimeKnown() || tokyo.EditionID != seventh.ID {
					t.Errorf("%s: the Tokyo meeting is %+v, want 6 November 2019 with no hours", when, tokyo)
				}
				if paris.Start != d("2020-09-22") || paris.StartTime != "16:00" || paris.EndTime != "17:30" || paris.WithinID != raict.ID {
					t.Errorf("%s: the Paris meeting is %+v, want 22 September 2020, 16:00–17:30, within the 11th RAICT", when, paris)
				}
			}
			check("after migrating up")
			if err := s.MigrateTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			check("after going down and up again")
		})
	}
}
