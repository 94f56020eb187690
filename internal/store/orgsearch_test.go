package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/refdata"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// searchFixture is a small directory shaped like the reference data: the
// names, kana and kinds the real packages give.
func searchFixture() []*rencontres.Organisation {
	jp := func(code string, kind rencontres.OrgKind, parent, romaji, ja, kana string) *rencontres.Organisation {
		o := &rencontres.Organisation{Key: "jp-" + code, Kind: kind, Country: rencontres.Japan, Code: code,
			Name: rencontres.Text{"fr": romaji, "en": romaji, "ja": ja}, Kana: kana}
		if parent != "" {
			o.ParentKey = "jp-" + parent
		}
		return o
	}
	fr := func(code string, kind rencontres.OrgKind, name string, pop int64) *rencontres.Organisation {
		return &rencontres.Organisation{Key: "fr-" + code, Kind: kind, Country: rencontres.France, Code: code,
			Name: rencontres.Text{"fr": name, "en": name}, Population: pop}
	}
	return []*rencontres.Organisation{
		jp("130001", rencontres.Prefecture, "", "Tokyo", "東京都", "とうきょうと"),
		jp("260002", rencontres.Prefecture, "", "Kyoto", "京都府", "きょうとふ"),
		jp("261009", rencontres.Municipality, "260002", "Kyoto", "京都市", "きょうとし"),
		jp("430005", rencontres.Prefecture, "", "Kumamoto", "熊本県", "くまもとけん"),
		jp("431001", rencontres.Municipality, "430005", "Kumamoto", "熊本市", "くまもとし"),
		jp("220001", rencontres.Prefecture, "", "Shizuoka", "静岡県", "しずおかけん"),
		jp("221007", rencontres.Municipality, "220001", "Shizuoka", "静岡市", "しずおかし"),
		jp("142077", rencontres.Municipality, "", "Chigasaki", "茅ヶ崎市", "ちがさきし"),
		jp("023213", rencontres.Municipality, "", "Ajigasawa", "鰺ヶ沢町", "あじがさわまち"),
		jp("122033", rencontres.Municipality, "", "Ichikawa", "市川市", "いちかわし"),
		fr("13001", rencontres.Commune, "Aix-en-Provence", 143097),
		fr("73008", rencontres.Commune, "Aix-les-Bains", 31811),
		fr("38328", rencontres.Commune, "Quaix-en-Chartreuse", 931),
		fr("76351", rencontres.Commune, "Le Havre", 166462),
		fr("epci-200084952", rencontres.EPCI, "CU Le Havre Seine Métropole", 268000),
		fr("56201", rencontres.Commune, "Le Saint", 600),
		fr("42218", rencontres.Commune, "Saint-Étienne", 173089),
		fr("93066", rencontres.Commune, "Saint-Denis", 113942),
		fr("35288", rencontres.Commune, "Saint-Malo", 47255),
		fr("54395", rencontres.Commune, "Nancy", 104403),
	}
}

// searchCase is a query and the keys it must give, in that order: the
// first keys of the answer when prefix is set.
type searchCase struct {
	q      string
	want   []string
	prefix bool
}

func checkSearch(t *testing.T, s *store.Store, cases []searchCase) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range cases {
		orgs, total, err := s.Organisations(ctx, rencontres.OrgFilter{Query: tc.q, Limit: 10})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var got []string
		for _, o := range orgs {
			got = append(got, o.Key)
		}
		if tc.prefix && len(got) > len(tc.want) {
			got = got[:len(tc.want)]
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("search %q = %v, want %v", tc.q, got, tc.want)
		}
		if !tc.prefix && total != len(tc.want) {
			t.Errorf("search %q: total %d, want %d", tc.q, total, len(tc.want))
		}
		if tc.prefix && total < len(tc.want) {
			t.Errorf("search %q: total %d, want at least %d", tc.q, total, len(tc.want))
		}
	}
}

