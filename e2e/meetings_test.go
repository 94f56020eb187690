package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Tours's contact requests a one-to-one meeting with Kumamoto at the 7th
// edition; Kumamoto's contact, in Japanese, is told and accepts; the
// secretariat runs the schedule and publishes it; both authorities'
// agendas then show the meeting, with its table, each naming the other.
func TestMeetingRequestAcceptedAndScheduled(t *testing.T) {
	fresh(t)
	bg := context.Background()
	e := seventh(t)
	// The demo's deadline has passed: the secretariat lifts it.
	set, err := srv.Store.MeetingSettings(bg, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	set.Deadline = nil
	if err := srv.Store.SaveMeetingSettings(bg, set, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/events/%d/meetings", e.ID)

	kumamoto := signedIn(t, &rencontres.User{Email: "contact.kumamoto@example.org", Name: "Kenji MORI", NameJa: "森 健二", Lang: rencontres.Japanese,
		Role: rencontres.AuthorityContact}, "jp-431001")
	tours := signedIn(t, &rencontres.User{Email: "contact.tours@example.org", Name: "Claire DUVAL", Lang: rencontres.French,
		Role: rencontres.AuthorityContact}, "fr-37261")
	do(t, tours, chromedp.Navigate(baseURL+"/fr"+page))
	checkAccessibility(t, tours, "/fr"+page)
	do(t, tours, chromedp.SetValue(chromedp.ID("to"), "jp-431001"), chromedp.SendKeys(chromedp.ID("message"), "Parlons tourisme et gastronomie."))
	click(t, tours, `form[action$="/meetings/requests"] button[type="submit"]`)
	if got := get(t, tours, chromedp.Text(chromedp.CSS("#sent-title + ul"))); !strings.Contains(got, "Kumamoto") || !strings.Contains(got, "en attente de réponse") {
		t.Fatalf("Tours's requests after sending:\n%s", got)
	}

	told := waitMail(t, func(m *mail.Received) bool {
		return m.To[0].Email == "contact.kumamoto@example.org" && strings.Contains(m.Subject, "個別面談の申し込み")
	})
	if told == nil || !strings.Contains(told.Text, "Parlons tourisme et gastronomie.") {
		t.Errorf("Kumamoto's contact was not told of the request in Japanese: %+v", told)
	}
	do(t, kumamoto, chromedp.Navigate(baseURL+"/ja"+page))
	checkAccessibility(t, kumamoto, "/ja"+page)
	click(t, kumamoto, `#received-title ~ ul button[value="accept"]`)
	if got := get(t, kumamoto, chromedp.Text(chromedp.CSS("#received-title + ul"))); !strings.Contains(got, "承諾済み") {
		t.Fatalf("Kumamoto's requests after accepting:\n%s", got)
	}

	staff := signedIn(t, &rencontres.User{Email: "rdv@example.org", Name: "Paul MARTIN", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.Navigate(baseURL+"/fr"+page+"/manage"))
	checkAccessibility(t, staff, "/fr"+page+"/manage")
	click(t, staff, `form[action$="/meetings/schedule"] button`)
	click(t, staff, `input[value="provisional"] ~ button`)
	if got := get(t, staff, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "Le planning est publié.") {
		t.Fatalf("the secretariat's page after publishing:\n%s", got)
	}
	do(t, staff, chromedp.Navigate(baseURL+"/fr"+page+"/tables"))
	checkAccessibility(t, staff, "/fr"+page+"/tables")
	if got := get(t, staff, chromedp.Text(chromedp.CSS("table"))); !strings.Contains(got, "Tours – Kumamoto") {
		t.Errorf("the table plan lacks the new meeting:\n%s", got)
	}

	for _, side := range []struct {
		ctx           context.Context
		lang, partner string
	}{{tours, "fr", "Kumamoto"}, {kumamoto, "ja", "トゥール"}} {
		do(t, side.ctx, chromedp.Navigate(baseURL+"/"+side.lang+page))
		agenda := get(t, side.ctx, chromedp.Text(chromedp.CSS("#agenda-title ~ .table-scroll table")))
		if !strings.Contains(agenda, side.partner) {
			t.Errorf("the %s agenda lacks the meeting with %s:\n%s", side.lang, side.partner, agenda)
		}
	}
	checkAccessibility(t, kumamoto, "/ja"+page)
}
