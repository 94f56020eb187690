package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The news: anyone reads the published posts; the secretariat writes,
// publishes and illustrates them, and reads the drafts.
func (a *API) registerNews(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/news", rencontres.ReadPublic, a.listNews)
	route("POST", "/api/v1/news", rencontres.ManageNews, a.createNews)
	route("GET", "/api/v1/news/{post}", rencontres.ReadPublic, a.getNews)
	route("PATCH", "/api/v1/news/{post}", rencontres.ManageNews, a.patchNews)
	route("DELETE", "/api/v1/news/{post}", rencontres.ManageNews, a.deleteNews)
	route("POST", "/api/v1/news/{post}/publish", rencontres.ManageNews, a.publishNews(true))
	route("POST", "/api/v1/news/{post}/unpublish", rencontres.ManageNews, a.publishNews(false))
	route("POST", "/api/v1/news/{post}/photos", rencontres.ManageNews, a.uploadNewsPhoto)
	route("PATCH", "/api/v1/news/{post}/photos/{photo}", rencontres.ManageNews, a.patchNewsPhoto)
	route("DELETE", "/api/v1/news/{post}/photos/{photo}", rencontres.ManageNews, a.deleteNewsPhoto)
}

// NewsPhotoFile is one file of a photo: its width and where it is served.
type NewsPhotoFile struct {
	Width int    `json:"width"`
	URL   string `json:"url"`
}

// NewsPhotoOut is a photo as the API gives it, with its files.
type NewsPhotoOut struct {
	*rencontres.NewsPhoto
	Files []NewsPhotoFile `json:"files"`
}

// NewsOut is a post as the API gives it: its photos with their files, the
// address of its page in each language.
type NewsOut struct {
	*rencontres.NewsPost
	Photos []NewsPhotoOut             `json:"photos"`
	Pages  map[rencontres.Lang]string `json:"pages"`
}

func (a *API) newsOut(r *http.Request, p *rencontres.NewsPost) NewsOut {
	if !auth.ActorFrom(r.Context()).Can(rencontres.ManageNews, rencontres.Target{}) {
		// Who wrote a post is the secretariat's to know; the public
		// reads the network's name on it.
		p.Author = ""
	}
	out := NewsOut{NewsPost: p, Photos: []NewsPhotoOut{}, Pages: map[rencontres.Lang]string{}}
	for _, ph := range p.Photos {
		o := NewsPhotoOut{NewsPhoto: ph, Files: []NewsPhotoFile{}}
		for _, w := range ph.Widths {
			o.Files = append(o.Files, NewsPhotoFile{Width: w, URL: a.base + "/photos/" + strconv.FormatInt(ph.ID, 10) + "/" + strconv.Itoa(w) + ".jpg"})
		}
		out.Photos = append(out.Photos, o)
	}
	for _, l := range rencontres.Langs {
		out.Pages[l] = a.base + "/" + string(l) + "/news/" + strconv.FormatInt(p.ID, 10)
	}
	return out
}

// NewsList is the body of GET /api/v1/news.
type NewsList struct {
	Total int       `json:"total"`
	Page  int       `json:"page"`
	Pages int       `json:"pages"`
	Posts []NewsOut `json:"posts"`
}

func (a *API) listNews(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, "page", "event", "organisation", "drafts", "lang"); err != nil {
		return nil, err
	}
	f := rencontres.NewsFilter{Limit: rencontres.NewsPageSize, OrgKey: q.Get("organisation")}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return nil, badParam("page", "error.bad_parameter")
		}
		page = n
	}
	f.Offset = (page - 1) * f.Limit
	if v := q.Get("event"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return nil, badParam("event", "error.bad_parameter")
		}
		f.EventID = id
	}
	switch q.Get("drafts") {
	case "", "false":
	case "true":
		if !auth.ActorFrom(r.Context()).Can(rencontres.ManageNews, rencontres.Target{}) {
			return nil, errForbidden
		}
		f.Drafts = true
	default:
		return nil, badParam("drafts", "error.bad_parameter")
	}
	posts, total, err := a.news.NewsPosts(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := NewsList{Total: total, Page: page, Pages: max(1, (total+f.Limit-1)/f.Limit), Posts: []NewsOut{}}
	for _, p := range posts {
		out.Posts = append(out.Posts, a.newsOut(r, p))
	}
	return out, nil
}

