package letter

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strings"

	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/signintech/gopdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Fonts are the regular and bold faces letters are set in, parsed once
// and shared by every PDF written with them (reading a CJK font takes far
// longer than setting a letter); each PDF embeds only the glyphs it uses.
// Safe for concurrent use.
type Fonts struct {
	faces [2]*face // regular, bold
}

// face is one parsed font and its kerning pairs.
type face struct {
	family string
	// psName is the font's PostScript name (NotoSerifJP-Regular), which
	// names its subsets in a PDF.
	psName string
	font   *ttf
	// kern holds the GPOS kerning of Latin pairs, in font units, keyed by
	// the two characters. gopdf reads only the old 'kern' table, which
	// the Noto fonts do not have; golang.org/x/image reads GPOS.
	kern map[[2]rune]int16
	// latin is kern for pairs of characters below latinEnd, as an array:
	// it is looked up for every pair of letters set and measured.
	latin []int16
	// advance is each character's advance width in thousandths of an em,
	// as gopdf computes it, so that text is measured without a PDF, a
	// lock or a cache; -1 for a character the font lacks. Beyond the
	// Basic Multilingual Plane, in advanceSIP.
	advance    []int32
	advanceSIP map[rune]int32
}

const latinEnd = 0x180

func (fc *face) kernPair(a, b rune) int16 {
	if a < latinEnd && b < latinEnd && a >= 0 && b >= 0 {
		return fc.latin[a*latinEnd+b]
	}
	return fc.kern[[2]rune{a, b}]
}

func (fc *face) advanceOf(r rune) (int32, bool) {
	if r >= 0 && r < rune(len(fc.advance)) {
		a := fc.advance[r]
		return a, a >= 0
	}
	a, ok := fc.advanceSIP[r]
	return a, ok
}

// FindFonts loads the letters' font, Noto Serif JP, from node_modules (see
// package fonts).
func FindFonts() (*Fonts, error) {
	files, err := fonts.Find(fonts.SerifJP)
	if err != nil {
		return nil, err
	}
	return LoadFonts(files)
}

// LoadFonts parses a regular and a bold TrueType face.
func LoadFonts(files fonts.Files) (*Fonts, error) {
	f := &Fonts{}
	for i, path := range []string{files.Regular, files.Bold} {
		fc, err := loadFace([]string{"regular", "bold"}[i], path)
		if err != nil {
			return nil, err
		}
		f.faces[i] = fc
	}
	return f, nil
}

func loadFace(family, path string) (*face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("letter: font: %w", err)
	}
	fc := &face{family: family}
	if fc.font, err = parseTTF(data); err != nil {
		return nil, fmt.Errorf("letter: font %s: %w", path, err)
	}
	fc.psName = postScriptName(fc.font.font, family)
	fc.kern = latinKerning(fc.font.font)
	fc.latin = make([]int16, latinEnd*latinEnd)
	for p, k := range fc.kern {
		if p[0] < latinEnd && p[1] < latinEnd {
			fc.latin[p[0]*latinEnd+p[1]] = k
		}
	}
	fc.advance = make([]int32, 0x10000)
	for i := range fc.advance {
		fc.advance[i] = -1
	}
	fc.advanceSIP = map[rune]int32{}
	for r, a := range fc.font.advances() {
		if r < 0x10000 {
			fc.advance[r] = a
		} else {
			fc.advanceSIP[r] = a
		}
	}
	return fc, nil
}

// postScriptName is a font's PostScript name from its name table, reduced
// to the characters a PDF name may hold without escapes; the family
// (regular, bold) when the font has none.
func postScriptName(f *sfnt.Font, family string) string {
	var buf sfnt.Buffer
	name, _ := f.Name(&buf, sfnt.NameIDPostScript)
	name = strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f && !strings.ContainsRune("[](){}<>/%#", r) {
			return r
		}
		return -1
	}, name)
	if name == "" {
		return family
	}
	return name
}

// width measures a text in thousandths of an em, exactly as gopdf will set
// it: advances and kerning, each rounded to a thousandth. A character the
// font lacks is drawn as a space.
func (fc *face) width(text string) int {
	upem := fc.font.unitsPerEm
	w := 0
	var prev rune
	for i, r := range text {
		a, ok := fc.advanceOf(r)
		if !ok {
			a = fc.advance[' ']
		}
		w += int(a)
		if i > 0 {
			w += thousandths(int(fc.kernPair(prev, r)), upem)
		}
		prev = r
	}
	return w
}

// thousandths converts font units to thousandths of an em as gopdf does.
func thousandths(n, upem int) int {
	if n < 0 {
		return -((-1000 * n) / upem)
	}
	return (n/upem)*1000 + ((n%upem)*1000)/upem
}

// kernedRunes are the characters kerned: Latin letters, digits and the
// punctuation of French and English text. Japanese is set solid, as it is
// meant to be.
func kernedRunes() []rune {
	var rs []rune
	for r := rune(0x20); r <= 0x17f; r++ {
		rs = append(rs, r)
	}
	return append(rs, '’', '‘', '“', '”', '–', '—', '…', '«', '»')
}

// latinKerning reads the font's GPOS kerning for every pair of kerned
// characters, once, so that setting text needs no lock and no parsing.
func latinKerning(f *sfnt.Font) map[[2]rune]int16 {
	var buf sfnt.Buffer
	ppem := fixed.I(int(f.UnitsPerEm())) // values come back in font units
	glyphs := map[rune]sfnt.GlyphIndex{}
	for _, r := range kernedRunes() {
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			glyphs[r] = g
		}
	}
	pairs := map[[2]rune]int16{}
	for a, ga := range glyphs {
		for b, gb := range glyphs {
			k, err := f.Kern(&buf, ga, gb, ppem, font.HintingNone)
			if err == nil && k != 0 {
				pairs[[2]rune{a, b}] = int16(k.Round())
			}
		}
	}
	return pairs
}

// addTo gives a PDF the face, cut to the characters it will set, with its
// kerning, and returns the name the PDF knows it by: the subset's tag and
// the font's PostScript name (see subsetName).
func (fc *face) addTo(pdf *gopdf.GoPdf, runes []rune) (string, error) {
	data, err := fc.font.subset(runes)
	if err != nil {
		return "", err
	}
	name := subsetName(data, fc.psName)
	if err := pdf.AddTTFFontDataWithOption(name, data, gopdf.TtfOption{UseKerning: true}); err != nil {
		return "", err
	}
	return name, pdf.KernOverride(name, func(left, right rune, _, _ uint, _ int16) int16 {
		return fc.kernPair(left, right)
	})
}

// subsetName is an embedded subset's font name as PDF requires (ISO
// 32000-1, 9.6.4) and PDF/A checkers verify: a tag of six upper-case
// letters, then « + », then the PostScript name (ABCDEF+NotoSerifJP-Regular).
// gopdf writes the name it is given as both the font's BaseFont and its
// descriptor's FontName. The tag is derived from the subset's bytes, so
// that two different subsets of a font in one file differ, and the same
// letters give the same file.
func subsetName(data []byte, postScript string) string {
	sum := sha256.Sum256(data)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag) + "+" + postScript
}