// The exact name first, then names starting with the query, then words
// starting with it, then (in kanji and kana) names containing it; towns
// before larger areas of the same name; the suffixes, articles, hyphens,
// accents, widths and kana of every script folded.
func TestSearchRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, _, err := s.UpsertOrganisations(context.Background(), searchFixture()); err != nil {
			t.Fatal(err)
		}
		checkSearch(t, s, []searchCase{
			{q: "京都", want: []string{"jp-261009", "jp-260002", "jp-130001"}},
			{q: "熊本", want: []string{"jp-431001", "jp-430005"}},
			{q: "くまもと", want: []string{"jp-431001", "jp-430005"}},
			{q: "クマモト", want: []string{"jp-431001", "jp-430005"}},
			{q: "ｸﾏﾓﾄｼ", want: []string{"jp-431001"}},
			{q: "Kumamoto-shi", want: []string{"jp-431001"}},
			{q: "kumamotoshi", want: []string{"jp-431001"}},
			{q: "Shizuoka-ken", want: []string{"jp-220001"}},
			{q: "shizuoka shi", want: []string{"jp-221007"}},
			{q: "静岡県", want: []string{"jp-220001"}},
			{q: "しずおかけん", want: []string{"jp-220001"}},
			{q: "Ｓｈｉｚｕｏｋａ", want: []string{"jp-221007", "jp-220001"}},
			{q: "Aix en Provence", want: []string{"fr-13001"}},
			{q: "aix-en-provence", want: []string{"fr-13001"}},
			{q: "Ville d’Aix-en-Provence", want: []string{"fr-13001"}},
			{q: "AIX", want: []string{"fr-13001", "fr-73008"}},
			{q: "Havre", want: []string{"fr-76351", "fr-epci-200084952"}},
			{q: "Le Havre", want: []string{"fr-76351", "fr-epci-200084952"}},
			{q: "Ville du Havre", want: []string{"fr-76351", "fr-epci-200084952"}},
			{q: "saint", want: []string{"fr-56201", "fr-42218", "fr-93066", "fr-35288"}},
			{q: "saint e", want: []string{"fr-42218"}},
			{q: "St Etienne", want: nil},
			{q: "saint-etienne", want: []string{"fr-42218"}},
			{q: "Saint Étienne", want: []string{"fr-42218"}},
			{q: "ヶ", want: []string{"jp-142077", "jp-023213"}},
			{q: "ケ", want: []string{"jp-430005", "jp-220001"}}, // けん, not the small ヶ of place names
			{q: "市", want: []string{"jp-122033", "jp-261009", "jp-431001", "jp-221007", "jp-142077"}},
			{q: "13001", want: []string{"fr-13001"}},
			{q: "ku%to", want: nil},
			{q: "nowhere", want: nil},
		})
	})
}

// Every path that writes an organisation keeps its terms: a rename is
// found by its new name and no longer by the old one.
func TestSearchFollowsRenames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, searchFixture()); err != nil {
			t.Fatal(err)
		}
		renamed := &rencontres.Organisation{Key: "fr-54395", Kind: rencontres.Commune, Country: rencontres.France,
			Code: "54395", Name: rencontres.Text{"fr": "Nancy-la-Ducale", "en": "Nancy-la-Ducale", "ja": "ナンシー"}}
		if _, _, err := s.UpsertOrganisations(ctx, []*rencontres.Organisation{renamed}); err != nil {
			t.Fatal(err)
		}
		checkSearch(t, s, []searchCase{
			{q: "ducale", want: []string{"fr-54395"}},
			{q: "なんしー", want: []string{"fr-54395"}},
			{q: "nancy", want: []string{"fr-54395"}},
			{q: "nancy la ducale", want: []string{"fr-54395"}},
			{q: "nancy ville", want: nil},
		})
		// The same import again rewrites nothing and finds the same.
		if _, _, err := s.UpsertOrganisations(ctx, searchFixture()[:3]); err != nil {
			t.Fatal(err)
		}
		checkSearch(t, s, []searchCase{{q: "京都", want: []string{"jp-261009", "jp-260002", "jp-130001"}}})
	})
}

