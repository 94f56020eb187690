package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat keeps Aix-en-Provence's contacts on its private page:
// a form with a fault shows it beside its field, a new contact is added
// as the main contact, moved to Kumamoto, then
// removed and listed among the former contacts; nobody is emailed; every
// page passes axe-core.
func TestKeepContacts(t *testing.T) {
	fresh(t)
	bg := context.Background()
	staff := signedIn(t, &rencontres.User{Email: "reseau@example.org", Name: "Claire MOREAU", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/organisations/fr-13001"))
	checkAccessibility(t, staff, "/fr/manage/organisations/fr-13001")
	text := func() string {
		return get(t, staff, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	}
	if page := text(); !strings.Contains(page, "Thomas GIRAUD") || !strings.Contains(page, "Nadia") {
		t.Fatalf("Aix's page lacks its former contact or its registrations:\n%s", page)
	}

	// A phone typed wrong: the fault beside the field, nothing saved.
	fill := func(phone string) {
		do(t, staff, chromedp.SetValue(chromedp.ID("civility"), "m"),
			chromedp.SendKeys(chromedp.ID("name"), "Sophie JOISSAINS"),
			chromedp.SendKeys(chromedp.ID("function"), "Maire"),
			chromedp.SendKeys(chromedp.ID("service"), "Cabinet du maire"),
			chromedp.SendKeys(chromedp.ID("email"), "maire@aix.example.org"),
			chromedp.SendKeys(chromedp.ID("phone"), phone))
	}
	fill("04 42 ab")
	click(t, staff, `#contact-form button[type=submit]`)
	if msg := get(t, staff, chromedp.Evaluate[string](`(document.getElementById('phone-error') || {}).innerText || ''`)); !strings.Contains(msg, "n’est pas un numéro de téléphone") {
		t.Errorf("the phone's fault: %q", msg)
	}
	checkAccessibility(t, staff, "/fr/manage/organisations/fr-13001 (refused)")
	if _, err := srv.Store.UserByEmail(bg, "maire@aix.example.org"); err == nil {
		t.Fatal("a refused contact was saved")
	}

	// Added as main contact: the form suggests the form of address.
	do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/organisations/fr-13001"))
	fill("+33 4 42 91 90 00")
	do(t, staff, chromedp.Click(chromedp.CSS(`#contact-form input[name=main_contact]`)))
	click(t, staff, `#contact-form button[type=submit]`)
	if page := text(); !strings.Contains(page, "Correspondant ajouté") {
		t.Fatalf("no notice after adding:\n%s", page)
	}
	list, err := srv.Store.Contacts(bg, "fr-13001", false)
	if err != nil || len(list) != 1 || list[0].Email != "maire@aix.example.org" || !list[0].Main {
		t.Fatalf("Aix's contacts after adding a main one: %v", err)
	}
	id := list[0].ID
	if got := get(t, staff, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById('contact-%d').innerText`, id))); !strings.Contains(got, "correspondant principal") {
		t.Errorf("the new contact is not shown as the main one: %q", got)
	}
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/manage/organisations/fr-13001?edit=%d", baseURL, id)))
	if ph := get(t, staff, chromedp.Evaluate[string](`document.getElementById('address_form').placeholder`)); ph != "Monsieur le Maire" {
		t.Errorf("the suggested form of address is %q", ph)
	}
	checkAccessibility(t, staff, "/fr/manage/organisations/fr-13001?edit=…")

	// Moved to Kumamoto by its key, then removed there.
	do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/organisations/fr-13001"),
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("move-%d", id)), "jp-431001"))
	click(t, staff, fmt.Sprintf(`form[action$="/contacts/%d/move"] button`, id))
	if p := path(t, staff); !strings.HasPrefix(p, "/fr/manage/organisations/jp-431001?done=moved") {
		t.Fatalf("after the move: %s", p)
	}
	checkAccessibility(t, staff, "/fr/manage/organisations/jp-431001")
	click(t, staff, fmt.Sprintf(`form[action$="/contacts/%d/remove"] button`, id))
	former := get(t, staff, chromedp.Evaluate[string](`document.getElementById('former').innerText`))
	if !strings.Contains(former, "Sophie JOISSAINS") || !strings.Contains(former, "retiré le") {
		t.Errorf("Kumamoto's former contacts: %q", former)
	}
	if c, err := srv.Store.Contact(bg, "jp-431001", id); err != nil || c.Removed == nil {
		t.Errorf("the contact after removal: %v", err)
	}
	// The same page in Japanese passes axe-core too.
	do(t, staff, chromedp.Navigate(baseURL+"/ja/manage/organisations/jp-431001"))
	checkAccessibility(t, staff, "/ja/manage/organisations/jp-431001")

	// Nothing was sent to anyone about it: give the outbox worker time.
	time.Sleep(2 * time.Second)
	msgs, err := mail.ReadOutbox(filepath.Join(dataDir, "outbox"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		for _, to := range m.To {
			if to.Email == "maire@aix.example.org" {
				t.Errorf("an email was sent to the contact: %q", m.Subject)
			}
		}
	}
}
