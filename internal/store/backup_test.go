package store_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A backup taken while two hundred people register at once restores to a
// state that holds together: the registrations of some instant, seats and
// waiting lists in the order of submission, and a database that takes
// the next registration with a fresh id.
func TestBackupDuringRegistrationBurst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 150)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Register(ctx, f.person(i, f.workshop.ID), f.now, false); err != nil {
					errs <- err
				}
			}()
		}
		var buf bytes.Buffer
		time.Sleep(20 * time.Millisecond)
		stats, err := s.Backup(ctx, &buf, f.now)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if err != nil {
			t.Fatal(err)
		}
		into := fresh(t, s)
		got, err := into.Restore(ctx, bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != stats.Rows || got.Tables != stats.Tables {
			t.Errorf("restored %+v, backed up %+v", got, stats)
		}
		all, err := into.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID})
		if err != nil {
			t.Fatal(err)
		}
		n := len(all)
		t.Logf("%s: the backup holds %d of the 200 registrations", s.Dialect(), n)
		for i, r := range all {
			wantEvent, wantSession := rencontres.Confirmed, rencontres.Confirmed
			if i >= 150 {
				wantEvent = rencontres.Waitlisted
			}
			if i >= 30 {
				wantSession = rencontres.Waitlisted
			}
			if r.Status != wantEvent || r.Choices[0].Status != wantSession || i >= 150 && r.Position != i-149 || i >= 30 && r.Choices[0].Position != i-29 {
				t.Fatalf("restored registration %d: %s #%d, workshop %s #%d", i, r.Status, r.Position, r.Choices[0].Status, r.Choices[0].Position)
			}
		}
		counts, _ := into.SeatCounts(ctx, f.event.ID)
		if want := min(n, 30); counts.Sessions[f.workshop.ID].Confirmed != want {
			t.Errorf("restored workshop seats: %+v, want %d confirmed", counts.Sessions[f.workshop.ID], want)
		}
		// The restored database goes on: the next registration gets an id
		// of its own and the next place.
		if _, err := into.Register(ctx, f.person(500, f.workshop.ID), f.now, false); err != nil {
			t.Fatal(err)
		}
		after, _ := into.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID})
		if len(after) != n+1 || after[n].Email != "p500@example.org" {
			t.Errorf("after one more: %d registrations", len(after))
		}
	})
}

