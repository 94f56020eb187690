package contactimport

import (
	"testing"
	"unicode/utf8"
)

// FuzzMatchName checks that any name, however odd, is matched without a
// fault, that what it finds is the same whatever the case and surrounding
// spaces, and that the fold is stable. The seed corpus is in
// testdata/fuzz/FuzzMatchName and runs under `make test`.
func FuzzMatchName(f *testing.F) {
	for _, s := range []string{"Ville d'Aix-en-Provence", "熊本市", "くまもとし", "Kumamoto-shi", "京都", "d", "市", ""} {
		f.Add(s)
	}
	x := NewIndex(directory())
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) {
			return
		}
		got := keys(x.ByName(name))
		if again := keys(x.ByName("  " + name + "\t")); again != got {
			t.Fatalf("ByName(%q) = %q, with spaces %q", name, got, again)
		}
		folded := FoldName(name)
		if FoldName(folded) != folded {
			t.Fatalf("FoldName not stable on %q: %q then %q", name, folded, FoldName(folded))
		}
		core, _ := Strip(folded)
		if len(core) > len(folded) {
			t.Fatalf("Strip(%q) grew to %q", folded, core)
		}
	})
}
