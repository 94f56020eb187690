package server

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// photoForm is a multipart body with a photo in "file", sent under a
// name and a declared type, and the other fields given.
func photoForm(t *testing.T, name, ctype string, data []byte, fields ...string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", ctype)
	fw, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

func newsCount(t *testing.T, st *store.Store) (posts, photos int) {
	t.Helper()
	list, n, err := st.NewsPosts(context.Background(), rencontres.NewsFilter{Drafts: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		photos += len(p.Photos)
	}
	return n, photos
}

var photoSrc = regexp.MustCompile(`src="(/photos/\d+/\d+\.jpg)"`)

// The secretariat writes a post, is told every fault at once in the
// reader's language, adds a photo from a phone (its location gone from
// what is served), is refused images that are not, are too large or lie
// about their type, publishes; the public then sees it in the list, on
// its page, on the edition's and the authority's pages and in the feed,
// and an edit shows once the public cache's seconds have passed.
func TestNewsPublishedWithPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, pub := rencontres.Secretariat, rencontres.Public
		posts, photos := newsCount(t, st)

		code, body, _ := f.post(t, "/fr/manage/news", url.Values{"title_fr": {"Le COPIL mixte à Aix"}, "body_ja": {"本文"},
			"organisations": {"Ville inconnue de nulle part"}, "events": {"oops"}})
		if code != 400 {
			t.Errorf("a post without its Japanese title: %d, want 400", code)
		}
		for _, want := range []string{`id="title_ja-error">Le titre en japonais est obligatoire.`, `id="body_fr-error">Le texte en français est obligatoire.`,
			`id="organisations-error">`, `id="events-error">`, `value="Le COPIL mixte à Aix"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused form does not show %q", want)
			}
		}
		if _, body, _ := f.post(t, "/ja/manage/news", url.Values{"title_fr": {"Titre"}}); !strings.Contains(body, "日本語のタイトルは必須です。") {
			t.Error("the Japanese form does not tell the missing title in Japanese")
		}
		if n, _ := newsCount(t, st); n != posts {
			t.Fatalf("refused posts were saved: %d, want %d", n, posts)
		}

		code, _, h := f.post(t, "/fr/manage/news", url.Values{"title_fr": {"Visite à Kumamoto"}, "title_ja": {"熊本訪問"},
			"body_fr": {"Premier paragraphe <script>alert(1)</script>.\n\nVoir https://www.example.org/programme."}, "body_ja": {"本文です。"},
			"events": {fmt.Sprint(f.edition)}, "organisations": {"jp-431001\nAix-en-Provence (fr-13001)"}})
		loc := h.Get("Location")
		m := regexp.MustCompile(`/fr/manage/news/(\d+)/edit\?done=created`).FindStringSubmatch(loc)
		if code != 303 || m == nil {
			t.Fatalf("create: %d %q", code, loc)
		}
		id := m[1]
		if code, _, _ := f.call(t, pub, "GET", "/fr/news/"+id, nil); code != 404 {
			t.Errorf("a draft is public: %d", code)
		}

		// The photos refused, each with its reason, nothing stored.
		for _, c := range []struct {
			name, ctype string
			data        []byte
			want        string
		}{
			{"copil.jpg", "image/jpeg", []byte("Compte rendu du COPIL\n"), "n’est pas une image JPEG, PNG ou WebP"},
			{"geant.png", "image/png", phototest.PNGHeader(10000, 5000), "10000\u00a0×\u00a05000 pixels, plus que les 40\u00a0mégapixels"},
			{"copil.jpg", "image/jpeg", phototest.PNG(64, 48), "Le fichier se dit .jpg mais son contenu est image/png"},
			{"copil.png", "image/jpeg", phototest.PNG(64, 48), "Le fichier se dit image/jpeg mais son contenu est image/png"},
		} {
			b, ct := photoForm(t, c.name, c.ctype, c.data, "alt_fr", "Le comité", "alt_ja", "委員会")
			code, body, _ := f.call(t, sec, "POST", "/fr/manage/news/"+id+"/photos", b, "Content-Type", ct)
			if code != 400 || !strings.Contains(string(body), c.want) {
				t.Errorf("%s as %s: %d, want 400 saying %q", c.name, c.ctype, code, c.want)
			}
		}
		b, ct := photoForm(t, "IMG20191106151910.jpg", "image/jpeg", phototest.JPEGWithGPS(2000, 1200, 6), "alt_fr", "Le comité", "credit", "Ville d’Aix")
		if code, body, _ := f.call(t, sec, "POST", "/fr/manage/news/"+id+"/photos", b, "Content-Type", ct); code != 400 ||
			!strings.Contains(string(body), "Le texte alternatif en japonais est obligatoire.") {
			t.Errorf("a photo without its Japanese text alternative: %d", code)
		}
		if _, n := newsCount(t, st); n != photos {
			t.Fatalf("refused photos were stored: %d, want %d", n, photos)
		}
		b, ct = photoForm(t, "IMG20191106151910.jpg", "image/jpeg", phototest.JPEGWithGPS(2000, 1200, 6), "alt_fr", "Le comité devant l’hôtel de ville",
			"alt_ja", "市庁舎前の委員会", "caption_fr", "De gauche à droite : Bernard Leroy, Nadia Bensaïd.", "credit", "Ville d’Aix")
		if code, _, h := f.call(t, sec, "POST", "/fr/manage/news/"+id+"/photos", b, "Content-Type", ct); code != 303 || !strings.Contains(h.Get("Location"), "done=photo") {
			t.Fatalf("upload: %d %s", code, h.Get("Location"))
		}
		if code, _, _ := f.post(t, "/fr/manage/news/"+id+"/publish", url.Values{}); code != 303 {
			t.Fatalf("publish: %d", code)
		}

		// What the public sees.
		code, page, _ := f.call(t, pub, "GET", "/fr/news/"+id, nil)
		if code != 200 || !strings.Contains(string(page), "<h1>Visite à Kumamoto</h1>") || strings.Contains(string(page), "<script>alert") ||
			!strings.Contains(string(page), `<a href="https://www.example.org/programme">https://www.example.org/programme</a>.`) ||
			!strings.Contains(string(page), `alt="Le comité devant l’hôtel de ville"`) || !strings.Contains(string(page), "480w, ") {
			t.Fatalf("the post's page: %d\n%s", code, page)
		}
		if _, ja, _ := f.call(t, pub, "GET", "/ja/news/"+id, nil); !strings.Contains(string(ja), `alt="市庁舎前の委員会"`) {
			t.Error("the Japanese page does not give the Japanese text alternative")
		}
		srcs := photoSrc.FindAllStringSubmatch(string(page), -1)
		if len(srcs) == 0 {
			t.Fatal("no photo on the post's page")
		}
		code, img, ph := f.call(t, pub, "GET", srcs[0][1], nil)
		if code != 200 || ph.Get("Content-Type") != "image/jpeg" || !strings.Contains(ph.Get("Cache-Control"), "immutable") || ph.Get("ETag") == "" {
			t.Fatalf("the photo: %d %v", code, ph)
		}
		if exif, gps := photo.HasEXIF(img); exif || gps || bytes.Contains(img, []byte("Rencontres test camera")) {
			t.Errorf("the served photo still carries its metadata: exif %v, gps %v", exif, gps)
		}
		for _, m := range photo.Segments(img) {
			if m >= 0xE1 && m <= 0xEF {
				t.Errorf("the served photo has an APP%d segment", m-0xE0)
			}
		}
		if code, _, _ := f.call(t, pub, "GET", srcs[0][1], nil, "If-None-Match", ph.Get("ETag")); code != http.StatusNotModified {
			t.Errorf("a photo asked again with its ETag: %d, want 304", code)
		}
		for _, path := range []string{"/fr/news", "/fr/", "/fr/series/rencontres-franco-japonaises/7", "/fr/organisations/jp-431001", "/fr/organisations/fr-13001"} {
			if code, b, _ := f.call(t, pub, "GET", path, nil); code != 200 || !strings.Contains(string(b), `href="/fr/news/`+id+`"`) {
				t.Errorf("%s does not link the post (%d)", path, code)
			}
		}
		if _, b, _ := f.call(t, pub, "GET", "/fr/organisations/fr-54395", nil); strings.Contains(string(b), `href="/fr/news/`+id+`"`) {
			t.Error("an authority the post is not about lists it")
		}

		// The feed, in Japanese.
		code, feedBody, fh := f.call(t, pub, "GET", "/ja/news.atom", nil)
		var feed struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			ID      string   `xml:"id"`
			Title   string   `xml:"title"`
			Updated string   `xml:"updated"`
			Links   []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Entries []struct {
				ID        string `xml:"id"`
				Title     string `xml:"title"`
				Published string `xml:"published"`
				Updated   string `xml:"updated"`
				Links     []struct {
					Rel  string `xml:"rel,attr"`
					Href string `xml:"href,attr"`
				} `xml:"link"`
				Content struct {
					Type string `xml:"type,attr"`
					Body string `xml:",chardata"`
				} `xml:"content"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(feedBody, &feed); err != nil || code != 200 || !strings.HasPrefix(fh.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("feed: %d %v\n%s", code, err, feedBody)
		}
		if feed.Lang != "ja" || feed.Title != "日仏自治体交流会議のお知らせ" || !strings.HasPrefix(feed.ID, f.srv.URL+"/ja/news") || len(feed.Entries) < 2 {
			t.Errorf("feed: lang %q, title %q, id %q, %d entries", feed.Lang, feed.Title, feed.ID, len(feed.Entries))
		}
		if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
			t.Errorf("feed updated %q: %v", feed.Updated, err)
		}
		first := feed.Entries[0]
		if first.Title != "熊本訪問" || first.ID != f.srv.URL+"/ja/news/"+id || first.Content.Type != "html" || !strings.Contains(first.Content.Body, "<p>本文です。</p>") {
			t.Errorf("newest entry: %+v", first)
		}
		for _, e := range feed.Entries {
			if _, err := time.Parse(time.RFC3339, e.Published); err != nil {
				t.Errorf("entry %s published %q", e.ID, e.Published)
			}
		}

		// A published edit shows through the public cache within its
		// seconds.
		f.call(t, pub, "GET", "/fr/news/"+id, nil)
		if code, _, _ := f.post(t, "/fr/manage/news/"+id, url.Values{"title_fr": {"Visite de Kumamoto à Aix"}, "title_ja": {"熊本訪問"},
			"body_fr": {"Texte."}, "body_ja": {"本文です。"}}); code != 303 {
			t.Fatalf("edit: %d", code)
		}
		deadline := time.Now().Add(cacheTTL + 2*time.Second)
		for {
			_, b, _ := f.call(t, pub, "GET", "/fr/news/"+id, nil)
			if strings.Contains(string(b), "Visite de Kumamoto à Aix") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the edit is not shown to the public")
			}
			time.Sleep(200 * time.Millisecond)
		}
		// Unpublished: gone from the public, and its photos with it.
		f.post(t, "/fr/manage/news/"+id+"/unpublish", url.Values{})
		if code, _, _ := f.call(t, pub, "GET", srcs[0][1], nil); code != 404 {
			t.Errorf("an unpublished post's photo: %d, want 404", code)
		}
	})
}

// The API: every fault of a post at once in the asked language, a photo
// refused for its type, the draft hidden from the public until published.
func TestNewsAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	sec, pub := rencontres.Secretariat, rencontres.Public
	code, b, _ := f.call(t, sec, "POST", "/api/v1/news?lang=ja", map[string]any{"title": map[string]string{"fr": "Titre"}, "events": []int64{999999}})
	var bad struct {
		Error struct {
			Errors []struct{ Field, Message string } `json:"errors"`
		} `json:"error"`
	}
	json.Unmarshal(b, &bad)
	got := map[string]string{}
	for _, e := range bad.Error.Errors {
		got[e.Field] = e.Message
	}
	if code != 400 || got["title.ja"] != "日本語のタイトルは必須です。" || got["body.fr"] == "" || got["events"] == "" {
		t.Errorf("a post without its Japanese title: %d %s", code, b)
	}
	code, b, _ = f.call(t, sec, "POST", "/api/v1/news", map[string]any{"title": map[string]string{"fr": "Atelier", "ja": "分科会"},
		"body": map[string]string{"fr": "Texte", "ja": "本文"}, "organisations": []string{"fr-13001"}})
	var post struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(b, &post); code != 201 || post.ID == 0 {
		t.Fatalf("create: %d %s", code, b)
	}
	path := fmt.Sprintf("/api/v1/news/%d", post.ID)
	if code, _, _ := f.call(t, pub, "GET", path, nil); code != 404 {
		t.Errorf("a draft through the API: %d", code)
	}
	body, ct := photoForm(t, "atelier.jpg", "image/jpeg", phototest.PNG(40, 30), "alt_fr", "Atelier", "alt_ja", "分科会")
	if code, b, _ := f.call(t, sec, "POST", path+"/photos?lang=en", body, "Content-Type", ct); code != 400 || !strings.Contains(string(b), "The file says it is .jpg but its content is image/png") {
		t.Errorf("a PNG named .jpg: %d %s", code, b)
	}
	body, ct = photoForm(t, "atelier.png", "image/png", phototest.PNG(640, 480), "alt_fr", "Atelier", "alt_ja", "分科会")
	if code, b, _ := f.call(t, sec, "POST", path+"/photos", body, "Content-Type", ct); code != 201 || !strings.Contains(string(b), `"widths":[480,640]`) {
		t.Errorf("a PNG: %d %s", code, b)
	}
	if code, _, _ := f.call(t, sec, "POST", path+"/publish", nil); code != 200 {
		t.Fatalf("publish: %d", code)
	}
	if code, b, _ := f.call(t, pub, "GET", "/api/v1/news?organisation=fr-13001", nil); code != 200 || !strings.Contains(string(b), `"title":{"fr":"Atelier"`) {
		t.Errorf("the list by authority: %d %s", code, b)
	}
	if code, _, _ := f.call(t, pub, "GET", "/api/v1/news?drafts=true", nil); code != 403 {
		t.Errorf("drafts asked by the public: %d, want 403", code)
	}
	if code, _, _ := f.call(t, sec, "DELETE", path, nil); code != 204 {
		t.Errorf("delete: %d", code)
	}
}
