package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A call for good practices in a browser: the secretariat opens one on
// the 8th edition, with its workshops and a required question; Marseille's
// contact finds it from its authority's page, is told what is missing,
// then proposes in French with its twin Kobe as partner and a document,
// and the confirmation reaches the SMTP server; the secretariat sees the
// proposal waiting for its Japanese; the public reads the call from the
// edition's page, in French and Japanese. Every new page through axe-core.
func TestContactProposesAPractice(t *testing.T) {
	smtp := freshMailing(t)
	bg := context.Background()
	e8, err := srv.Store.Edition(bg, "rencontres-franco-japonaises", 8)
	if err != nil {
		t.Fatal(err)
	}
	tokyo, _ := time.LoadLocation(e8.TimeZone)
	now := time.Now().In(tokyo)

	// The secretariat opens the call.
	staff := signedIn(t, &rencontres.User{Email: "appels@example.org", Name: "Claire DUVAL", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d", baseURL, e8.ID)))
	click(t, staff, fmt.Sprintf(`a[href="/fr/events/%d/calls"]`, e8.ID))
	checkAccessibility(t, staff, "/fr/events/{id}/calls (none)")
	click(t, staff, fmt.Sprintf(`a[href="/fr/events/%d/calls/new"]`, e8.ID))
	checkAccessibility(t, staff, "/fr/events/{id}/calls/new")
	do(t, staff, chromedp.SetValue(chromedp.ID("title_fr"), "Appel à bonnes pratiques des 8es Rencontres"),
		chromedp.SetValue(chromedp.ID("title_ja"), "第8回日仏自治体交流会議 優良事例の募集"),
		chromedp.SetValue(chromedp.ID("intro_fr"), "Présentez une politique locale réussie."),
		chromedp.SetValue(chromedp.ID("opens"), now.Add(-24*time.Hour).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("deadline"), now.AddDate(0, 1, 0).Format("2006-01-02T15:04")),
		chromedp.Click(`input[name=workshops][value="1"]`), chromedp.Click(`input[name=workshops][value="3"]`),
		chromedp.SetValue(chromedp.ID("q0_key"), "budget"), chromedp.SetValue(chromedp.ID("q0_label_fr"), "Budget annuel"),
		chromedp.SetValue(chromedp.ID("q0_label_ja"), "年間予算"), chromedp.Click(`input[name=q0_required]`))
	click(t, staff, fmt.Sprintf(`form[action="/fr/events/%d/calls"] button[type=submit]`, e8.ID))
	if !strings.Contains(path(t, staff), "done=saved") {
		t.Fatalf("the call was not saved: %s %.400s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	checkAccessibility(t, staff, "/fr/events/{id}/calls")
	calls, err := srv.Store.Calls(bg, e8.ID)
	if err != nil || len(calls) != 1 || len(calls[0].Workshops) != 2 || calls[0].Questions[0].Key != "budget" {
		t.Fatalf("the call saved: %+v, %v", calls, err)
	}
	call := calls[0]

	// Marseille's contact finds it from its authority's page.
	contact := signedIn(t, &rencontres.User{Email: "ri.marseille@example.org", Name: "Lucie FABRE", Lang: rencontres.French, Role: rencontres.AuthorityContact}, "fr-13055")
	do(t, contact, chromedp.Navigate(baseURL+"/fr/manage/organisations/fr-13055"))
	click(t, contact, `a[href="/fr/manage/organisations/fr-13055/proposals"]`)
	checkAccessibility(t, contact, "/fr/manage/organisations/{key}/proposals")
	click(t, contact, fmt.Sprintf(`a[href="/fr/calls/%d"]`, call.ID))
	checkAccessibility(t, contact, "/fr/calls/{id}")
	if got := get(t, contact, chromedp.Text(chromedp.CSS(`.facts`))); !strings.Contains(got, "heure de Tokyo") || !strings.Contains(got, "heure de Paris") {
		t.Errorf("the deadline is not given in both zones: %q", got)
	}
	click(t, contact, fmt.Sprintf(`a[href="/fr/calls/%d/propose"]`, call.ID))
	checkAccessibility(t, contact, "/fr/calls/{id}/propose")

	// Without a summary nor the required answer, every fault is told.
	form := fmt.Sprintf(`form[action="/fr/calls/%d/proposals"] button[type=submit]`, call.ID)
	do(t, contact, chromedp.SetValue(chromedp.ID("title_fr"), "Former ensemble les agents portuaires"))
	click(t, contact, form)
	if msg := get(t, contact, chromedp.Text(chromedp.ID("summary-error"))); !strings.Contains(msg, "en français ou en japonais") {
		t.Errorf("the missing summary is told as %q", msg)
	}
	if msg := get(t, contact, chromedp.Text(chromedp.ID("answer_budget-error"))); msg == "" {
		t.Error("the missing answer is not told")
	}
	checkAccessibility(t, contact, "/fr/calls/{id}/proposals (refused)")
	if list, _ := srv.Store.Proposals(bg, rencontres.ProposalFilter{CallID: call.ID}); len(list) != 0 {
		t.Fatalf("a refused proposal was saved: %+v", list)
	}

	// The proposal, with its twin and a document.
	doc := filepath.Join(t.TempDir(), "formation-portuaire.pdf")
	if err := os.WriteFile(doc, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, contact, chromedp.SetValue(chromedp.ID("summary_fr"), "Quatre agents de chaque port passent un mois dans l’autre."),
		chromedp.Click(`input[name=sdg][value="14"]`), chromedp.Click(`input[name=sdg][value="8"]`),
		chromedp.SetValue(chromedp.ID("workshop"), "1"),
		chromedp.SetValue(chromedp.ID("pr0_person"), "Lucie FABRE"), chromedp.SetValue(chromedp.ID("pr0_function"), "Chargée de mission"),
		chromedp.SetValue(chromedp.ID("org0"), "Kobe (jp-281000)"),
		chromedp.SetValue(chromedp.ID("answer_budget"), "80 000 €"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{doc}))
	click(t, contact, form)
	if !strings.Contains(path(t, contact), "done=saved") {
		t.Fatalf("the proposal was not saved: %s %.500s", path(t, contact), get(t, contact, chromedp.Text(chromedp.CSS(`main`))))
	}
	checkAccessibility(t, contact, "/fr/proposals/{id}")
	page := get(t, contact, chromedp.Text(chromedp.CSS(`main`)))
	for _, want := range []string{"Kobe", "formation-portuaire.pdf", "Traduction en attente", "Vie aquatique"} {
		if !strings.Contains(page, want) {
			t.Errorf("the proposal's page does not show %q", want)
		}
	}
	list, _ := srv.Store.Proposals(bg, rencontres.ProposalFilter{CallID: call.ID})
	if len(list) != 1 || list[0].Lead() != "fr-13055" || len(list[0].Documents) != 1 || list[0].Answers["budget"] != "80 000 €" {
		t.Fatalf("the proposal saved: %+v", list)
	}
	confirmed := waitSMTP(t, smtp, func(m *mail.Received) bool {
		return m.To[0].Email == "ri.marseille@example.org" && strings.Contains(m.Subject, "Former ensemble les agents portuaires")
	}, 1)
	if len(confirmed) != 1 || !strings.Contains(confirmed[0].Text, fmt.Sprintf("/fr/proposals/%d", list[0].ID)) {
		t.Errorf("the confirmation did not reach the SMTP server: %d", len(confirmed))
	}
	do(t, contact, chromedp.Navigate(fmt.Sprintf("%s/ja/proposals/%d/edit", baseURL, list[0].ID)))
	checkAccessibility(t, contact, "/ja/proposals/{id}/edit")

	// The secretariat sees it waiting for its Japanese.
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/calls/%d/proposals", baseURL, call.ID)))
	if got := get(t, staff, chromedp.Text(chromedp.CSS(`table`))); !strings.Contains(got, "Traduction en attente") || !strings.Contains(got, "Marseille") {
		t.Errorf("the call's proposals: %q", got)
	}
	checkAccessibility(t, staff, "/fr/calls/{id}/proposals")
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/calls/%d/edit", baseURL, call.ID)))
	checkAccessibility(t, staff, "/fr/calls/{id}/edit")

	// The public, from the edition's page, in both languages.
	public := tab(t)
	for _, l := range []string{"fr", "ja"} {
		do(t, public, chromedp.Navigate(baseURL+"/"+l+"/series/rencontres-franco-japonaises/8"))
		click(t, public, fmt.Sprintf(`a[href="/%s/calls/%d"]`, l, call.ID))
		if h := get(t, public, chromedp.Text(chromedp.CSS(`h1`))); h != call.Title.In(rencontres.Lang(l)) {
			t.Errorf("the call's page in %s is titled %q", l, h)
		}
		checkAccessibility(t, public, "/"+l+"/calls/{id} (public)")
	}
}
