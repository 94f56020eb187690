package letter

import (
	"slices"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// A subset keeps exactly the glyphs asked for, with their outlines
// (composite glyphs' parts renumbered) and advances, and a character map
// for each, supplementary planes included.
func TestSubset(t *testing.T) {
	f, err := testFonts()
	if err != nil {
		t.Fatal(err)
	}
	orig := f.faces[0].font
	runes := []rune("Aé8«»’あ漢様拝啓〜　\U00020B9F")
	data, err := orig.subset(runes)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := sfnt.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if n := sub.NumGlyphs(); n > 3*len(runes) || n >= orig.numGlyphs {
		t.Errorf("%d glyphs for %d characters", n, len(runes))
	}
	var b1, b2 sfnt.Buffer
	ppem := fixed.I(1000)
	for _, r := range runes {
		g1, err := orig.font.GlyphIndex(&b1, r)
		if err != nil || g1 == 0 {
			continue // the font lacks it
		}
		g2, err := sub.GlyphIndex(&b2, r)
		if err != nil || g2 == 0 {
			t.Errorf("%q: not in the subset (%v)", r, err)
			continue
		}
		a1, _ := orig.font.GlyphAdvance(&b1, g1, ppem, font.HintingNone)
		a2, _ := sub.GlyphAdvance(&b2, g2, ppem, font.HintingNone)
		if a1 != a2 {
			t.Errorf("%q: advance %v, want %v", r, a2, a1)
		}
		s1, err1 := orig.font.LoadGlyph(&b1, g1, ppem, nil)
		s2, err2 := sub.LoadGlyph(&b2, g2, ppem, nil)
		if err1 != nil || err2 != nil || !slices.Equal(s1, s2) {
			t.Errorf("%q: outline differs (%v, %v)", r, err1, err2)
		}
	}
	if g, _ := sub.GlyphIndex(&b2, 'Z'); g != 0 {
		t.Errorf("Z was not asked for but is in the subset")
	}
}

// The parts of a composite glyph are found whatever their arguments and
// transforms (the letters' font has none, other fonts do).
func TestComponents(t *testing.T) {
	glyph := []byte{
		0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, // numberOfContours -1, bounding box
		0x00, 0x21, 0x00, 0x05, 0, 1, 0, 2, // words, more components; glyph 5
		0x00, 0x08, 0x00, 0x07, 1, 2, 0x40, 0x00, // bytes, a scale; glyph 7
	}
	var got []int
	components(glyph, func(at int) { got = append(got, int(glyph[at])<<8|int(glyph[at+1])) })
	if want := []int{5, 7}; !slices.Equal(got, want) {
		t.Errorf("components %v, want %v", got, want)
	}
	components([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5}, func(int) { t.Error("a simple glyph has no components") })
}
