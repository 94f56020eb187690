package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The sign-in sheet is also an A4 PDF, linked from the sheet's page and
// from the registrations: its text, read back, has the meeting's title,
// every person with a seat in Latin script and, for Kumamoto's, in kanji
// with its kana, their authorities, a column to sign and the page's
// number; in Japanese too. Only the secretariat prints it.
func TestSignInSheetPDF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := demoMeeting(t, st)
		sec := rencontres.Secretariat
		pdfPath := fmt.Sprintf("/events/%d/signin-sheet.pdf", m.ID)
		for _, page := range []string{fmt.Sprintf("/fr/events/%d/signin-sheet", m.ID), fmt.Sprintf("/fr/events/%d/registrations", m.ID)} {
			if code, b, _ := f.call(t, sec, "GET", page, nil); code != 200 || !strings.Contains(string(b), `href="/fr`+pdfPath+`"`) {
				t.Errorf("%s (%d) does not link the PDF", page, code)
			}
		}
		for lang, want := range map[string][]string{
			"fr": {"Feuille d’émargement", "3e réunion du comité de pilotage français", "Signature", "Collectivité",
				"MORI Kenji", "森 健二（もり けんじ）", "Kumamoto", "ARNAUD Amélie", "RENARD Pauline", "Nancy", "Page 1 sur 1"},
			"ja": {"署名簿", "第3回フランス側運営委員会", "MORI Kenji", "森 健二（もり けんじ）", "熊本市", "RENARD Pauline", "1／1ページ"},
		} {
			code, b, h := f.call(t, sec, "GET", "/"+lang+pdfPath, nil)
			if code != 200 || h.Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s PDF: %d %s: %.200s", lang, code, h.Get("Content-Type"), b)
			}
			if n := pdfPages(t, b); n != 1 {
				t.Errorf("%s PDF of three people has %d pages, want 1", lang, n)
			}
			text := pdfText(t, b)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s PDF lacks %q:\n%s", lang, w, text)
				}
			}
		}
		if code, _, _ := f.call(t, rencontres.AuthorityContact, "GET", "/fr"+pdfPath, nil); code != 403 && code != 404 {
			t.Errorf("an authority contact prints the sign-in sheet: %d", code)
		}
	})
}
