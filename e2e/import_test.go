package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat uploads a French Excel's CSV (Windows-1252, semicolons)
// whose name and email columns the headings do not say, corrects the
// mapping, chooses between the prefecture and the city of Shizuoka,
// confirms, and finds the new contacts on the authorities' pages; every
// step's page passes axe-core.
func TestImportContactListInBrowser(t *testing.T) {
	fresh(t)
	staff := signedIn(t, &rencontres.User{Email: "annuaire@example.org", Name: "Claire DUMONT", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	csv, err := charmap.Windows1252.NewEncoder().Bytes([]byte("Collectivité;Qui;Adresse de messagerie;Fonction\r\n" +
		"Ville de Chartres;Léa ROUSSEAU;lea.rousseau@example.org;Adjointe déléguée aux relations internationales\r\n" +
		"Shizuoka;Haruto SATO;haruto.sato@example.org;Chef de service\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "correspondants.csv")
	if err := os.WriteFile(file, csv, 0o600); err != nil {
		t.Fatal(err)
	}

	do(t, staff, chromedp.Navigate(baseURL+"/fr/organisations"))
	click(t, staff, `a[href="/fr/manage/import"]`)
	checkAccessibility(t, staff, "/fr/manage/import")
	do(t, staff, chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
	click(t, staff, `form[action="/fr/manage/import"] button`)
	page := path(t, staff)
	if !strings.HasPrefix(page, "/fr/manage/import/") {
		t.Fatalf("after the upload: at %s", page)
	}
	body := get(t, staff, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(body, "Windows-1252") || !strings.Contains(body, "il manque une colonne") {
		t.Fatalf("preview before the mapping: %s", body)
	}
	checkAccessibility(t, staff, "/fr/manage/import/{id}")

	// The mapping corrected, the preview has one ambiguous row.
	do(t, staff, setSelect("map-1", "name"), setSelect("map-2", "email"))
	click(t, staff, `button[value="preview"]`)
	body = get(t, staff, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(body, "Ambigu") || !strings.Contains(body, "plusieurs collectivités portent ce nom") {
		t.Fatalf("preview after the mapping: %s", body)
	}
	checkAccessibility(t, staff, "/fr/manage/import/{id} (ambiguous)")
	do(t, staff, setSelect("choice-3", "jp-221007"))
	click(t, staff, `button[value="confirm"]`)
	if page := path(t, staff); !strings.HasPrefix(page, "/fr/manage/import?created=2") {
		t.Fatalf("after confirming: at %s (%s)", page, get(t, staff, chromedp.Text(chromedp.CSS("main"))))
	}
	if notice := get(t, staff, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(notice, "2 correspondant(s) créé(s)") {
		t.Errorf("notice %q", notice)
	}
	for org, who := range map[string]string{"jp-221007": "Haruto SATO", "fr-28085": "Léa ROUSSEAU"} {
		do(t, staff, chromedp.Navigate(baseURL+"/fr/manage/organisations/"+org))
		if body := get(t, staff, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, who) {
			t.Errorf("%s's page does not list %s: %s", org, who, body)
		}
	}
}
