package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Webhooks in a browser: the secretariat reaches them from the people
// page, is told what is wrong with a private http address and no type,
// registers a CRM, copies its secret shown once, then renews it on the
// endpoint's page. Every page through axe-core.
func TestWebhooksInBrowser(t *testing.T) {
	fresh(t)
	staff := signedIn(t, &rencontres.User{Email: "crm@example.org", Name: "Louis FABRE", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.Navigate(baseURL+"/fr/admin/people"))
	click(t, staff, `a[href="/fr/manage/webhooks"]`)
	checkAccessibility(t, staff, "/fr/manage/webhooks")

	do(t, staff, chromedp.SetValue(chromedp.ID("url"), "http://10.0.0.5/hooks"))
	click(t, staff, `form[action="/fr/manage/webhooks"] button[type=submit]`)
	if msg := get(t, staff, chromedp.Text(chromedp.ID("url-error"))); !strings.Contains(msg, "https://") {
		t.Errorf("a plain http address is told as %q", msg)
	}
	if msg := get(t, staff, chromedp.Text(chromedp.ID("event_types-error"))); !strings.Contains(msg, "au moins un type") {
		t.Errorf("no type is told as %q", msg)
	}
	checkAccessibility(t, staff, "/fr/manage/webhooks (refused)")

	do(t, staff, chromedp.SetValue(chromedp.ID("url"), "https://93.184.215.14/hooks/rencontres"),
		chromedp.SetValue(chromedp.ID("description"), "CRM de Cités Unies France"))
	do(t, staff, chromedp.Click(chromedp.CSS(`input[name=event_types][value="registration.created"]`)),
		chromedp.Click(chromedp.CSS(`input[name=event_types][value="declaration.adopted"]`)))
	click(t, staff, `form[action="/fr/manage/webhooks"] button[type=submit]`)
	first := get(t, staff, chromedp.Text(chromedp.CSS(`code.secret`)))
	if !strings.HasPrefix(first, "whsec_") {
		t.Fatalf("the new webhook's secret is shown as %q", first)
	}
	checkAccessibility(t, staff, "/fr/manage/webhooks (made)")

	click(t, staff, `a[href^="/fr/manage/webhooks/"]`)
	checkAccessibility(t, staff, "/fr/manage/webhooks/{id}")
	if body := get(t, staff, chromedp.Text(chromedp.CSS(`main`))); strings.Contains(body, "whsec_") {
		t.Error("the endpoint's page shows its secret again")
	}
	click(t, staff, `form[action$="/rotate"] button[type=submit]`)
	second := get(t, staff, chromedp.Text(chromedp.CSS(`code.secret`)))
	if !strings.HasPrefix(second, "whsec_") || second == first {
		t.Errorf("the renewed secret is %q (the first was %q)", second, first)
	}
	if body := get(t, staff, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(body, "l’ancien secret signe encore") {
		t.Errorf("the page does not say the previous secret still signs: %.300s", body)
	}
	checkAccessibility(t, staff, "/fr/manage/webhooks/{id} (rotated)")
}
