package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat adds an institution from the directory, is shown every
// fault at once next to its field, then corrects the Japanese name of a
// reference authority and sees the reference value beside it, going back
// to it with one button; axe-core checks the new, edit and merge pages.
func TestOrganisationFormInBrowser(t *testing.T) {
	fresh(t)
	staff := signedIn(t, &rencontres.User{Email: "annuaire@example.org", Name: "Camille PETIT", Lang: rencontres.French, Role: rencontres.Secretariat}, "")

	do(t, staff, chromedp.Navigate(baseURL+"/fr/organisations"))
	click(t, staff, `a[href="/fr/manage/organisations/new"]`)
	checkAccessibility(t, staff, "/fr/manage/organisations/new")
	do(t, staff, chromedp.SendKeys(chromedp.ID("website"), "www.example.org"),
		chromedp.SendKeys(chromedp.ID("languages"), "fr, japonais"),
		chromedp.SendKeys(chromedp.ID("population"), "beaucoup"))
	click(t, staff, `form[action="/fr/manage/organisations"] button[type="submit"]`)
	for _, id := range []string{"name-error", "website-error", "languages-error", "population-error"} {
		if got := get(t, staff, chromedp.Evaluate[bool](`!!document.getElementById('`+id+`')`)); !got {
			t.Errorf("the refused form shows no %s", id)
		}
	}
	if got := get(t, staff, chromedp.Evaluate[string](`document.getElementById('website').getAttribute('aria-describedby')`)); !strings.Contains(got, "website-error") {
		t.Errorf("the website field is not described by its error: %q", got)
	}
	checkAccessibility(t, staff, "/fr/manage/organisations (refused)")
	do(t, staff, setText("website", "https://www.example.org"),
		setText("languages", "fr, ja"),
		setText("population", ""),
		chromedp.SendKeys(chromedp.ID("name_fr"), "Association France-Japon de Nancy"),
		chromedp.SendKeys(chromedp.ID("name_ja"), "ナンシー日仏協会"))
	click(t, staff, `form[action="/fr/manage/organisations"] button[type="submit"]`)
	if got := path(t, staff); got != "/fr/organisations/inst-association-france-japon-de-nancy?done=created" {
		t.Fatalf("after creating: at %s", got)
	}
	checkAccessibility(t, staff, "/fr/organisations/inst-association-france-japon-de-nancy")

	// A reference authority's Japanese name, corrected.
	do(t, staff, chromedp.Navigate(baseURL+"/ja/organisations/jp-431001"))
	click(t, staff, `a[href="/ja/manage/organisations/jp-431001/edit"]`)
	checkAccessibility(t, staff, "/ja/manage/organisations/jp-431001/edit")
	do(t, staff, setText("name_ja", "熊本市役所"))
	click(t, staff, `form[action="/ja/manage/organisations/jp-431001"] button[type="submit"]`)
	body := get(t, staff, chromedp.Text(chromedp.ID("main")))
	if !strings.Contains(body, "熊本市役所") || !strings.Contains(body, "基準データの値：熊本市") {
		t.Errorf("the page does not show the reference value beside the edit: %q", body)
	}
	checkAccessibility(t, staff, "/ja/organisations/jp-431001 (edited)")
	click(t, staff, `form[action="/ja/manage/organisations/jp-431001/revert"] button`)
	if o, err := srv.Store.Organisation(context.Background(), "jp-431001"); err != nil || o.Name["ja"] != "熊本市" {
		t.Errorf("after going back: %+v, %v", o, err)
	}

	do(t, staff, chromedp.Navigate(baseURL+"/en/manage/organisations/jp-431001/merge"))
	checkAccessibility(t, staff, "/en/manage/organisations/jp-431001/merge")
	// The preview names what the other record will fill before anything
	// is merged.
	do(t, staff, setText("from", "inst-association-france-japon-de-nancy"))
	click(t, staff, `button[name="step"][value="preview"]`)
	body = get(t, staff, chromedp.Text(chromedp.ID("main")))
	if !strings.Contains(body, "will be filled from Association France-Japon de Nancy") || !strings.Contains(body, "Website") {
		t.Errorf("the merge preview does not name the fields it fills: %q", body)
	}
	checkAccessibility(t, staff, "/en/manage/organisations/jp-431001/merge (preview)")
}
