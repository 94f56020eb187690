package web

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// NewsManage is the secretariat's list of posts, drafts first.
type NewsManage struct {
	Posts              []*rencontres.NewsPost
	Page, Pages, Total int
	Done               string
}

// NewsForm writes or edits a post; on an existing one, publishes,
// unpublishes or deletes it and adds its photos.
type NewsForm struct {
	// Post is the one edited, nil for a new one.
	Post   *rencontres.NewsPost
	Form   map[string]string
	Errors map[string]string
	// Events are the events a post may be attached to, the latest first;
	// Chosen, those it is.
	Events []*rencontres.Event
	Chosen map[int64]bool
	// Photo and PhotoErrors are the upload form's values and faults.
	Photo       map[string]string
	PhotoErrors map[string]string
	Done        string
}

func (s *Site) manageNews(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	page, err := pageParam(r)
	if err != nil {
		return "", err
	}
	const size = 50
	posts, total, err := s.news.NewsPosts(r.Context(), rencontres.NewsFilter{Drafts: true, Limit: size, Offset: (page - 1) * size})
	if err != nil {
		return "", err
	}
	p.Title, p.Nav = p.P.T("news_manage.title"), "news"
	p.Data = NewsManage{Posts: posts, Page: page, Pages: max(1, (total+size-1)/size), Total: total, Done: r.URL.Query().Get("done")}
	return "news_manage", nil
}

// newsFormPage fills what every rendering of the form needs.
func (s *Site) newsFormPage(r *http.Request, p *Page, d *NewsForm) (string, error) {
	events, err := s.events.Events(r.Context(), rencontres.EventFilter{})
	if err != nil {
		return "", err
	}
	slices.Reverse(events)
	d.Events = events
	for _, m := range []*map[string]string{&d.Form, &d.Errors, &d.Photo, &d.PhotoErrors} {
		if *m == nil {
			*m = map[string]string{}
		}
	}
	if d.Chosen == nil {
		d.Chosen = map[int64]bool{}
	}
	p.Title, p.Nav, p.Data = p.P.T("news_form.new_title"), "news", d
	if d.Post != nil {
		p.Title = p.P.T("news_form.edit_title")
		if err := s.loadNewsOrgs(r.Context(), p, d.Post); err != nil {
			return "", err
		}
	}
	return "news_form", nil
}

func (s *Site) newNewsPost(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.newsFormPage(r, p, &NewsForm{})
}