// Pages of a broad query follow each other without gaps or repeats, each
// with the count of every match, and filters apply before the count.
func TestSearchPagesAndFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, searchFixture()); err != nil {
			t.Fatal(err)
		}
		all, total, err := s.Organisations(ctx, rencontres.OrgFilter{Query: "市"})
		if err != nil || total != 5 || len(all) != 5 {
			t.Fatalf("search 市 = %d of %d, %v; want 5", len(all), total, err)
		}
		var paged []string
		for off := 0; off < 7; off += 2 {
			page, n, err := s.Organisations(ctx, rencontres.OrgFilter{Query: "市", Limit: 2, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			if n != 5 {
				t.Errorf("page at %d: total %d, want 5", off, n)
			}
			for _, o := range page {
				paged = append(paged, o.Key)
			}
		}
		var want []string
		for _, o := range all {
			want = append(want, o.Key)
		}
		if strings.Join(paged, " ") != strings.Join(want, " ") {
			t.Errorf("pages of 市 = %v, want %v", paged, want)
		}
		got, n, err := s.Organisations(ctx, rencontres.OrgFilter{Query: "kyoto", Kind: rencontres.Prefecture})
		if err != nil || n != 1 || len(got) != 1 || got[0].Key != "jp-260002" {
			t.Errorf("kyoto among prefectures = %v (%d), %v; want jp-260002", got, n, err)
		}
		got, n, err = s.Organisations(ctx, rencontres.OrgFilter{Query: "saint", Country: rencontres.Japan})
		if err != nil || n != 0 || len(got) != 0 {
			t.Errorf("saint in Japan = %v (%d), %v; want nothing", got, n, err)
		}
	})
}

// realDirectory imports the reference data into s, or skips the test when
// the packages are missing (failing instead when RENCONTRES_REQUIRE_REFDATA
// is 1), as internal/refdata's real-data test does.
func realDirectory(tb testing.TB, s *store.Store) {
	tb.Helper()
	dir := filepath.Join("..", "..", "node_modules")
	if err := refdata.CheckPackages(dir); err != nil {
		if os.Getenv("RENCONTRES_REQUIRE_REFDATA") == "1" {
			tb.Fatal(err)
		}
		tb.Skipf("%v (set RENCONTRES_REQUIRE_REFDATA=1 to fail instead)", err)
	}
	if testing.Short() && os.Getenv("RENCONTRES_REQUIRE_REFDATA") != "1" {
		tb.Skip("the real import takes seconds; skipped in short mode")
	}
	if _, err := refdata.Import(context.Background(), s, dir, nil); err != nil {
		tb.Fatal(err)
	}
}

// The same order on the 38,000 organisations of the reference data, where
// one-character queries match hundreds.
func TestSearchRealDirectory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		realDirectory(t, s)
		checkSearch(t, s, []searchCase{
			{q: "京都", want: []string{"jp-261009", "jp-260002", "jp-130001"}},
			{q: "熊本", want: []string{"jp-431001", "jp-430005"}},
			{q: "くまもと", want: []string{"jp-431001", "jp-430005"}},
			{q: "Aix en Provence", want: []string{"fr-13001"}},
			{q: "aix", want: []string{"fr-19002", "fr-13001", "fr-73008"}, prefix: true},
			{q: "saint", want: []string{"fr-56201", "fr-42218", "fr-97411", "fr-93066"}, prefix: true},
			{q: "Havre", want: []string{"fr-76351", "fr-epci-200084952"}},
			{q: "shizuoka shi", want: []string{"jp-221007"}},
			{q: "Shizuoka-ken", want: []string{"jp-220001"}},
			{q: "静岡", want: []string{"jp-221007", "jp-220001"}},
			{q: "ヶ", want: []string{"jp-023078", "jp-023213", "jp-024112"}, prefix: true},
			{q: "市", want: []string{"jp-093441", "jp-122033", "jp-122190"}, prefix: true},
		})
		ctx := context.Background()
		for _, q := range []string{"ヶ", "市", "s", "a"} {
			start := time.Now()
			_, total, err := s.Organisations(ctx, rencontres.OrgFilter{Query: q, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d matches in %s", q, total, time.Since(start))
		}
	})
}

// BenchmarkSearch times the search query alone on the reference data, on
// SQLite and, with RENCONTRES_TEST_POSTGRES set, on PostgreSQL:
//
//	go test -run x -bench Search -benchtime 300x ./internal/store/
func BenchmarkSearch(b *testing.B) {
	for _, db := range benchDatabases() {
		s := db.open(b)
		realDirectory(b, s)
		// As `rencontres import` does: without it, PostgreSQL reads every
		// term's row from the table instead of answering from the index.
		if err := s.Optimize(context.Background()); err != nil {
			b.Fatal(err)
		}
		for _, q := range []string{"熊本", "静岡", "くまもと", "Aix", "saint", "ヶ", "市", "京都", "s"} {
			b.Run(db.name+"/"+q, func(b *testing.B) {
				for b.Loop() {
					if _, _, err := s.Organisations(context.Background(), rencontres.OrgFilter{Query: q, Limit: 20}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
