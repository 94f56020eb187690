package partners_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/partners"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// fixture is a small network where every reason's answer is known: Aix
// is twinned with Kumamoto, itself twinned with Arles, twinned with
// Kyoto. Yatsushiro lies 40 km south of Kumamoto and complements Aix's
// profile; Kyoto is a twin's twin's twin sharing a theme; a prefecture
// offers what Aix seeks; Uto has only weak reasons; Arles is French.
func fixture() (*partners.Authority, []*partners.Authority, map[int64]*partners.Authority, partners.Names) {
	name := func(fr, ja string) rencontres.Text { return rencontres.Text{"fr": fr, "ja": ja, "en": fr} }
	aix := &partners.Authority{ID: 1, Key: "fr-13001", Country: rencontres.France, Kind: rencontres.Commune, Name: name("Aix-en-Provence", "エクス＝アン＝プロヴァンス"),
		Population: 143000, Lat: 43.5283, Lng: 5.4497, Located: true,
		Seeks: []string{"tourism", "disaster_resilience"}, Offers: []string{"culture", "urban_transport"},
		SDGs: []int{7, 11}, Practices: 1, Editions: []int64{7}, Workshops: []string{"7/3"}, Twins: []int64{2}}
	kumamoto := &partners.Authority{ID: 2, Key: "jp-431001", Country: rencontres.Japan, Kind: rencontres.Municipality, Name: name("Kumamoto", "熊本市"),
		Population: 738000, Lat: 32.8031, Lng: 130.7079, Located: true, Seeks: []string{"culture"}, Twins: []int64{1, 10}}
	yatsushiro := &partners.Authority{ID: 3, Key: "jp-432024", Country: rencontres.Japan, Kind: rencontres.Municipality, Name: name("Yatsushiro", "八代市"),
		Population: 174000, Lat: 32.8031 - 40/111.195, Lng: 130.7079, Located: true,
		Seeks: []string{"culture"}, Offers: []string{"tourism"}, SDGs: []int{3, 11}, Practices: 2, Editions: []int64{7, 8}, Workshops: []string{"7/3"}}
	arles := &partners.Authority{ID: 10, Key: "fr-13004", Country: rencontres.France, Kind: rencontres.Commune, Name: name("Arles", "アルル"),
		Population: 51000, Twins: []int64{2, 20}, Seeks: []string{"tourism"}}
	kyoto := &partners.Authority{ID: 20, Key: "jp-261009", Country: rencontres.Japan, Kind: rencontres.Municipality, Name: name("Kyoto", "京都市"),
		Population: 1460000, Seeks: []string{"tourism"}, Twins: []int64{10}}
	pref := &partners.Authority{ID: 30, Key: "jp-430005", Country: rencontres.Japan, Kind: rencontres.Prefecture, Name: name("Kumamoto (préfecture)", "熊本県"),
		Offers: []string{"disaster_resilience"}}
	uto := &partners.Authority{ID: 40, Key: "jp-432113", Country: rencontres.Japan, Kind: rencontres.Municipality, Name: name("Uto", "宇土市"), Population: 150000}
	all := []*partners.Authority{kumamoto, yatsushiro, arles, kyoto, pref, uto}
	byID := map[int64]*partners.Authority{1: aix}
	for _, a := range all {
		byID[a.ID] = a
	}
	series := rencontres.Text{"fr": "Rencontres franco-japonaises", "ja": "日仏自治体交流会議", "en": "Franco-Japanese Meetings"}
	seventh := partners.Edition{Number: 7, Series: series}
	names := partners.Names{Editions: map[int64]partners.Edition{7: seventh, 8: {Number: 8, Series: series}},
		Workshops: map[string]partners.Workshop{"7/3": {Edition: seventh, Title: rencontres.Text{"fr": "Atelier environnement", "ja": "環境分科会", "en": "Environment workshop"}}}}
	return aix, all, byID, names
}

func TestRankOrderAndScores(t *testing.T) {
	aix, all, byID, names := fixture()
	got := partners.Rank(aix, all, byID, names, partners.DefaultWeights, 10)
	var keys []string
	for _, s := range got {
		keys = append(keys, fmt.Sprintf("%s %.2f", s.Org.Key, s.Score))
	}
	// Yatsushiro: 3+3 (complementary) + 2 (SDG 11) + 1 (edition 7) + 2
	// (workshop) + 1 (two practices) + 3×(1−40/100) (near Kumamoto) + 1
	// (same level) + 2×143/174 (size). Kyoto: 2 (twin's twin) + 2 (tourism)
	// + 1 (level). The prefecture: 3 (offers disaster resilience).
	want := []string{"jp-432024 16.44", "jp-261009 5.00", "jp-430005 3.00"}
	if strings.Join(keys, ", ") != strings.Join(want, ", ") {
		t.Fatalf("ranked %v, want %v (Kumamoto twinned, Arles French, Uto weak only)", keys, want)
	}
	if got := partners.Rank(aix, all, byID, names, partners.DefaultWeights, 2); len(got) != 2 {
		t.Errorf("limit 2 gave %d", len(got))
	}
}

