package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The partnerships in a browser: the public list and its filters, the
// secretariat's form refusing a twinning recorded already and naming it,
// the survey page, and a contact answering the état des lieux for their
// authority; every page through axe-core.
func TestPartnershipsInBrowser(t *testing.T) {
	fresh(t)
	public := tab(t)
	do(t, public, chromedp.Navigate(baseURL+"/fr/partnerships"))
	checkAccessibility(t, public, "/fr/partnerships")
	all := get(t, public, chromedp.Text(chromedp.CSS(`[role=status]`)))
	click(t, public, `a[href="/fr/partnerships?state=dormant"]`)
	if got := get(t, public, chromedp.Text(chromedp.CSS(`[role=status]`))); got == all || !strings.Contains(got, "2 partenariats") {
		t.Errorf("the dormant filter shows %q (all: %q)", got, all)
	}
	if p := path(t, public); p != "/fr/partnerships?state=dormant" {
		t.Errorf("filter link led to %s", p)
	}
	do(t, public, chromedp.Navigate(baseURL+"/ja/partnerships"))
	checkAccessibility(t, public, "/ja/partnerships")

	staff := signedIn(t, &rencontres.User{Email: "jumelages@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/partnerships/new?a=jp-372013"),
		chromedp.SendKeys(chromedp.CSS(`#b`), "Tours (fr-37261)"),
		chromedp.SetValue(chromedp.CSS(`#year`), "2020"))
	click(t, staff, `form[action="/fr/manage/partnerships"] button[type=submit]`)
	if msg := get(t, staff, chromedp.Text(chromedp.CSS(`#b-error`))); msg != "Takamatsu et Tours sont déjà jumelées depuis 1988." {
		t.Errorf("the duplicate is told as %q", msg)
	}
	checkAccessibility(t, staff, "/fr/manage/partnerships (refused)")

	// A new twinning (the form's default kind), made in the browser, shows
	// on both authorities' public pages.
	before, _ := srv.Store.Partnerships(context.Background(), "jp-431001")
	do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/partnerships/new?a=jp-431001"),
		chromedp.SendKeys(chromedp.CSS(`#b`), "Nancy (fr-54395)"),
		chromedp.SetValue(chromedp.CSS(`#year`), "2024"))
	click(t, staff, `form[action="/fr/manage/partnerships"] button[type=submit]`)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		after, _ := srv.Store.Partnerships(context.Background(), "jp-431001")
		if len(after) > len(before) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the twinning Kumamoto–Nancy was not stored: %.300s", get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
		}
	}
	for key, other := range map[string]string{"jp-431001": "Nancy", "fr-54395": "Kumamoto"} {
		do(t, public, chromedp.Navigate(baseURL+"/fr/organisations/"+key))
		if body := get(t, public, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(body, other) || !strings.Contains(body, "2024") {
			t.Errorf("%s's public page does not show its new twinning with %s: %.400s", key, other, body)
		}
	}
	do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/partnerships/survey"))
	checkAccessibility(t, staff, "/fr/manage/partnerships/survey")
	if body := get(t, staff, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(body, "à relire") || !strings.Contains(body, "sans réponse") {
		t.Errorf("the survey page does not tell who answered: %.300s", body)
	}

	contact := signedIn(t, &rencontres.User{Email: "ri.tours@example.org", Name: "Claire DUVAL", Lang: rencontres.French,
		Role: rencontres.AuthorityContact}, "fr-37261")
	tours, err := srv.Store.Partnerships(context.Background(), "fr-37261")
	if err != nil || len(tours) != 1 {
		t.Fatalf("Tours' partnerships: %d, %v", len(tours), err)
	}
	id := fmt.Sprintf("partnership-%d", tours[0].ID)
	do(t, contact, chromedp.Navigate(baseURL+"/fr/manage/organisations/fr-37261/partnerships"))
	if body := get(t, contact, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(body, "Takamatsu") {
		t.Fatalf("the contact's état des lieux at %s: %.300s", path(t, contact), body)
	}
	checkAccessibility(t, contact, "/fr/manage/organisations/…/partnerships")
	do(t, contact, chromedp.SetValue(chromedp.ID(id+"-state"), "in_project"),
		chromedp.SendKeys(chromedp.ID(id+"-current_projects"), "Jumelage scolaire à l’étude."))
	click(t, contact, "#"+id+" form button[type=submit]")
	if msg := get(t, contact, chromedp.Text(chromedp.CSS(`.notice`))); !strings.Contains(msg, "votre réponse est enregistrée") {
		t.Errorf("after the answer: %q", msg)
	}
	checkAccessibility(t, contact, "/fr/manage/organisations/…/partnerships (answered)")
}