// newsPost reads the post the path names; a draft exists for the
// secretariat only.
func (a *API) newsPost(r *http.Request) (*rencontres.NewsPost, error) {
	id, err := strconv.ParseInt(r.PathValue("post"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("news post")
	}
	p, err := a.news.NewsPost(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if p.IsDraft() && !auth.ActorFrom(r.Context()).Can(rencontres.ManageNews, rencontres.Target{}) {
		return nil, rencontres.NotFound("news post")
	}
	return p, nil
}

func (a *API) getNews(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.newsPost(r)
	if err != nil {
		return nil, err
	}
	return a.newsOut(r, p), nil
}

// NewsIn is the body of POST and PATCH /api/v1/news: a PATCH changes
// the fields it gives.
type NewsIn struct {
	Title         rencontres.Text `json:"title"`
	Body          rencontres.Text `json:"body"`
	Events        *[]int64        `json:"events"`
	Organisations *[]string       `json:"organisations"`
}

func (a *API) saveNews(r *http.Request, p *rencontres.NewsPost, in NewsIn) error {
	if in.Title != nil {
		p.Title = in.Title
	}
	if in.Body != nil {
		p.Body = in.Body
	}
	if in.Organisations != nil {
		p.OrgKeys = *in.Organisations
	}
	var events []int64
	for _, e := range p.Events {
		events = append(events, e.ID)
	}
	if in.Events != nil {
		events = *in.Events
	}
	return a.news.SaveNewsPost(r.Context(), p, events, actorID(r))
}

// createNews writes a draft; every fault of the body is listed at once
// (a title or a text missing in French or Japanese, an unknown event or
// authority), and nothing is saved when there is one.
func (a *API) createNews(w http.ResponseWriter, r *http.Request) (any, error) {
	var in NewsIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	p := &rencontres.NewsPost{}
	if err := a.saveNews(r, p, in); err != nil {
		return nil, err
	}
	a.audit(r, "news.create", "news_post", p.ID, map[string]any{"title": p.Title[rencontres.French]})
	return created(a.newsOut(r, p)), nil
}

func (a *API) patchNews(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.newsPost(r)
	if err != nil {
		return nil, err
	}
	var in NewsIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := a.saveNews(r, p, in); err != nil {
		return nil, err
	}
	a.audit(r, "news.update", "news_post", p.ID, map[string]any{"title": p.Title[rencontres.French]})
	return a.newsOut(r, p), nil
}

func (a *API) deleteNews(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.newsPost(r)
	if err != nil {
		return nil, err
	}
	if err := a.news.DeleteNewsPost(r.Context(), p.ID); err != nil {
		return nil, err
	}
	a.audit(r, "news.delete", "news_post", p.ID, map[string]any{"title": p.Title[rencontres.French]})
	return withStatus{code: http.StatusNoContent}, nil
}

func (a *API) publishNews(publish bool) handler {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := a.newsPost(r)
		if err != nil {
			return nil, err
		}
		if p, err = a.news.PublishNewsPost(r.Context(), p.ID, publish, time.Now()); err != nil {
			return nil, err
		}
		action := "news.unpublish"
		if publish {
			action = "news.publish"
		}
		a.audit(r, action, "news_post", p.ID, nil)
		return a.newsOut(r, p), nil
	}
}

// formLangs reads a translated field of a multipart form: name_fr,
// name_ja, name_en.
func formLangs(r *http.Request, name string) rencontres.Text {
	t := rencontres.Text{}
	for _, l := range rencontres.Langs {
		if v := strings.TrimSpace(r.FormValue(name + "_" + string(l))); v != "" {
			t[l] = v
		}
	}
	return t
}

// uploadNewsPhoto stores a photo sent as multipart/form-data: the file in
// "file", its texts in alt_fr, alt_ja, alt_en, caption_fr…, credit. The
// file's type is found from its content and must agree with its name and
// declared type; its size in pixels is checked from its header.
func (a *API) uploadNewsPhoto(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.newsPost(r)
	if err != nil {
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, photo.MaxBytes+64<<10)
	var data []byte
	var name, declared string
	f, h, err := r.FormFile("file")
	if nerr := rencontres.RefuseNulForm(r.MultipartForm, f); nerr != nil {
		return nil, nerr
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.photo_too_large", Field: "file",
				Message: "the photo is too large", Args: map[string]any{"MaxMiB": photo.MaxBytes >> 20}}
		}
	} else {
		defer f.Close()
		name, declared = h.Filename, h.Header.Get("Content-Type")
		if data, err = io.ReadAll(io.LimitReader(f, photo.MaxBytes+1)); err != nil {
			return nil, err
		}
	}
	ph := &rencontres.NewsPhoto{PostID: p.ID, Alt: formLangs(r, "alt"), Caption: formLangs(r, "caption"), Credit: strings.TrimSpace(r.FormValue("credit"))}
	if err := a.news.AddNewsPhoto(r.Context(), ph, name, declared, data, actorID(r)); err != nil {
		return nil, err
	}
	a.audit(r, "news.photo", "news_post", p.ID, map[string]any{"photo": ph.ID, "name": name})
	out := a.newsOut(r, &rencontres.NewsPost{ID: p.ID, Photos: []*rencontres.NewsPhoto{ph}})
	return created(out.Photos[0]), nil
}