// fresh opens an empty database of the same kind as s, never migrated.
func fresh(t *testing.T, s *store.Store) *store.Store {
	t.Helper()
	url := "sqlite:" + filepath.Join(t.TempDir(), "restored.db")
	if s.Dialect() == "postgres" {
		url = storetest.NewPostgresDB(t)
	}
	into, err := store.Open(context.Background(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { into.Close() })
	return into
}

// SQLite → PostgreSQL → SQLite gives back every row of the demo, bytes
// (photos, documents) and all.
func TestCopyThereAndBack(t *testing.T) {
	ctx := context.Background()
	src := storetest.SQLite(t)
	if _, err := demo.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	pg, err := store.Open(ctx, storetest.NewPostgresDB(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	there, err := store.Copy(ctx, src, pg, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// The restored tables have the planner's statistics (autovacuum is
	// off on the test machines: nothing else gathers them).
	var unanalysed string
	if err := pg.DB().QueryRowContext(ctx, `SELECT COALESCE(string_agg(relname, ', ' ORDER BY relname), '') FROM pg_stat_user_tables
		WHERE relname IN ('registrations', 'registration_choices', 'organisations', 'delegations', 'partnerships')
		AND last_analyze IS NULL AND last_autoanalyze IS NULL`).Scan(&unanalysed); err != nil {
		t.Fatal(err)
	}
	if unanalysed != "" {
		t.Errorf("tables restored without statistics: %s", unanalysed)
	}
	back := fresh(t, src)
	again, err := store.Copy(ctx, pg, back, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if there.Rows < 1000 || again.Rows != there.Rows || again.Tables != there.Tables {
		t.Errorf("there %+v, back %+v", there, again)
	}
	a, b := tablesOf(t, src), tablesOf(t, back)
	if len(a) != there.Tables {
		t.Errorf("%d tables read, %d copied", len(a), there.Tables)
	}
	for name, rows := range a {
		if !slices.Equal(rows, b[name]) {
			t.Errorf("table %s: %d rows, %d after the round trip", name, len(rows), len(b[name]))
			for i := range min(len(rows), len(b[name])) {
				if rows[i] != b[name][i] {
					t.Errorf("first difference:\n%s\n%s", rows[i], b[name][i])
					break
				}
			}
		}
	}
	withBytes := 0
	for _, rows := range a {
		for _, r := range rows {
			if strings.Contains(r, `{"b":"`) {
				withBytes++
			}
		}
	}
	if withBytes == 0 {
		t.Error("no row of the demo holds bytes: photos and documents are not tested")
	}
}

// tablesOf reads a store's backup back: each table's rows, sorted.
func tablesOf(t *testing.T, s *store.Store) map[string][]string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.Backup(context.Background(), &buf, time.Now()); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	var table string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	sc.Scan() // the header
	for sc.Scan() {
		var l struct {
			Table string          `json:"table"`
			Row   json.RawMessage `json:"r"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		switch {
		case l.Table != "":
			table = l.Table
			out[table] = []string{}
		case l.Row != nil:
			out[table] = append(out[table], string(l.Row))
		}
	}
	for _, rows := range out {
		slices.Sort(rows)
	}
	return out
}

// A file cut short, of another product, of a newer schema, or a database
// that is not empty: refused with a message, nothing restored.
func TestRestoreRefuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := s.Backup(ctx, &buf, time.Now()); err != nil {
			t.Fatal(err)
		}
		good := buf.Bytes()
		gz := func(text string) []byte {
			var b bytes.Buffer
			w := gzip.NewWriter(&b)
			w.Write([]byte(text))
			w.Close()
			return b.Bytes()
		}
		for _, c := range []struct {
			name string
			file []byte
			want string
		}{
			{"cut short", good[:len(good)/2], "cut short"},
			{"plain text", []byte("id;name\n1;Lyon\n"), "not gzip-compressed"},
			{"another product", gz(`{"product":"pretix","format":1}` + "\n"), "not a Rencontres backup"},
			{"newer schema", gz(`{"product":"rencontres","format":1,"schema":99999}` + "\n"), "newer than this release"},
			{"no end line", gz(`{"product":"rencontres","format":1,"schema":1}` + "\n"), "cut short"},
		} {
			into := fresh(t, s)
			_, err := into.Restore(ctx, bytes.NewReader(c.file))
			var be *store.ErrBackup
			if !errors.As(err, &be) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want %q", c.name, err, c.want)
			}
			if n := countRows(t, into, "organisations"); n != 0 {
				t.Errorf("%s: %d organisations restored", c.name, n)
			}
		}
		_, err := s.Restore(ctx, bytes.NewReader(good))
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("restore into the demo's own database: %v", err)
		}
	})
}

func countRows(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	// A database whose restore failed before its schema was made has no
	// table: none restored.
	if err := s.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil && !strings.Contains(err.Error(), "no such table") && !strings.Contains(err.Error(), "does not exist") {
		t.Fatal(err)
	}
	return n
}

// A backup of an older release restores into this one: the schema is
// made at the backup's version, the rows written, then the migrations
// run forward.
func TestRestoreAnOlderBackup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		old := fresh(t, s)
		if err := old.MigrateTo(ctx, 20); err != nil {
			t.Fatal(err)
		}
		if _, err := old.DB().Exec(`INSERT INTO organisations (key, kind, country, name, sort_name)
			VALUES ('fr-13001', 'commune', 'FR', '{"fr":"Aix-en-Provence"}', 'aix-en-provence')`); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := old.Backup(ctx, &buf, time.Now()); err != nil {
			t.Fatal(err)
		}
		into := fresh(t, s)
		st, err := into.Restore(ctx, &buf)
		if err != nil {
			t.Fatal(err)
		}
		current, latest, _ := into.SchemaVersion(ctx)
		if st.Schema != 20 || current != latest {
			t.Errorf("restored a schema %d backup to version %d (latest %d)", st.Schema, current, latest)
		}
		org, err := into.Organisation(ctx, "fr-13001")
		if err != nil || org.Name["fr"] != "Aix-en-Provence" {
			t.Errorf("the old backup's authority: %+v %v", org, err)
		}
	})
}

// An installation of the first release upgrades to this one: the
// migrations run forward from schema 1 with its data, which stays
// readable, and the upgraded database takes the whole demo.
func TestUpgradeFromTheFirstSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		db := fresh(t, s)
		if err := db.MigrateTo(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DB().Exec(`INSERT INTO organisations (key, kind, country, name, sort_name)
			VALUES ('jp-431001', 'municipality', 'JP', '{"fr":"Kumamoto","ja":"熊本市"}', 'kumamoto')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		org, err := db.Organisation(ctx, "jp-431001")
		if err != nil || org.Name["ja"] != "熊本市" {
			t.Fatalf("the first release's authority: %+v %v", org, err)
		}
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatalf("the demo on the upgraded database: %v", err)
		}
	})
}