// TestEachReasonInWords checks every kind of reason for the pair that has
// it, its arguments and its words in each language.
func TestEachReasonInWords(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	aix, all, byID, names := fixture()
	list := partners.Rank(aix, all, byID, names, partners.DefaultWeights, 10)
	words := map[rencontres.Lang]map[string]string{}
	weights := map[string]float64{}
	for _, l := range rencontres.Langs {
		words[l] = map[string]string{}
		for _, s := range list {
			for _, r := range s.Reasons {
				k := s.Org.Key + " " + r.Kind
				words[l][k] = partners.Say(cat.Printer(l), r)
				weights[k] = r.Weight
			}
		}
	}
	nb := "\u00a0"
	for _, c := range []struct {
		pair   string
		weight float64
		fr, ja string
		en     string
	}{
		{"jp-432024 offers_sought", 3, "elle offre ce que vous recherchez" + nb + ": Tourisme", "貴自治体が求めることを提供できます：観光", "offers what you seek: Tourism"},
		{"jp-432024 seeks_offered", 3, "elle recherche ce que vous offrez" + nb + ": Culture et patrimoine", "貴自治体が提供できることを求めています：文化・文化財", "seeks what you offer: Culture and heritage"},
		{"jp-432024 shared_sdg", 2, "les deux présentent des pratiques sur l’ODD" + nb + "11", "両者ともSDGsの目標11に関する事例を発表しています", "both present practices on SDG 11"},
		{"jp-432024 same_edition", 1, "les deux ont participé à la même édition" + nb + ": 7e Rencontres franco-japonaises", "両者とも同じ回に参加しています：第7回日仏自治体交流会議", "both took part in the same edition: 7th Franco-Japanese Meetings"},
		{"jp-432024 same_workshop", 2, "les deux ont présenté une pratique au même atelier" + nb + ": Atelier environnement (7e Rencontres franco-japonaises)", "両者とも同じ分科会で事例を発表しています：第7回日仏自治体交流会議の環境分科会", "both presented a practice at the same workshop: Environment workshop (7th Franco-Japanese Meetings)"},
		{"jp-432024 practices", 1, "elle a présenté 2" + nb + "bonnes pratiques", "優良事例を2件発表しています", "has presented 2 good practices"},
		{"jp-432024 near_twin", 1.8, "Kumamoto, jumelée avec Aix-en-Provence, est à 40" + nb + "km", "エクス＝アン＝プロヴァンスの提携先熊本市から40kmの距離にあります", "Kumamoto, twin of Aix-en-Provence, is 40 km away"},
		{"jp-432024 same_kind", 1, "collectivités de même niveau" + nb + ": Commune et Municipalité", "", ""},
		{"jp-432024 size", 1.64, "populations 143" + nb + "000 et 174" + nb + "000", "", "populations 143,000 and 174,000"},
		{"jp-261009 twins_twin", 2, "jumelée avec Arles, partenaire comme vous de Kumamoto", "貴自治体と同じく熊本市と提携するアルルの提携先です", "twinned with Arles, which like you is a partner of Kumamoto"},
		{"jp-261009 shared_theme", 2, "intérêts communs" + nb + ": Tourisme", "共通の関心：観光", "shared interests: Tourism"},
		{"jp-430005 offers_sought", 3, "elle offre ce que vous recherchez" + nb + ": Prévention des catastrophes et résilience", "貴自治体が求めることを提供できます：防災・減災", "offers what you seek: Disaster prevention and resilience"},
	} {
		if w, ok := weights[c.pair]; !ok || w != c.weight {
			t.Errorf("%s: weight %v (given: %v), want %v", c.pair, w, ok, c.weight)
		}
		for l, want := range map[rencontres.Lang]string{rencontres.French: c.fr, rencontres.Japanese: c.ja, rencontres.English: c.en} {
			if want != "" && words[l][c.pair] != want {
				t.Errorf("%s in %s: %q, want %q", c.pair, l, words[l][c.pair], want)
			}
		}
	}
	// Reasons no pair should have.
	for _, k := range []string{"jp-261009 size", "jp-430005 same_kind", "jp-432024 shared_theme", "jp-261009 near_twin"} {
		if _, ok := weights[k]; ok {
			t.Errorf("%s given: %q", k, words[rencontres.French][k])
		}
	}
	// Heaviest reason first.
	for _, s := range list {
		for i := 1; i < len(s.Reasons); i++ {
			if s.Reasons[i].Weight > s.Reasons[i-1].Weight {
				t.Errorf("%s: reasons out of order: %v", s.Org.Key, s.Reasons)
			}
		}
	}
}

// TestCatalogueHasEveryChoice checks that every theme, kind and language
// of the profile and every reason has its words in each language.
func TestCatalogueHasEveryChoice(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range rencontres.CooperationThemes {
		keys = append(keys, "coop_theme."+k)
	}
	for _, k := range rencontres.CooperationKinds {
		keys = append(keys, "coop_kind."+k)
	}
	for _, k := range rencontres.CooperationLanguages {
		keys = append(keys, "coop_language."+k)
	}
	for _, k := range []string{partners.SharedTheme, partners.OffersSought, partners.SeeksOffered, partners.SharedSDG, partners.SameKind, partners.Size,
		partners.Practices, partners.SameEdition, partners.SameWorkshop, partners.TwinsTwin, partners.NearTwin} {
		keys = append(keys, "suggestion."+k)
	}
	for _, l := range rencontres.Langs {
		p := cat.Printer(l)
		for _, k := range keys {
			if got := p.T(k, "Count", 2); got == k || got == "" {
				t.Errorf("%s: no %s", l, k)
			}
		}
	}
}
