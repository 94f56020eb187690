package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe-core finds no serious or critical WCAG 2.1 A/AA violation on the main
// pages, in each language.
func TestAccessibility(t *testing.T) {
	fresh(t)
	if axeJS == "" {
		t.Skip("axe-core not installed: run make refdata")
	}
	ctx := tab(t)
	pages := []string{
		"/fr/", "/ja/", "/en/",
		"/fr/series/rencontres-franco-japonaises", "/ja/series/rencontres-franco-japonaises",
		"/fr/series/rencontres-franco-japonaises/7", "/ja/series/rencontres-franco-japonaises/7",
		"/en/series/raict",
		"/fr/organisations?q=kumamoto", "/ja/organisations/jp-431001", "/fr/organisations/fr-75056",
		"/fr/series/nope", "/fr/login", "/ja/login",
		"/en/news", "/ja/news/1", "/en/news/1",
		// The demo's adopted declaration, published.
		"/fr/series/rencontres-franco-japonaises/7/declaration", "/ja/series/rencontres-franco-japonaises/7/declaration",
	}
	for _, p := range pages {
		do(t, ctx, chromedp.Navigate(baseURL+p))
		checkAccessibility(t, ctx, p)
	}
}

// checkAccessibility runs axe-core on the current page and reports serious
// and critical WCAG 2.1 A/AA violations.
func checkAccessibility(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if axeJS == "" {
		return
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](axeJS))
	vs := get(t, ctx, chromedp.Evaluate[[]violation](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))`,
		chromedp.EvalAwaitPromise))
	for _, v := range vs {
		t.Errorf("%s: %s (%s): %s at %v", page, v.ID, v.Impact, v.Help, v.Nodes)
	}
}
