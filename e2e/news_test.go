package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/photo/phototest"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The news in a browser: the secretariat writes a post, is told what is
// missing, adds a photo taken by a phone, publishes; the public finds it
// on /news, on its page with the photo and on the 7th edition's page.
// Every page of the news through axe-core.
func TestPublishNewsWithPhoto(t *testing.T) {
	fresh(t)
	staff := signedIn(t, &rencontres.User{Email: "actualites@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.Navigate(baseURL+"/fr/news"))
	checkAccessibility(t, staff, "/fr/news (secretariat)")
	click(t, staff, `a[href="/fr/manage/news"]`)
	checkAccessibility(t, staff, "/fr/manage/news")
	click(t, staff, `a[href="/fr/manage/news/new"]`)
	checkAccessibility(t, staff, "/fr/manage/news/new")

	// Without its Japanese texts the draft is refused, every fault told.
	do(t, staff, chromedp.SetValue(chromedp.ID("title_fr"), "Visite technique au Grand Site Sainte-Victoire"),
		chromedp.SetValue(chromedp.ID("body_fr"), "Les délégations ont découvert la gestion du Grand Site.\n\nUne journée d’échanges."))
	click(t, staff, `form[action="/fr/manage/news"] button[type=submit]`)
	if msg := get(t, staff, chromedp.Text(chromedp.ID("title_ja-error"))); msg != "Le titre en japonais est obligatoire." {
		t.Errorf("the missing Japanese title is told as %q", msg)
	}
	if msg := get(t, staff, chromedp.Text(chromedp.ID("body_ja-error"))); msg != "Le texte en japonais est obligatoire." {
		t.Errorf("the missing Japanese text is told as %q", msg)
	}
	checkAccessibility(t, staff, "/fr/manage/news (refused)")
	do(t, staff, chromedp.SetValue(chromedp.ID("title_ja"), "サント・ヴィクトワール山グラン・サイトのテクニカルビジット"),
		chromedp.SetValue(chromedp.ID("body_ja"), "代表団はグラン・サイトの管理を視察しました。"),
		chromedp.SetValue(chromedp.ID("organisations"), "Aix-en-Provence (fr-13001)"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#events option[value="`+strconv.FormatInt(seventh(t).ID, 10)+`"]').selected = true`))
	click(t, staff, `form[action="/fr/manage/news"] button[type=submit]`)
	if !strings.Contains(path(t, staff), "/edit?done=created") {
		t.Fatalf("the draft was not saved: %s %.300s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	checkAccessibility(t, staff, "/fr/manage/news/{id}/edit")

	// A photo from a phone, with where it was taken.
	file := filepath.Join(t.TempDir(), "IMG20221006103000.jpg")
	if err := os.WriteFile(file, phototest.JPEGWithGPS(1800, 1200, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, staff, chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.SetValue(chromedp.ID("alt_fr"), "Les délégations au pied de la montagne Sainte-Victoire"),
		chromedp.SetValue(chromedp.ID("alt_ja"), "サント・ヴィクトワール山のふもとに集まった代表団"),
		chromedp.SetValue(chromedp.ID("caption_fr"), "Les délégations pendant la visite technique."),
		chromedp.SetValue(chromedp.ID("credit"), "Ville d’Aix-en-Provence"))
	click(t, staff, `#photos form[enctype="multipart/form-data"] button[type=submit]`)
	if !strings.Contains(path(t, staff), "done=photo") {
		t.Fatalf("the photo was not added: %s %.300s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	click(t, staff, `form[action$="/publish"] button[type=submit]`)
	if !strings.Contains(path(t, staff), "done=publish") {
		t.Fatalf("not published: %s", path(t, staff))
	}
	checkAccessibility(t, staff, "/fr/manage/news/{id}/edit (published)")

	// The public.
	public := tab(t)
	do(t, public, chromedp.Navigate(baseURL+"/fr/news"))
	checkAccessibility(t, public, "/fr/news")
	click(t, public, `.news-list a`)
	if h := get(t, public, chromedp.Text(chromedp.CSS(`h1`))); h != "Visite technique au Grand Site Sainte-Victoire" {
		t.Errorf("the newest post is %q", h)
	}
	checkAccessibility(t, public, "/fr/news/{id}")
	if alt := get(t, public, chromedp.Evaluate[string](`document.querySelector('.news-photo img').alt`)); alt != "Les délégations au pied de la montagne Sainte-Victoire" {
		t.Errorf("the photo's text alternative is %q", alt)
	}
	loaded := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if get(t, public, chromedp.Evaluate[bool](`document.querySelector('.news-photo img').complete`)) {
			loaded = get(t, public, chromedp.Evaluate[bool](`document.querySelector('.news-photo img').naturalWidth > 0`))
			break
		}
	}
	if !loaded {
		t.Error("the photo did not load")
	}
	do(t, public, chromedp.Navigate(baseURL+"/ja/news"))
	checkAccessibility(t, public, "/ja/news")
	do(t, public, chromedp.Navigate(baseURL+"/fr/series/rencontres-franco-japonaises/7"))
	if got := get(t, public, chromedp.Text(chromedp.CSS(`#news-title + .news-list`))); !strings.Contains(got, "Visite technique au Grand Site Sainte-Victoire") {
		t.Errorf("the edition's page does not show the post: %q", got)
	}
	checkAccessibility(t, public, "/fr/series/rencontres-franco-japonaises/7 (with news)")
}
