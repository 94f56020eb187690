package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// tabTo presses Tab until the focused element matches the script's test,
// failing after max presses.
func tabTo(t *testing.T, c context.Context, test string, max int) {
	t.Helper()
	for range max {
		if get(t, c, chromedp.Evaluate[bool](`(function (el) { return !!(`+test+`); })(document.activeElement)`)) {
			return
		}
		do(t, c, chromedp.KeyEvent(kb.Tab))
	}
	t.Fatalf("%d Tabs did not reach %s", max, test)
}

// The twinning map by keyboard: Tab to the kind filter, change it with
// the arrow key, and the map and list change without the page reloading
// and the address follows; Tab on to a point of the map and Enter opens
// the authority's page. Axe-core finds nothing serious on the map pages
// in French and Japanese, refused filters included, and at 360 px nothing
// scrolls sideways.
func TestMapByKeyboard(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/map"))
	checkAccessibility(t, ctx, "/fr/map")
	before := get(t, ctx, chromedp.Text(chromedp.CSS(`#map-status`)))
	lines := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.twinmap .links line").length`))
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	tabTo(t, ctx, `el.id === "map-kind"`, 60)
	do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	waitFor(t, ctx, `document.getElementById("map-status").textContent !== `+jsString(before), "the count after choosing a kind")
	if !get(t, ctx, chromedp.Evaluate[bool](`window.notReloaded === true`)) {
		t.Error("the page reloaded")
	}
	kind := get(t, ctx, chromedp.Evaluate[string](`document.getElementById("map-kind").value`))
	if p := path(t, ctx); kind == "" || !strings.Contains(p, "kind="+kind) {
		t.Errorf("kind %q, address %s", kind, p)
	}
	got := get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("svg.twinmap .links line")).map(function (l) { return l.getAttribute("class"); })`))
	if len(got) == 0 || len(got) >= lines {
		t.Errorf("%d lines of %d after the filter", len(got), lines)
	}
	for _, c := range got {
		if c != "k-"+kind {
			t.Errorf("a %s line on the map of %s", c, kind)
		}
	}
	if id := get(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "map-kind" {
		t.Errorf("focus moved to %q after the change", id)
	}

	tabTo(t, ctx, `el.closest && el.closest("svg.twinmap")`, 80)
	href := get(t, ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute("href")`))
	name := get(t, ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute("aria-label")`))
	if !strings.HasPrefix(href, "/fr/organisations/") || name == "" {
		t.Fatalf("focused point: %q named %q", href, name)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, `location.pathname === `+jsString(href), "Enter on the point "+name)
	if h1 := get(t, ctx, chromedp.Text(chromedp.CSS(`h1`))); !strings.HasPrefix(name, strings.Fields(h1)[0]) {
		t.Errorf("the point %q led to %q", name, h1)
	}

	for _, p := range []string{"/ja/map", "/fr/map?kind=mariage&from=2020&to=2000", "/en/map?series=rencontres-franco-japonaises"} {
		do(t, ctx, chromedp.Navigate(baseURL+p))
		checkAccessibility(t, ctx, p)
	}
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	for _, p := range []string{"/fr/map", "/ja/map?kind=jumelage", "/fr/series/rencontres-franco-japonaises/8"} {
		do(t, ctx, chromedp.Navigate(baseURL+p))
		if over := get(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
			wide := get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main *")).filter(function (e) { return e.getBoundingClientRect().right > document.documentElement.clientWidth + 1; }).slice(0, 8).map(function (e) { return e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right); })`))
			t.Errorf("%s scrolls sideways by %dpx at 360px wide: %v", p, over, wide)
		}
	}
}

// jsString quotes s for a script.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
