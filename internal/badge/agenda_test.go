package badge_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/pdftext"
)

// A badge with meetings gets its agenda on the back: the page after its
// sheet, the columns swapped on A4; a sheet without any has no back.
func TestBadgeAgendaOnTheBack(t *testing.T) {
	fonts, err := badge.FindFonts()
	if err != nil {
		t.Fatal(err)
	}
	withAgenda := badge.Badge{Name: "森 健二", Authority: "熊本市", Event: "第9回日仏自治体交流会議", Code: "7KQ2M9XW4P",
		AgendaTitle: "面談（パリ時間）", Agenda: []string{"10月12日 14:00〜14:20 · テーブル 3 · トゥール市", "10月12日 15:00〜15:20 · テーブル 7 · カンヌ市"}}
	plain := badge.Badge{Name: "Claire DUVAL", Authority: "Tours", Event: "9e Rencontres", Code: "A1B2C3D4E5"}
	for _, tc := range []struct {
		layout badge.Layout
		badges []badge.Badge
		pages  int
	}{
		{badge.A6, []badge.Badge{withAgenda, plain}, 3},
		{badge.A4x8, []badge.Badge{plain, withAgenda}, 2},
		{badge.A4x8, []badge.Badge{plain}, 1},
	} {
		var buf bytes.Buffer
		if err := badge.Write(&buf, fonts, tc.layout, tc.badges); err != nil {
			t.Fatal(err)
		}
		texts := pdftext.Pages(t, buf.Bytes())
		if len(texts) != tc.pages {
			t.Fatalf("%s: %d pages, want %d", tc.layout, len(texts), tc.pages)
		}
		if tc.pages == 1 {
			continue
		}
		back := strings.ReplaceAll(texts[1], "\n", "")
		for _, want := range []string{"面談（パリ時間）", "テーブル 3", "トゥール市", "カンヌ市"} {
			if !strings.Contains(back, want) {
				t.Errorf("%s: the back lacks %q:\n%s", tc.layout, want, texts[1])
			}
		}
		if strings.Contains(back, "Claire DUVAL") {
			t.Errorf("%s: the back repeats a badge's face:\n%s", tc.layout, texts[1])
		}
	}
}
