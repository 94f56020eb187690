package letter_test

import (
	"regexp"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

var (
	baseFont = regexp.MustCompile(`/BaseFont /([^\s/]+)`)
	fontName = regexp.MustCompile(`/FontName /([^\s/]+)`)
	tagged   = regexp.MustCompile(`^[A-Z]{6}\+NotoSerifJP-(Regular|Bold)$`)
)

// names lists the font names a PDF declares, by the key that declares
// them.
func names(b []byte) map[string][]string {
	out := map[string][]string{}
	for key, re := range map[string]*regexp.Regexp{"BaseFont": baseFont, "FontName": fontName} {
		for _, m := range re.FindAllSubmatch(b, -1) {
			out[key] = append(out[key], string(m[1]))
		}
	}
	return out
}

// Embedded subsets are named as PDF/A checkers expect: six upper-case
// letters, « + », the PostScript name, the same in BaseFont and in the
// descriptor's FontName; the tag follows the subset, so another letter
// (other characters) gets another tag and the same letter the same one.
func TestSubsetFontNames(t *testing.T) {
	fr := writePDF(t, render(t, short(rencontres.French), seed001()))
	ja := writePDF(t, render(t, short(rencontres.Japanese), seed001()))
	again := writePDF(t, render(t, short(rencontres.French), seed001()))
	got := names(fr)
	for _, key := range []string{"BaseFont", "FontName"} {
		if len(got[key]) == 0 {
			t.Fatalf("no %s in the PDF", key)
		}
		for _, n := range got[key] {
			if !tagged.MatchString(n) {
				t.Errorf("%s /%s is not TAGxxx+PostScriptName", key, n)
			}
		}
	}
	set := func(ns []string) map[string]bool {
		m := map[string]bool{}
		for _, n := range ns {
			m[n] = true
		}
		return m
	}
	base, desc := set(got["BaseFont"]), set(got["FontName"])
	for n := range desc {
		if !base[n] {
			t.Errorf("FontName /%s is no font's BaseFont (%v)", n, got["BaseFont"])
		}
	}
	if len(desc) != 2 {
		t.Errorf("%d fonts described, want the regular and the bold: %v", len(desc), got["FontName"])
	}
	for n := range set(names(ja)["FontName"]) {
		if desc[n] {
			t.Errorf("the Japanese letter's subset has the French one's tag %s", n)
		}
	}
	for n := range set(names(again)["FontName"]) {
		if !desc[n] {
			t.Errorf("the same letter gave another tag: %s", n)
		}
	}
}
