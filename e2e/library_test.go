package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The library of good practices in a browser: a reader types a search in
// kana by keyboard and submits it with Enter, finds Kumamoto's practice,
// opens it and reads the French and Japanese texts side by side; filters
// by an SDG in Japanese; is told in French when the years are upside
// down; and no page of the library scrolls sideways on a phone. Every
// page through axe-core.
func TestSearchTheLibrary(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/practices"))
	checkAccessibility(t, ctx, "/fr/practices")
	do(t, ctx, chromedp.Focus(chromedp.ID("q")), chromedp.KeyEvent("くまもと"))
	// Enter submits the form: wait for the results' page to load, else
	// the results would be read from the page being left.
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent("\r"))); err != nil {
		t.Fatal(err)
	}
	if got := path(t, ctx); !strings.HasPrefix(got, "/fr/practices") {
		t.Fatalf("after Enter: at %s", got)
	}
	results := get(t, ctx, chromedp.Text(chromedp.CSS("ul.results")))
	if !strings.Contains(results, "Relancer le commerce du centre-ville après les séismes de 2016") || !strings.Contains(results, "熊本地震からの中心市街地商業の再生") {
		t.Fatalf("results for くまもと: %q", results)
	}
	if strings.Contains(results, "Un label pour les hébergements écologiques") {
		t.Error("a practice left on the waiting list is in the library")
	}
	checkAccessibility(t, ctx, "/fr/practices?q=くまもと")
	click(t, ctx, `ul.results a[href^="/fr/practices/"]`)
	practice := strings.TrimPrefix(path(t, ctx), "/fr")
	if h := get(t, ctx, chromedp.Text(chromedp.CSS("h1"))); h != "Relancer le commerce du centre-ville après les séismes de 2016" && h != "Ouvrir les échanges scolaires aux élèves en situation de handicap" {
		t.Errorf("the practice's title is %q", h)
	}
	ja := get(t, ctx, chromedp.Text(chromedp.CSS(`#text-ja + div[lang=ja]`)))
	fr := get(t, ctx, chromedp.Text(chromedp.CSS(`#text-fr + div[lang=fr]`)))
	if !strings.Contains(ja, "熊本市") || !strings.Contains(fr, "Kumamoto") {
		t.Errorf("the texts side by side: %q | %q", fr, ja)
	}
	// Side by side on a wide screen: the Japanese column starts beside
	// the French one.
	if get(t, ctx, chromedp.Evaluate[bool](`(() => { const s = document.querySelectorAll('.practice-texts > section'); return s[0].getBoundingClientRect().top === s[1].getBoundingClientRect().top })()`)) != true {
		t.Error("the French and Japanese texts are not side by side")
	}
	checkAccessibility(t, ctx, "/fr/practices/{id}")
	if got := get(t, ctx, chromedp.Text(chromedp.CSS(`main dl`))); !strings.Contains(got, "Aix-en-Provence") || !strings.Contains(got, "7e Rencontres") {
		t.Errorf("the practice's facts: %q", got)
	}

	// In Japanese, by an SDG.
	do(t, ctx, chromedp.Navigate(baseURL+"/ja/practices"))
	do(t, ctx, chromedp.SetValue(chromedp.ID("sdg"), "7"))
	click(t, ctx, `fieldset.filters button[type=submit]`)
	results = get(t, ctx, chromedp.Text(chromedp.CSS("ul.results")))
	if !strings.Contains(results, "町家の省エネ改修") || strings.Contains(results, "熊本地震") {
		t.Errorf("results for SDG 7: %q", results)
	}
	checkAccessibility(t, ctx, "/ja/practices?sdg=7")

	// Years upside down: told next to the field, in French.
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/practices?from=2023&to=2020"))
	if msg := get(t, ctx, chromedp.Text(chromedp.ID("to-error"))); !strings.Contains(msg, "Les années sont à l’envers") {
		t.Errorf("years upside down told as %q", msg)
	}
	checkAccessibility(t, ctx, "/fr/practices (years upside down)")

	// On a phone, the texts stacked and nothing scrolls sideways.
	phone := tab(t)
	do(t, phone, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	for _, p := range []string{"/fr/practices", "/ja/practices?q=熊本", "/fr" + practice, "/ja" + practice} {
		do(t, phone, chromedp.Navigate(baseURL+p))
		if over := get(t, phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
			t.Errorf("%s scrolls sideways by %dpx at 360px wide", p, over)
		}
	}
	if get(t, phone, chromedp.Evaluate[bool](`(() => { const s = document.querySelectorAll('.practice-texts > section'); return s[1].getBoundingClientRect().top > s[0].getBoundingClientRect().bottom - 1 })()`)) != true {
		t.Error("on a phone the Japanese text is not below the French")
	}
}
