package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// seventh is the demo's 7th edition, whose registrations the demo loads.
func seventh(t *testing.T) *rencontres.Edition {
	t.Helper()
	e, err := srv.Store.Edition(context.Background(), "rencontres-franco-japonaises", 7)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The secretariat prints the attendance lists: every session that takes
// choices on its own A4 page, room by room, with the people seated and a
// column to sign, and nothing of the screen's navigation.
func TestAttendancePrint(t *testing.T) {
	fresh(t)
	e7 := seventh(t)
	bg := context.Background()
	sessions, err := srv.Store.Sessions(bg, e7.ID)
	if err != nil {
		t.Fatal(err)
	}
	rooms, err := srv.Store.Rooms(bg, e7.ID)
	if err != nil {
		t.Fatal(err)
	}
	people, err := srv.Store.Registrations(bg, rencontres.RegistrationFilter{EventID: e7.ID})
	if err != nil {
		t.Fatal(err)
	}
	lists := rencontres.Attendances(sessions, rooms, people, 0)
	if len(lists) < 2 {
		t.Fatalf("the demo's 7th edition has %d sessions to choose", len(lists))
	}
	ctx := signedIn(t, &rencontres.User{Email: "listes@example.org", Name: "Marc VIDAL", Lang: rencontres.French, Role: rencontres.Secretariat}, "")

	// From the registrations page to the lists.
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d/registrations", baseURL, e7.ID)))
	checkAccessibility(t, ctx, "/fr/events/…/registrations")
	click(t, ctx, fmt.Sprintf(`a[href="/fr/events/%d/attendance"]`, e7.ID))
	checkAccessibility(t, ctx, "/fr/events/…/attendance")
	if get(t, ctx, chromedp.Evaluate[bool](`document.querySelector('button[data-print]').hidden`)) {
		t.Error("the print button stays hidden with JavaScript")
	}
	for _, p := range []string{fmt.Sprintf("/ja/events/%d/attendance", e7.ID), fmt.Sprintf("/en/events/%d/sessions/%d/attendance", e7.ID, lists[len(lists)-1].Session.ID)} {
		do(t, ctx, chromedp.Navigate(baseURL+p))
		checkAccessibility(t, ctx, p)
	}

	// On a phone, the lists scroll within their tables, never the page.
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	for _, p := range []string{"/fr/events/%d/registrations", "/fr/events/%d/attendance"} {
		do(t, ctx, chromedp.Navigate(baseURL+fmt.Sprintf(p, e7.ID)))
		if over := get(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
			t.Errorf("%s scrolls sideways by %dpx at 360px wide", p, over)
		}
	}

	// Printed on A4, 182 mm between the margins.
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d/attendance", baseURL, e7.ID)), chromedp.EmulateViewport(688, 1000))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if over := get(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); over {
		t.Error("the printed lists are wider than an A4 page")
	}
	if shown := get(t, ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('nav.breadcrumb, .attendance .actions, header.site')].some(e => getComputedStyle(e).display !== 'none')`)); shown {
		t.Error("the screen's navigation is printed")
	}
	sheets := get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('section.sheet')].map(s => s.innerText)`))
	if len(sheets) != len(lists) {
		t.Fatalf("%d sheets printed, want %d", len(sheets), len(lists))
	}
	for i, a := range lists {
		if !strings.Contains(sheets[i], a.Session.Title.In(rencontres.French)) || !strings.Contains(sheets[i], "Signature") {
			t.Errorf("sheet %d is not %q with a column to sign:\n%s", i+1, a.Session.Title.In(rencontres.French), sheets[i])
		}
		for _, p := range a.Seated {
			if !strings.Contains(sheets[i], p.DisplayName(rencontres.French)) {
				t.Errorf("sheet %d lacks %s, who has a seat", i+1, p.DisplayName(rencontres.French))
			}
		}
		for _, p := range a.Waiting {
			if !strings.Contains(sheets[i], p.DisplayName(rencontres.French)) {
				t.Errorf("sheet %d lacks %s, who waits", i+1, p.DisplayName(rencontres.French))
			}
		}
	}
	yes := true
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(res.Data, -1))
	if pages != len(lists) {
		t.Errorf("%d sessions print on %d A4 pages, want one each", len(lists), pages)
	}
}
