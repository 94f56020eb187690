package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat types 熊本 in a field that picks an organisation: the
// suggestions come as a listbox, Down and Up move among them (said to a
// screen reader through aria-activedescendant), Enter puts the chosen one
// with its key in the field, which the server reads back; Escape closes
// the list. The page with its suggestions open passes axe-core.
func TestOrganisationPickerSuggestsAsOneTypes(t *testing.T) {
	fresh(t)
	ctx := signedIn(t, &rencontres.User{Email: "annuaire@example.org", Name: "Claire ROUX", Lang: rencontres.Japanese,
		Role: rencontres.Secretariat}, "")
	page := "/ja/manage/series/new"
	field := `input[data-org-search]`
	do(t, ctx, chromedp.Navigate(baseURL+page), chromedp.WaitVisible(field))
	attr := func(name string) string {
		return get(t, ctx, chromedp.Evaluate[string](`document.querySelector('`+field+`').getAttribute('`+name+`') || ''`))
	}
	if got := attr("role"); got != "combobox" {
		t.Fatalf("the field's role = %q, want combobox", got)
	}
	if got := attr("list"); got != "" {
		t.Errorf("the field keeps its datalist %q beside the listbox", got)
	}
	do(t, ctx, chromedp.SendKeys(field, "熊本"), chromedp.WaitVisible(`[role=listbox] [role=option]`))
	options := get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[role=listbox] [role=option]')].map(o => o.textContent)`))
	if len(options) != 2 || options[0] != "熊本市 (jp-431001)" || options[1] != "熊本県 (jp-430005)" {
		t.Fatalf("suggestions for 熊本 = %q, want the city then the prefecture", options)
	}
	if got := attr("aria-expanded"); got != "true" {
		t.Errorf("aria-expanded with suggestions = %q", got)
	}
	listbox := attr("aria-controls")
	if n := get(t, ctx, chromedp.Evaluate[int](`document.getElementById('`+listbox+`') ? 1 : 0`)); n != 1 {
		t.Errorf("aria-controls names %q, which is not on the page", listbox)
	}
	status := get(t, ctx, chromedp.Evaluate[string](`document.querySelector('[role=status].sr-only').textContent`))
	if !strings.Contains(status, "2件") {
		t.Errorf("the live region says %q, want the number of suggestions", status)
	}
	do(t, ctx, chromedp.SendKeys(field, kb.ArrowDown+kb.ArrowDown+kb.ArrowUp))
	active := attr("aria-activedescendant")
	selected := get(t, ctx, chromedp.Evaluate[string](`document.getElementById('`+active+`').getAttribute('aria-selected') + ' ' + document.getElementById('`+active+`').textContent`))
	if selected != "true 熊本市 (jp-431001)" {
		t.Errorf("after Down, Down, Up the active option is %q, want 熊本市 selected", selected)
	}
	checkAccessibility(t, ctx, page+" (suggestions open)")
	do(t, ctx, chromedp.SendKeys(field, kb.Enter))
	if got := get(t, ctx, chromedp.Value(field)); got != "熊本市 (jp-431001)" {
		t.Errorf("after Enter the field holds %q, want 熊本市 (jp-431001)", got)
	}
	if got := attr("aria-expanded"); got != "false" {
		t.Errorf("aria-expanded after a choice = %q", got)
	}
	if path(t, ctx) != page {
		t.Errorf("Enter on a suggestion submitted the form: at %s", path(t, ctx))
	}
	// Escape closes the list without changing what was typed.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('`+field+`').value = ''`), chromedp.SendKeys(field, "くまもと"), chromedp.WaitVisible(`[role=listbox] [role=option]`),
		chromedp.SendKeys(field, kb.Escape))
	if got := attr("aria-expanded"); got != "false" {
		t.Errorf("aria-expanded after Escape = %q", got)
	}
	if got := get(t, ctx, chromedp.Value(field)); got != "くまもと" {
		t.Errorf("after Escape the field holds %q, want what was typed", got)
	}
}