// manageNewsFromPath reads the post the path names, draft or not.
func (s *Site) manageNewsFromPath(r *http.Request) (*rencontres.NewsPost, error) {
	id, err := strconv.ParseInt(r.PathValue("post"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("news post")
	}
	return s.news.NewsPost(r.Context(), id)
}

// newsFields are a post's values as the form shows them.
func newsFields(p *Page, post *rencontres.NewsPost) (map[string]string, map[int64]bool) {
	f := map[string]string{}
	for _, l := range rencontres.Langs {
		f["title_"+string(l)], f["body_"+string(l)] = post.Title[l], post.Body[l]
	}
	var orgs []string
	for _, k := range post.OrgKeys {
		if o := p.orgs[k]; o != nil {
			orgs = append(orgs, p.OrgLabel(o))
		} else {
			orgs = append(orgs, k)
		}
	}
	f["organisations"] = strings.Join(orgs, "\n")
	chosen := map[int64]bool{}
	for _, e := range post.Events {
		chosen[e.ID] = true
	}
	return f, chosen
}

func (s *Site) editNewsPost(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	post, err := s.manageNewsFromPath(r)
	if err != nil {
		return "", err
	}
	if err := s.loadNewsOrgs(r.Context(), p, post); err != nil {
		return "", err
	}
	d := &NewsForm{Post: post, Done: r.URL.Query().Get("done")}
	d.Form, d.Chosen = newsFields(p, post)
	return s.newsFormPage(r, p, d)
}

func (s *Site) createNewsPost(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.saveNewsPost(w, r, p, nil)
}

func (s *Site) updateNewsPost(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	post, err := s.manageNewsFromPath(r)
	if err != nil {
		return "", err
	}
	return s.saveNewsPost(w, r, p, post)
}

// newsErrors puts every fault of err beside its field (title.fr beside
// title_fr), the first one a field has; an error that is no fault of the
// input is returned.
func newsErrors(p *Page, err error, errs map[string]string) error {
	var e *rencontres.Error
	if !errors.As(err, &e) || (e.Code != rencontres.EINVALID && e.Code != rencontres.ECONFLICT) {
		return err
	}
	for _, f := range e.All() {
		k := strings.ReplaceAll(cmpOr(f.Field, "form"), ".", "_")
		if _, done := errs[k]; !done {
			errs[k] = p.P.Error(f)
		}
	}
	p.Status = httpcode.Of(e.Code)
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// saveNewsPost stores the form's post when nothing in it is wrong, and
// shows every fault at once beside its field otherwise.
func (s *Site) saveNewsPost(w http.ResponseWriter, r *http.Request, p *Page, old *rencontres.NewsPost) (string, error) {
	d := &NewsForm{Post: old, Form: map[string]string{}, Errors: map[string]string{}, Chosen: map[int64]bool{}}
	post := &rencontres.NewsPost{Title: formText(r, "title"), Body: formText(r, "body")}
	for _, l := range rencontres.Langs {
		for _, name := range []string{"title_", "body_"} {
			d.Form[name+string(l)] = r.PostFormValue(name + string(l))
		}
	}
	if old != nil {
		post.ID = old.ID
	}
	var errs []error
	var eventIDs []int64
	for _, v := range r.PostForm["events"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "events", Message: "not an id"})
			continue
		}
		eventIDs = append(eventIDs, id)
		d.Chosen[id] = true
	}
	d.Form["organisations"] = r.PostFormValue("organisations")
	var orgFaults []string
	for _, line := range strings.Split(d.Form["organisations"], "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		key, _, err := s.pickOrg(r.Context(), "organisations", line)
		if err != nil {
			if rencontres.ErrorCode(err) != rencontres.EINVALID {
				return "", err
			}
			orgFaults = append(orgFaults, p.P.Error(err))
			continue
		}
		post.OrgKeys = append(post.OrgKeys, key)
	}
	var by int64
	if p.Actor.User != nil {
		by = p.Actor.User.ID
	}
	var err error
	if len(errs) == 0 && len(orgFaults) == 0 {
		err = s.news.SaveNewsPost(r.Context(), post, eventIDs, by)
	} else {
		// Nothing is written when the form could not be read whole; the
		// post's own faults are told with the form's.
		err = rencontres.Join(append(errs, post.Validate())...)
	}
	if err != nil || len(orgFaults) > 0 {
		if len(orgFaults) > 0 {
			d.Errors["organisations"] = strings.Join(orgFaults, " ")
			p.Status = httpcode.Of(rencontres.EINVALID)
		}
		if err != nil {
			if ferr := newsErrors(p, err, d.Errors); ferr != nil {
				return "", ferr
			}
		}
		return s.newsFormPage(r, p, d)
	}
	action, done := "news.update", "saved"
	if old == nil {
		action, done = "news.create", "created"
	}
	s.audit(r, action, "news_post", strconv.FormatInt(post.ID, 10), map[string]any{"title": post.Title[rencontres.French]})
	http.Redirect(w, r, p.Href("/manage/news/"+strconv.FormatInt(post.ID, 10)+"/edit?done="+done), http.StatusSeeOther)
	return "", nil
}

// publishNewsPost publishes a post, now, or makes it a draft again.
func (s *Site) publishNewsPost(publish bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
		post, err := s.manageNewsFromPath(r)
		if err != nil {
			return "", err
		}
		if _, err := s.news.PublishNewsPost(r.Context(), post.ID, publish, time.Now()); err != nil {
			return "", err
		}
		action := "news.unpublish"
		if publish {
			action = "news.publish"
		}
		s.audit(r, action, "news_post", strconv.FormatInt(post.ID, 10), nil)
		http.Redirect(w, r, p.Href("/manage/news/"+strconv.FormatInt(post.ID, 10)+"/edit?done="+strings.TrimPrefix(action, "news.")), http.StatusSeeOther)
		return "", nil
	}
}

func (s *Site) deleteNewsPost(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	post, err := s.manageNewsFromPath(r)
	if err != nil {
		return "", err
	}
	if err := s.news.DeleteNewsPost(r.Context(), post.ID); err != nil {
		return "", err
	}
	s.audit(r, "news.delete", "news_post", strconv.FormatInt(post.ID, 10), map[string]any{"title": post.Title[rencontres.French]})
	http.Redirect(w, r, p.Href("/manage/news?done=deleted"), http.StatusSeeOther)
	return "", nil
}

// photoTexts reads a photo's caption, text alternative and credit.
func photoTexts(r *http.Request, d *NewsForm, ph *rencontres.NewsPhoto, prefix string) {
	ph.Caption, ph.Alt, ph.Credit = formText(r, prefix+"caption"), formText(r, prefix+"alt"), strings.TrimSpace(r.PostFormValue(prefix+"credit"))
	for _, l := range rencontres.Langs {
		for _, name := range []string{"caption_", "alt_"} {
			d.Photo[name+string(l)] = r.PostFormValue(prefix + name + string(l))
		}
	}
	d.Photo["credit"] = ph.Credit
}

