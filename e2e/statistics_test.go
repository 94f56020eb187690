package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chartMetrics are what the browser measures of a page's charts.
type chartMetrics struct {
	Charts   int     `json:"charts"`
	Widest   float64 `json:"widest"`   // the widest chart, in CSS pixels
	Smallest float64 `json:"smallest"` // the smallest text of a chart, in CSS pixels
	Labelled bool    `json:"labelled"` // every chart names its title and description
}

const measureCharts = `(() => {
	const svgs = [...document.querySelectorAll('svg.chart')];
	let widest = 0, smallest = 1e9, labelled = true;
	for (const s of svgs) {
		widest = Math.max(widest, s.getBoundingClientRect().width);
		for (const t of s.querySelectorAll('text')) {
			const h = t.getBoundingClientRect().height;
			if (h > 0) smallest = Math.min(smallest, h);
		}
		const ids = (s.getAttribute('aria-labelledby') || '').split(' ');
		labelled = labelled && s.getAttribute('role') === 'img' && ids.length === 2 && ids.every(id => document.getElementById(id));
	}
	return {charts: svgs.length, widest, smallest, labelled};
})()`

// The statistics pages on a phone: no sideways scroll at 360 px, charts
// as wide as the screen at most with text still legible; accessible by
// axe-core's rules in every language; and on paper, charts within an A4
// page's width.
func TestStatisticsOnPhoneAndPaper(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	pages := []string{"/fr/statistics", "/ja/statistics", "/en/statistics?series=raict",
		"/ja/series/rencontres-franco-japonaises/7/statistics", "/fr/series/rencontres-franco-japonaises/6/statistics",
		"/en/statistics?measure=nope"}
	for _, p := range pages {
		do(t, ctx, chromedp.Navigate(baseURL+p))
		checkAccessibility(t, ctx, p)
	}
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	for _, p := range pages {
		do(t, ctx, chromedp.Navigate(baseURL+p))
		over := get(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if over > 0 {
			t.Errorf("%s scrolls sideways by %dpx at 360px wide", p, over)
		}
		m := get(t, ctx, chromedp.Evaluate[chartMetrics](measureCharts))
		if p == "/en/statistics?measure=nope" {
			if m.Charts != 0 {
				t.Errorf("%s: %d charts on an error page", p, m.Charts)
			}
			continue
		}
		switch {
		case m.Charts == 0:
			t.Errorf("%s: no chart", p)
		case m.Widest > 360:
			t.Errorf("%s: a chart %.0fpx wide on a 360px screen", p, m.Widest)
		case m.Smallest < 9:
			t.Errorf("%s: chart text %.1fpx high at 360px wide", p, m.Smallest)
		case !m.Labelled:
			t.Errorf("%s: a chart without its title and description", p)
		}
		checkAccessibility(t, ctx, p+" at 360px")
	}
	// On paper: A4 less its margins is about 170 mm, 642 CSS pixels.
	do(t, ctx, chromedp.EmulateViewport(1200, 900))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/statistics"))
	m := get(t, ctx, chromedp.Evaluate[chartMetrics](measureCharts))
	if m.Charts == 0 || m.Widest > 643 {
		t.Errorf("printed: %d charts, the widest %.0fpx (A4 holds 642)", m.Charts, m.Widest)
	}
	hidden := get(t, ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('form.stats-filters')).display === 'none'`))
	if !hidden {
		t.Error("the filters are printed")
	}
}
