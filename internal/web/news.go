package web

import (
	"context"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// NewsList is the data of /{lang}/news: a page of published posts,
// newest first.
type NewsList struct {
	Posts []*rencontres.NewsPost
	// Page is the page shown, from 1; Pages how many there are.
	Page, Pages, Total int
}

// NewsPostPage is the data of a post's page.
type NewsPostPage struct {
	Post *rencontres.NewsPost
}

// newsTeasers is how many posts the home page, an edition's, an event's
// and an authority's page show.
const newsTeasers = 3

// latestNews reads the latest published posts the filter selects and
// loads the names of the authorities they are attached to.
func (s *Site) latestNews(ctx context.Context, p *Page, f rencontres.NewsFilter) ([]*rencontres.NewsPost, error) {
	if s.news == nil {
		return nil, nil
	}
	f.Limit, f.Drafts = newsTeasers, false
	posts, _, err := s.news.NewsPosts(ctx, f)
	if err != nil {
		return nil, err
	}
	return posts, s.loadNewsOrgs(ctx, p, posts...)
}

func (s *Site) loadNewsOrgs(ctx context.Context, p *Page, posts ...*rencontres.NewsPost) error {
	for _, post := range posts {
		if err := s.loadOrgs(ctx, p, post.OrgKeys...); err != nil {
			return err
		}
	}
	return nil
}

// pageParam reads ?page=, from 1; anything else is a fault of the request.
func pageParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100000 {
		return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "page", Message: "not a page number"}
	}
	return n, nil
}

func (s *Site) newsList(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	page, err := pageParam(r)
	if err != nil {
		return "", err
	}
	posts, total, err := s.news.NewsPosts(r.Context(), rencontres.NewsFilter{Limit: rencontres.NewsPageSize, Offset: (page - 1) * rencontres.NewsPageSize})
	if err != nil {
		return "", err
	}
	pages := max(1, (total+rencontres.NewsPageSize-1)/rencontres.NewsPageSize)
	if page > pages {
		return "", rencontres.NotFound("page")
	}
	if err := s.loadNewsOrgs(r.Context(), p, posts...); err != nil {
		return "", err
	}
	p.Title, p.Nav = p.P.T("news.title"), "news"
	p.Data = NewsList{Posts: posts, Page: page, Pages: pages, Total: total}
	return "news_list", nil
}

