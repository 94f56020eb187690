package refdata

import (
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

func TestNameKey(t *testing.T) {
	// Each pair is written two ways by GeoNames and by PlaceRomaji.
	for _, tc := range []struct{ geonames, romaji string }{
		{"Oshamambe", "Oshamanbe"},
		{"Ōtsu", "Otsu"},
		{"Hachiōji Shi", "Hachioji"},
		{"Chūō Ku", "Chuo"},
		{"Nishitōkyō-shi", "Nishitokyo"},
		{"Minato City", "Minato"},
		{"Shin’ichi", "Shinichi"},
	} {
		g, _ := cutAdminSuffix(rencontres.FoldSearch(tc.geonames))
		if got, want := nameKey(g), nameKey(rencontres.FoldSearch(tc.romaji)); got != want {
			t.Errorf("nameKey(%q) = %q, want %q as for %q", tc.geonames, got, want, tc.romaji)
		}
	}
}

func TestCutAdminSuffix(t *testing.T) {
	for _, tc := range []struct {
		in, want     string
		municipality bool
	}{
		{"tottori shi", "tottori", true},
		{"kita ku", "kita", true},
		{"yamakoshi gun", "yamakoshi", false},
		{"oshima shicho", "oshima", false},
		{"kumamoto", "kumamoto", true},
		{"minami aoyama", "minami aoyama", true},
	} {
		got, m := cutAdminSuffix(tc.in)
		if got != tc.want || m != tc.municipality {
			t.Errorf("cutAdminSuffix(%q) = %q, %v, want %q, %v", tc.in, got, m, tc.want, tc.municipality)
		}
	}
}
