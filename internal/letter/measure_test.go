package letter_test

import (
	"strings"
	"testing"
)

// Other documents break lines as letters do: within the width, between
// words, never before a colon; Fits tells a word wider than a line.
func TestWrapForOtherDocuments(t *testing.T) {
	f, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	text := "Conseillère municipale déléguée aux relations internationales : coopération décentralisée"
	words := map[string]bool{}
	for _, w := range strings.Fields(text) {
		words[w] = true
	}
	for _, width := range []float64{110, 160, 220} {
		lines := f.Wrap(text, false, 12, width)
		if len(lines) < 2 {
			t.Errorf("width %v: %q is not broken", width, lines)
		}
		for _, l := range lines {
			if w := f.Width(l, false, 12); w > width {
				t.Errorf("width %v: %q is %.1f wide", width, l, w)
			}
			if strings.HasPrefix(l, ":") {
				t.Errorf("width %v: %q starts with a colon", width, l)
			}
			for _, w := range strings.Fields(l) {
				if !words[w] {
					t.Errorf("width %v: %q cuts a word: %q", width, l, w)
				}
			}
		}
		if !f.Fits(text, false, 12, width) {
			t.Errorf("width %v: Fits says a word is wider than a line", width)
		}
	}
	if f.Fits("anticonstitutionnellement", true, 12, 60) {
		t.Error("Fits says a word wider than a line fits")
	}
	if got := f.Wrap("日第8回日仏自治体交流会議", false, 12, 40); strings.HasSuffix(got[0], "8") || strings.HasSuffix(got[0], "第") {
		t.Errorf("a number is parted from its counter: %q", got)
	}
}
