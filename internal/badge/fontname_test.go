package badge_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/rencontres/rencontres/internal/badge"
)

// Badges' embedded fonts carry a subset tag, as PDF/A checkers expect:
// six upper-case letters, « + », the PostScript name, in BaseFont and in
// the descriptor's FontName.
func TestBadgeFontNames(t *testing.T) {
	faces, err := badge.FindFonts()
	if err != nil {
		t.Skip(err)
	}
	var buf bytes.Buffer
	if err := badge.Write(&buf, faces, badge.A6, []badge.Badge{{Name: "森 健二", Latin: "Kenji MORI", Event: "第9回日仏自治体交流会議", Code: "7KQ2M9XW4P"}}); err != nil {
		t.Fatal(err)
	}
	tagged := regexp.MustCompile(`^[A-Z]{6}\+NotoSansJP-(Regular|Bold)$`)
	for _, key := range []string{"BaseFont", "FontName"} {
		ms := regexp.MustCompile(`/`+key+` /([^\s/]+)`).FindAllSubmatch(buf.Bytes(), -1)
		if len(ms) == 0 {
			t.Errorf("no %s", key)
		}
		for _, m := range ms {
			if !tagged.Match(m[1]) {
				t.Errorf("%s /%s lacks the subset tag", key, m[1])
			}
		}
	}
}
