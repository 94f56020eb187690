package badge_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/pdftext"
)

func TestBadgesRenderAndExtract(t *testing.T) {
	fonts, err := badge.FindFonts()
	if err != nil {
		t.Fatal(err)
	}
	badges := []badge.Badge{
		{Name: "森 健二", Latin: "Kenji MORI", Function: "熊本市長", Authority: "熊本市", Event: "第9回日仏自治体交流会議", Code: "7KQ2M9XW4P", URL: "https://rencontres.example.org/fr/events/9/checkin?code=7KQ2M9XW4P"},
		{Name: "Claire DUVAL", Function: "Adjointe au maire, déléguée aux Relations internationales", Authority: "Tours", Event: "9e Rencontres franco-japonaises", Code: "A1B2C3D4E5", URL: "https://rencontres.example.org/fr/events/9/checkin?code=A1B2C3D4E5"},
	}
	for i := range 7 {
		badges = append(badges, badge.Badge{Name: fmt.Sprintf("Personne %d", i), Authority: "Cannes", Event: "9e Rencontres", Code: fmt.Sprintf("CODE%06d", i)})
	}
	for _, tc := range []struct {
		layout badge.Layout
		pages  int
	}{{badge.A4x8, 2}, {badge.A6, 9}} {
		var buf bytes.Buffer
		if err := badge.Write(&buf, fonts, tc.layout, badges); err != nil {
			t.Fatal(err)
		}
		texts := pdftext.Pages(t, buf.Bytes())
		pages, text := len(texts), strings.Join(texts, "")
		if pages != tc.pages {
			t.Errorf("%s: %d pages, want %d", tc.layout, pages, tc.pages)
		}
		flat := strings.ReplaceAll(text, "\n", "")
		for _, want := range []string{"森 健二", "Kenji MORI", "熊本市長", "第9回日仏自治体交流会議", "Claire DUVAL", "Tours", "7KQ2M9XW4P", "Personne 6"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: the PDF's text lacks %q:\n%s", tc.layout, want, text)
			}
		}
		if buf.Len() > 400<<10 {
			t.Errorf("%s: %d KB, the fonts are not subset", tc.layout, buf.Len()>>10)
		}
	}
}

// More badges than a part holds (256: each part is a PDF of its own,
// joined to the others as it is written): every badge is on its page, in
// order, in both layouts.
func TestBadgesInParts(t *testing.T) {
	fonts, err := badge.FindFonts()
	if err != nil {
		t.Fatal(err)
	}
	var badges []badge.Badge
	for i := range 600 {
		badges = append(badges, badge.Badge{Name: fmt.Sprintf("Personne %d", i), Authority: "Cannes", Event: "9e Rencontres",
			Code: fmt.Sprintf("CODE%06d", i), URL: fmt.Sprintf("https://rencontres.example.org/c/%d", i)})
	}
	for _, tc := range []struct {
		layout  badge.Layout
		perPage int
	}{{badge.A4x8, 8}, {badge.A6, 1}} {
		var buf bytes.Buffer
		if err := badge.Write(&buf, fonts, tc.layout, badges); err != nil {
			t.Fatal(err)
		}
		pages := pdftext.Pages(t, buf.Bytes())
		if len(pages) != len(badges)/tc.perPage {
			t.Fatalf("%s: %d pages, want %d", tc.layout, len(pages), len(badges)/tc.perPage)
		}
		for i, b := range badges {
			if p := pages[i/tc.perPage]; !strings.Contains(p, b.Code) {
				t.Fatalf("%s: page %d lacks %s:\n%s", tc.layout, i/tc.perPage+1, b.Code, p)
			}
		}
	}
}
