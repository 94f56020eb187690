package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Kumamoto's contact fills in its cooperation profile from the
// organisation's page: a value the list does not have is refused beside
// its field and nothing is saved; the profile saved, the contact opens
// the partners suggested and reads why Marseille comes first. Every page
// through axe-core.
func TestCooperationProfileAndSuggestionsInBrowser(t *testing.T) {
	fresh(t)
	contact := signedIn(t, &rencontres.User{Email: "kokusai@kumamoto.example.org", Name: "Yui TANAKA", Lang: rencontres.French,
		Role: rencontres.AuthorityContact}, "jp-431001")
	do(t, contact, chromedp.Navigate(baseURL+"/fr/manage/organisations/jp-431001"))
	if body := get(t, contact, chromedp.Text(chromedp.CSS(`#cooperation`))); !strings.Contains(body, "Profil de coopération") {
		t.Fatalf("the organisation's page has no cooperation section: %.300s", body)
	}
	click(t, contact, `#cooperation a[href="/fr/manage/organisations/jp-431001/cooperation"]`)
	checkAccessibility(t, contact, "/fr/manage/organisations/…/cooperation")
	before, err := srv.Store.CooperationProfile(context.Background(), "jp-431001")
	if err != nil {
		t.Fatal(err)
	}

	// A forged value (as a stale or tampered form would send) is refused.
	do(t, contact, chromedp.SetAttributeValue(chromedp.CSS(`input[name=seeks][value=sport]`), "value", "piracy"),
		chromedp.Click(chromedp.CSS(`input[name=seeks][value=piracy]`)),
		chromedp.Click(chromedp.CSS(`input[name=offers][value=sport]`)))
	click(t, contact, `form[action="/fr/manage/organisations/jp-431001/cooperation"] button[type=submit]`)
	if msg := get(t, contact, chromedp.Text(chromedp.CSS(`#seeks-error`))); msg != "«\u00a0piracy\u00a0» n’est pas un thème de la liste." {
		t.Errorf("the unknown theme is told as %q", msg)
	}
	checkAccessibility(t, contact, "/fr/manage/organisations/…/cooperation (refused)")
	if after, _ := srv.Store.CooperationProfile(context.Background(), "jp-431001"); !slices.Equal(after.Offers, before.Offers) {
		t.Errorf("a refused form saved the offers: %v, was %v", after.Offers, before.Offers)
	}

	// The real form: sport offered, Korean spoken.
	do(t, contact, chromedp.Navigate(baseURL+"/fr/manage/organisations/jp-431001/cooperation"),
		chromedp.Click(chromedp.CSS(`input[name=offers][value=sport]`)),
		chromedp.Click(chromedp.CSS(`input[name=languages][value=ko]`)))
	click(t, contact, `form[action="/fr/manage/organisations/jp-431001/cooperation"] button[type=submit]`)
	if msg := get(t, contact, chromedp.Text(chromedp.CSS(`.notice`))); !strings.Contains(msg, "Le profil de coopération est enregistré.") {
		t.Errorf("after saving: %q", msg)
	}
	saved, err := srv.Store.CooperationProfile(context.Background(), "jp-431001")
	if err != nil || !slices.Contains(saved.Offers, "sport") || !slices.Contains(saved.Languages, "ko") || !slices.Contains(saved.Seeks, "culture") {
		t.Fatalf("saved %+v, %v", saved, err)
	}

	click(t, contact, `.notice a[href="/fr/manage/organisations/jp-431001/suggestions"]`)
	checkAccessibility(t, contact, "/fr/manage/organisations/…/suggestions")
	first := get(t, contact, chromedp.Text(chromedp.CSS(`ol.suggestions > li:first-child`)))
	for _, want := range []string{"Marseille", "elle offre ce que vous recherchez\u00a0: Culture et patrimoine et Urbanisme et transports",
		"Aix-en-Provence, jumelée avec Kumamoto, est à 26\u00a0km"} {
		if !strings.Contains(first, want) {
			t.Errorf("the first suggestion does not say %q: %.600s", want, first)
		}
	}
	if body := get(t, contact, chromedp.Text(chromedp.CSS(`main`))); strings.Contains(body, "Aix-en-Provence (") {
		t.Errorf("Kumamoto's partner Aix-en-Provence is suggested: %.600s", body)
	}
}