// uploadNewsPhoto stores a photo of a post. The file is checked by its
// content, its size in pixels by its header before it is decoded; its
// files carry no metadata.
func (s *Site) uploadNewsPhoto(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	post, err := s.manageNewsFromPath(r)
	if err != nil {
		return "", err
	}
	r.Body = http.MaxBytesReader(w, r.Body, photo.MaxBytes+64<<10)
	d := &NewsForm{Post: post, Photo: map[string]string{}, PhotoErrors: map[string]string{}}
	var data []byte
	var name, declared string
	file, h, ferr := r.FormFile("file")
	if err := rencontres.RefuseNulForm(r.MultipartForm, file); err != nil {
		return "", err
	}
	if ferr == nil {
		defer file.Close()
		name, declared = h.Filename, h.Header.Get("Content-Type")
		if data, err = io.ReadAll(io.LimitReader(file, photo.MaxBytes+1)); err != nil {
			return "", err
		}
	} else {
		var tooBig *http.MaxBytesError
		if errors.As(ferr, &tooBig) {
			return "", errBodyTooLarge
		}
	}
	ph := &rencontres.NewsPhoto{PostID: post.ID}
	photoTexts(r, d, ph, "")
	var by int64
	if p.Actor.User != nil {
		by = p.Actor.User.ID
	}
	if err := s.news.AddNewsPhoto(r.Context(), ph, name, declared, data, by); err != nil {
		if ferr := newsErrors(p, err, d.PhotoErrors); ferr != nil {
			return "", ferr
		}
		if err := s.loadNewsOrgs(r.Context(), p, post); err != nil {
			return "", err
		}
		d.Form, d.Chosen = newsFields(p, post)
		return s.newsFormPage(r, p, d)
	}
	s.audit(r, "news.photo", "news_post", strconv.FormatInt(post.ID, 10), map[string]any{"photo": ph.ID, "name": name})
	http.Redirect(w, r, p.Href("/manage/news/"+strconv.FormatInt(post.ID, 10)+"/edit?done=photo#photos"), http.StatusSeeOther)
	return "", nil
}

// newsPhotoFromPath reads the post and the id of its photo the path names.
func (s *Site) newsPhotoFromPath(r *http.Request) (*rencontres.NewsPost, int64, error) {
	post, err := s.manageNewsFromPath(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil {
		return nil, 0, rencontres.NotFound("photo")
	}
	return post, id, nil
}

// updateNewsPhoto changes a photo's caption, text alternative and credit.
func (s *Site) updateNewsPhoto(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	post, id, err := s.newsPhotoFromPath(r)
	if err != nil {
		return "", err
	}
	d := &NewsForm{Post: post, Photo: map[string]string{}, PhotoErrors: map[string]string{}}
	ph := &rencontres.NewsPhoto{ID: id, PostID: post.ID}
	photoTexts(r, d, ph, "")
	if err := s.news.UpdateNewsPhoto(r.Context(), ph); err != nil {
		errs := map[string]string{}
		if ferr := newsErrors(p, err, errs); ferr != nil {
			return "", ferr
		}
		// The faults go beside the fields of the photo edited.
		for k, v := range errs {
			d.PhotoErrors[strconv.FormatInt(id, 10)+"_"+k] = v
		}
		if err := s.loadNewsOrgs(r.Context(), p, post); err != nil {
			return "", err
		}
		d.Form, d.Chosen = newsFields(p, post)
		d.Photo = map[string]string{}
		return s.newsFormPage(r, p, d)
	}
	s.audit(r, "news.photo_update", "news_post", strconv.FormatInt(post.ID, 10), map[string]any{"photo": id})
	http.Redirect(w, r, p.Href("/manage/news/"+strconv.FormatInt(post.ID, 10)+"/edit?done=photo_saved#photos"), http.StatusSeeOther)
	return "", nil
}

func (s *Site) deleteNewsPhoto(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	post, id, err := s.newsPhotoFromPath(r)
	if err != nil {
		return "", err
	}
	if err := s.news.DeleteNewsPhoto(r.Context(), post.ID, id); err != nil {
		return "", err
	}
	s.audit(r, "news.photo_delete", "news_post", strconv.FormatInt(post.ID, 10), map[string]any{"photo": id})
	http.Redirect(w, r, p.Href("/manage/news/"+strconv.FormatInt(post.ID, 10)+"/edit?done=photo_deleted#photos"), http.StatusSeeOther)
	return "", nil
}
