package refdata_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/refdata"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// requireEnv names the variable that makes TestImportRealData fail, rather
// than skip, when the npm packages are not installed: CI sets it after
// `make refdata`.
const requireEnv = "RENCONTRES_REQUIRE_REFDATA"

// TestImportRealData imports the packages installed by `make refdata`. It
// runs on SQLite, and on PostgreSQL too when RENCONTRES_TEST_POSTGRES is
// set.
func TestImportRealData(t *testing.T) {
	dir := filepath.Join("..", "..", "node_modules")
	if err := refdata.CheckPackages(dir); err != nil {
		if os.Getenv(requireEnv) == "1" {
			t.Fatal(err)
		}
		t.Skipf("%v (set %s=1 to fail instead)", err, requireEnv)
	}
	if testing.Short() && os.Getenv(requireEnv) != "1" {
		t.Skip("the real import takes seconds; skipped in short mode")
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var log strings.Builder
		start := time.Now()
		r, err := refdata.Import(ctx, s, dir, &log)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("first import in %s:\n%s%s", time.Since(start).Round(time.Millisecond), &log, r)
		for _, tc := range []struct {
			kind rencontres.OrgKind
			n    int
		}{
			{rencontres.Region, 26},
			{rencontres.Departement, 109},
			{rencontres.Commune, 34969},
			{rencontres.EPCI, 1255},
			{rencontres.Prefecture, 47},
			{rencontres.Municipality, 1724},
			{rencontres.SpecialWard, 23},
			{rencontres.Ward, 175},
		} {
			if got, want := r.Kinds[tc.kind], tc.n; got != want {
				t.Errorf("imported %d of kind %s, want %d", got, tc.kind, want)
			}
		}
		if got, want := r.Created, r.Total(); got != want {
			t.Errorf("created %d, want %d", got, want)
		}

		city, err := s.Organisation(ctx, "jp-431001")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := city.Kana, "くまもとし"; got != want {
			t.Errorf("Kumamoto's kana = %q, want %q", got, want)
		}
		if got, want := city.Name[rencontres.French], "Kumamoto"; got != want {
			t.Errorf("Kumamoto's romaji = %q, want %q", got, want)
		}
		if got, want := city.ParentKey, "jp-430005"; got != want {
			t.Errorf("Kumamoto's parent = %q, want %q", got, want)
		}
		if city.Lat == nil {
			t.Error("Kumamoto has no position")
		}
		for _, tc := range []struct{ q, key string }{
			{"熊本", "jp-431001"},
			{"くまもと", "jp-431001"},
			{"Kumamoto", "jp-431001"},
			{"Aix-en-Provence", "fr-13001"},
			{"新宿", "jp-131041"},
		} {
			orgs, _, err := s.Organisations(ctx, rencontres.OrgFilter{Query: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(orgs, func(o *rencontres.Organisation) bool { return o.Key == tc.key }) {
				t.Errorf("search %q does not find %s", tc.q, tc.key)
			}
		}

		start = time.Now()
		r, err = refdata.Import(ctx, s, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("second import in %s", time.Since(start).Round(time.Millisecond))
		if r.Created != 0 || r.Updated != r.Total() {
			t.Errorf("second import: created %d, updated %d, want 0 and %d", r.Created, r.Updated, r.Total())
		}
	})
}