// newsFromPath reads the post the path names: /news/12, or /news/12-slug
// should a link carry words after the number. A draft is the
// secretariat's alone; to anyone else it does not exist.
func (s *Site) newsFromPath(r *http.Request) (*rencontres.NewsPost, error) {
	v := r.PathValue("post")
	if i := strings.IndexByte(v, '-'); i > 0 {
		v = v[:i]
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("news post")
	}
	post, err := s.news.NewsPost(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if post.IsDraft() && !auth.ActorFrom(r.Context()).Can(rencontres.ManageNews, rencontres.Target{}) {
		return nil, rencontres.NotFound("news post")
	}
	return post, nil
}

func (s *Site) newsPost(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	post, err := s.newsFromPath(r)
	if err != nil {
		return "", err
	}
	if err := s.loadNewsOrgs(r.Context(), p, post); err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = post.Title.In(p.Lang), "news", NewsPostPage{Post: post}
	return "news_post", nil
}

// newsPhoto serves a photo's file at one width: the same bytes for every
// reader and language, so outside the language prefix, with a digest as
// ETag and a year of caching (a photo's files never change: a new upload
// is a new photo). A draft's photos are the secretariat's alone.
func (s *Site) newsPhoto(w http.ResponseWriter, r *http.Request) {
	id, err1 := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	name, ok := strings.CutSuffix(r.PathValue("file"), ".jpg")
	width, err2 := strconv.Atoi(name)
	if err1 != nil || err2 != nil || !ok {
		http.NotFound(w, r)
		return
	}
	actor := auth.ActorFrom(r.Context())
	drafts := actor.Can(rencontres.ManageNews, rencontres.Target{})
	data, sha, err := s.news.NewsPhotoFile(r.Context(), id, width, drafts)
	if err != nil {
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			http.NotFound(w, r)
			return
		}
		s.log.Error("photo", "id", id, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+sha+`"`)
	if drafts {
		// The secretariat may be looking at a draft's photo, which must
		// not stay in a shared cache.
		h.Set("Cache-Control", "private, max-age=3600")
	} else {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, `"`+sha+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func init() {
	// The news pages' helpers, kept beside them rather than in web.go's
	// list.
	funcs["paragraphs"] = Paragraphs
	funcs["excerpt"] = Excerpt
	funcs["photoSrc"] = PhotoSrc
	funcs["srcset"] = PhotoSrcset
	funcs["photoHeight"] = PhotoHeight
}

// Exact is a text's entry in one language, with no fallback, for a
// form's field of that language.
func (p *Page) Exact(t rencontres.Text, lang string) string { return t[rencontres.Lang(lang)] }

// NewsHref is the path of a post's page.
func (p *Page) NewsHref(post *rencontres.NewsPost) string {
	return p.Href("/news/" + strconv.FormatInt(post.ID, 10))
}

// PhotoSrc is the path of a photo's file at the widest width up to max.
func PhotoSrc(ph *rencontres.NewsPhoto, maxWidth int) string {
	w := ph.Widths[0]
	for _, x := range ph.Widths {
		if x <= maxWidth {
			w = x
		}
	}
	return "/photos/" + strconv.FormatInt(ph.ID, 10) + "/" + strconv.Itoa(w) + ".jpg"
}

// PhotoSrcset lists a photo's files with their widths, for srcset.
func PhotoSrcset(ph *rencontres.NewsPhoto) string {
	var parts []string
	for _, w := range ph.Widths {
		parts = append(parts, "/photos/"+strconv.FormatInt(ph.ID, 10)+"/"+strconv.Itoa(w)+".jpg "+strconv.Itoa(w)+"w")
	}
	return strings.Join(parts, ", ")
}

// PhotoHeight is the height a photo has when shown at the width of
// PhotoSrc, for the img's height attribute (no jump as it loads).
func PhotoHeight(ph *rencontres.NewsPhoto, width int) int {
	if ph.Width == 0 {
		return 0
	}
	return ph.Height * width / ph.Width
}

// newsZone is the zone a post's day is read in: Tokyo's for a Japanese
// reader, Paris's otherwise.
func newsZone(lang rencontres.Lang) *time.Location {
	name := "Europe/Paris"
	if lang == rencontres.Japanese {
		name = "Asia/Tokyo"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// NewsDate is the day a post was published (or last changed, for a
// draft), as the reader's language writes it.
func (p *Page) NewsDate(post *rencontres.NewsPost) string {
	t := post.Updated
	if post.Published != nil {
		t = *post.Published
	}
	return p.P.Date(rencontres.DateOf(t.In(newsZone(p.Lang))))
}

// NewsISODate is NewsDate for a time element's datetime attribute.
func (p *Page) NewsISODate(post *rencontres.NewsPost) string {
	t := post.Updated
	if post.Published != nil {
		t = *post.Published
	}
	return t.UTC().Format(time.RFC3339)
}

var (
	paragraphBreak = regexp.MustCompile(`\n[ \t]*\n\s*`)
	webAddress     = regexp.MustCompile(`https?://[^\s<>"«»]+`)
)

// Paragraphs renders a post's plain text: paragraphs apart by a blank
// line, a line break kept within one, web addresses as links. Everything
// else is escaped: no markup written in a post reaches the page.
func Paragraphs(text string) template.HTML {
	text = strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n")
	if text == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range paragraphBreak.Split(text, -1) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			writeLinked(&b, line)
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

// writeLinked writes a line escaped, its web addresses as links (without
// the punctuation that ends a sentence after them).
func writeLinked(b *strings.Builder, line string) {
	last := 0
	for _, m := range webAddress.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		for end > start && strings.IndexByte(".,;:!?)", line[end-1]) >= 0 {
			end--
		}
		b.WriteString(template.HTMLEscapeString(line[last:start]))
		u := template.HTMLEscapeString(line[start:end])
		b.WriteString(`<a href="` + u + `">` + u + `</a>`)
		last = end
	}
	b.WriteString(template.HTMLEscapeString(line[last:]))
}

// Excerpt is the start of a post's text for a list: its first paragraph,
// cut at about 280 characters.
func Excerpt(text string) string {
	text = strings.TrimSpace(paragraphBreak.Split(strings.TrimSpace(text), 2)[0])
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= 280 {
		return text
	}
	r := []rune(text)[:280]
	if i := strings.LastIndexAny(string(r), " 、。"); i > 200 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}