// NewsPhotoIn is the body of PATCH /api/v1/news/{post}/photos/{photo}.
type NewsPhotoIn struct {
	Caption *rencontres.Text `json:"caption"`
	Alt     *rencontres.Text `json:"alt"`
	Credit  *string          `json:"credit"`
}

func (a *API) newsPhoto(r *http.Request) (*rencontres.NewsPost, *rencontres.NewsPhoto, error) {
	p, err := a.newsPost(r)
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err == nil {
		for _, ph := range p.Photos {
			if ph.ID == id {
				return p, ph, nil
			}
		}
	}
	return nil, nil, rencontres.NotFound("photo")
}

func (a *API) patchNewsPhoto(w http.ResponseWriter, r *http.Request) (any, error) {
	p, ph, err := a.newsPhoto(r)
	if err != nil {
		return nil, err
	}
	var in NewsPhotoIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.Caption != nil {
		ph.Caption = *in.Caption
	}
	if in.Alt != nil {
		ph.Alt = *in.Alt
	}
	if in.Credit != nil {
		ph.Credit = *in.Credit
	}
	if err := a.news.UpdateNewsPhoto(r.Context(), ph); err != nil {
		return nil, err
	}
	a.audit(r, "news.photo_update", "news_post", p.ID, map[string]any{"photo": ph.ID})
	out := a.newsOut(r, &rencontres.NewsPost{ID: p.ID, Photos: []*rencontres.NewsPhoto{ph}})
	return out.Photos[0], nil
}

func (a *API) deleteNewsPhoto(w http.ResponseWriter, r *http.Request) (any, error) {
	p, ph, err := a.newsPhoto(r)
	if err != nil {
		return nil, err
	}
	if err := a.news.DeleteNewsPhoto(r.Context(), p.ID, ph.ID); err != nil {
		return nil, err
	}
	a.audit(r, "news.photo_delete", "news_post", p.ID, map[string]any{"photo": ph.ID})
	return withStatus{code: http.StatusNoContent}, nil
}
