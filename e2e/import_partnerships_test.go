package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat chooses « des partenariats » on the import page and
// uploads the partnerships' export edited in Excel: the preview counts a
// new pact and a twinning left as it is, nothing is written until it
// confirms, then the new pact is on both authorities' public pages; every
// step's page passes axe-core.
func TestImportPartnershipsInBrowser(t *testing.T) {
	fresh(t)
	staff := signedIn(t, &rencontres.User{Email: "partenariats@example.org", Name: "Claire DUMONT", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	file := filepath.Join(t.TempDir(), "partenariats.csv")
	csv := "\ufeffIdentifiant A;Collectivité A;Identifiant B;Collectivité B;Type;Année de signature\r\n" +
		"jp-372013;Takamatsu;fr-37261;Tours;Jumelage;1988\r\n" +
		"jp-221007;Shizuoka;fr-37261;Tours;Pacte d’amitié;2024\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}

	do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/import"))
	do(t, staff, chromedp.Click(chromedp.CSS(`input[name="kind"][value="partnerships"]`)))
	do(t, staff, chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
	click(t, staff, `form[action="/fr/manage/import"] button`)
	if page := path(t, staff); !strings.HasPrefix(page, "/fr/manage/import/") {
		t.Fatalf("after the upload: at %s", page)
	}
	counts := get(t, staff, chromedp.Evaluate[string](`[...document.querySelectorAll('[id^="count-"]')].map(e => e.id + '=' + e.textContent).join(' ')`))
	if counts != "count-created=1 count-updated=0 count-unchanged=1" {
		t.Fatalf("the preview counts %q (%s)", counts, get(t, staff, chromedp.Text(chromedp.CSS("main"))))
	}
	checkAccessibility(t, staff, "/fr/manage/import/{id} (partnerships)")
	if ps, err := srv.Store.Partnerships(context.Background(), "jp-221007"); err != nil || len(ps) != 0 {
		t.Fatalf("the preview wrote: %d partnerships of Shizuoka, %v", len(ps), err)
	}

	click(t, staff, `button[value="confirm"]`)
	if page := path(t, staff); !strings.HasPrefix(page, "/fr/manage/import?kind=partnerships&created=1") {
		t.Fatalf("after confirming: at %s (%s)", page, get(t, staff, chromedp.Text(chromedp.CSS("main"))))
	}
	if notice := get(t, staff, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(notice, "1 partenariat(s) créé(s)") {
		t.Errorf("notice %q", notice)
	}
	checkAccessibility(t, staff, "/fr/manage/import (partnerships imported)")
	for org, partner := range map[string]string{"jp-221007": "Tours", "fr-37261": "Shizuoka"} {
		do(t, staff, chromedp.Navigate(baseURL+"/fr/organisations/"+org))
		if body := get(t, staff, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, partner) || !strings.Contains(body, "2024") {
			t.Errorf("%s's page does not show the pact with %s", org, partner)
		}
	}
}
