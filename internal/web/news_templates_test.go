package web

import (
	"context"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// newsSamples are the samples of the news pages, over the demo's post.
func (x *sampler) newsSamples() map[string][]sample {
	s := x.site
	post := func(t *testing.T) string {
		t.Helper()
		list, _, err := x.st.NewsPosts(context.Background(), rencontres.NewsFilter{})
		if err != nil || len(list) == 0 {
			t.Fatalf("the demo has no published post: %v", err)
		}
		return id(list[0].ID)
	}
	return map[string][]sample{
		"news_list": {{role: rencontres.Public, fill: func(t *testing.T, p *Page) { x.run(t, p, s.newsList, "/news") }}},
		"news_post": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { x.run(t, p, s.newsPost, "/news/"+post(t), "post", post(t)) }},
			// A draft, as the secretariat sees it, with a second photo.
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.newsPost, "/news/"+post(t), "post", post(t))
				d := p.Data.(NewsPostPage)
				draft := *d.Post
				draft.Published = nil
				draft.Photos = append(draft.Photos, draft.Photos[0])
				p.Data = NewsPostPage{Post: &draft}
			}},
		},
		"news_manage": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.manageNews, "/manage/news?done=deleted") }}},
		"news_form": {
			// A post with every field and every photo field at fault.
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.editNewsPost, "/manage/news/"+post(t)+"/edit?done=saved", "post", post(t))
				d := p.Data.(*NewsForm)
				d.Errors = errorsOn(p, d.Form, "events")
				ph := d.Post.Photos[0]
				d.Photo = map[string]string{"alt_fr": "Le comité", "alt_ja": "委員会", "credit": "Ville"}
				d.PhotoErrors = errorsOn(p, d.Photo, "file", id(ph.ID)+"_alt_ja", id(ph.ID)+"_caption_fr")
			}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.newNewsPost, "/manage/news/new") },
				empty: []string{"Post", "Errors", "Form", "Chosen", "Photo", "PhotoErrors"}},
		},
	}
}
