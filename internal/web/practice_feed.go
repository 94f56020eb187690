package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// practicesFeed is /{lang}/practices.atom: the practices latest entered in
// the library, in the reader's language, with the list's filters (a feed
// of one SDG or one edition), written as the news feed is.
func (s *Site) practicesFeed(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	f, err := rencontres.ParsePracticeFilter(r.URL.Query())
	if err != nil {
		return "", err
	}
	f.Page, f.Limit = 1, feedSize
	list, _, err := s.library.Practices(r.Context(), f)
	if err != nil {
		return "", err
	}
	base := s.baseURL + "/" + string(p.Lang)
	feed := atomFeed{Lang: string(p.Lang), ID: base + "/practices", Title: p.P.T("practices.feed_title"),
		Author: atomPerson{Name: p.P.T("news.feed_author")},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/practices.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/practices"}}}
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, pr := range list {
		href := base + "/practices/" + strconv.FormatInt(pr.ID, 10)
		at := pr.Released.UTC().Format(time.RFC3339)
		entry := atomEntry{ID: href, Title: pr.Title.In(p.Lang), Published: at, Updated: at,
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: href}}, Summary: Excerpt(pr.Summary.In(p.Lang))}
		entry.Content = atomText{Type: "html", Body: string(Paragraphs(pr.Summary.In(p.Lang)))}
		if pr.Released.After(updated) {
			updated = pr.Released
		}
		feed.Entries = append(feed.Entries, entry)
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	return "", writeAtom(w, p.Lang, feed)
}
