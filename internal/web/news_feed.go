package web

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The Atom feed of the news, one per language (RFC 4287). A dozen lines
// of encoding/xml structs; no library (docs/decisions.md).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Href   string `xml:"href,attr"`
	Length int    `xml:"length,attr,omitempty"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Links     []atomLink `xml:"link"`
	Summary   string     `xml:"summary"`
	Content   atomText   `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// feedSize is how many posts the feed carries.
const feedSize = 20

// newsFeed is /{lang}/news.atom: the latest published posts in the
// reader's language, with absolute links from the site's configured
// address (never the request's Host).
func (s *Site) newsFeed(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	posts, _, err := s.news.NewsPosts(r.Context(), rencontres.NewsFilter{Limit: feedSize})
	if err != nil {
		return "", err
	}
	base := s.baseURL + "/" + string(p.Lang)
	f := atomFeed{Lang: string(p.Lang), ID: base + "/news", Title: p.P.T("news.feed_title"),
		Author: atomPerson{Name: p.P.T("news.feed_author")},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/news.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/news"}}}
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, post := range posts {
		href := base + "/news/" + strconv.FormatInt(post.ID, 10)
		e := atomEntry{ID: href, Title: post.Title.In(p.Lang), Published: post.Published.UTC().Format(time.RFC3339),
			Updated: post.Updated.UTC().Format(time.RFC3339), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: href}},
			Summary: Excerpt(post.Body.In(p.Lang))}
		var content strings.Builder
		if ph := post.Cover(); ph != nil {
			content.WriteString(`<p><img src="` + s.baseURL + PhotoSrc(ph, 960) + `" alt="` + xmlAttr(ph.Alt.In(p.Lang)) + `"></p>`)
			e.Links = append(e.Links, atomLink{Rel: "enclosure", Type: "image/jpeg", Href: s.baseURL + PhotoSrc(ph, 960)})
		}
		content.WriteString(string(Paragraphs(post.Body.In(p.Lang))))
		e.Content = atomText{Type: "html", Body: content.String()}
		if post.Updated.After(updated) {
			updated = post.Updated
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	return "", writeAtom(w, p.Lang, f)
}

// writeAtom answers an Atom feed in a language.
func writeAtom(w http.ResponseWriter, lang rencontres.Lang, f atomFeed) error {
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Content-Language", string(lang))
	w.Write([]byte(xml.Header))
	w.Write(out)
	return nil
}

func xmlAttr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}
