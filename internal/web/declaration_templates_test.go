package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

var (
	declMu       sync.Mutex
	declFixtures = map[*sampler]*rencontres.Declaration{}
)

// declaration starts the sampler's declaration on the 7th edition once: a
// preamble, two articles (one edited in French alone, so marked to check
// in Japanese and English), a paragraph in French only, a deleted one.
func (x *sampler) declaration(t *testing.T) *rencontres.Declaration {
	t.Helper()
	declMu.Lock()
	defer declMu.Unlock()
	if d := declFixtures[x]; d != nil {
		return d
	}
	ctx := context.Background()
	by := x.actors[rencontres.Secretariat].User.ID
	now := time.Now()
	// The 8th edition: the 7th holds the demo's adopted declaration.
	eighth, err := x.st.Edition(ctx, "rencontres-franco-japonaises", 8)
	if err != nil {
		t.Fatal(err)
	}
	d := &rencontres.Declaration{EditionID: eighth.ID, Segments: []*rencontres.Segment{
		{Kind: rencontres.SegmentPreamble, Text: rencontres.Text{"fr": "Nous, collectivités réunies,", "ja": "我々自治体は、"}},
		{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Renforcer les échanges.", "ja": "交流を強化する。", "en": "Strengthen exchanges."}},
		{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Partager les pratiques.", "ja": "事例を共有する。"}},
		{Kind: rencontres.SegmentParagraph, Text: rencontres.Text{"fr": "Un paragraphe à traduire."}},
	}}
	if err := x.st.StartDeclaration(ctx, d, by, now); err != nil {
		t.Fatal(err)
	}
	sg := d.Segments[1]
	sg.Text = rencontres.Text{"fr": "Renforcer durablement les échanges.", "ja": sg.Text["ja"], "en": sg.Text["en"]}
	if err := x.st.SaveSegment(ctx, d.ID, sg, 0, by, now); err != nil {
		t.Fatal(err)
	}
	del := d.Segments[2]
	if err := x.st.DeleteSegment(ctx, d.ID, del.ID, del.Version, by, now); err != nil {
		t.Fatal(err)
	}
	opens, closes := now, now.Add(72*time.Hour)
	if err := x.st.SetAmendmentPeriod(ctx, d.ID, &opens, &closes, now); err != nil {
		t.Fatal(err)
	}
	declFixtures[x] = d
	return d
}

// declarationSamples are the samples of the draft's pages.
func (x *sampler) declarationSamples() map[string][]sample {
	s := x.site
	return map[string][]sample{
		"declaration_start": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			e, err := x.st.Event(context.Background(), x.edition)
			if err != nil {
				t.Fatal(err)
			}
			form := map[string]string{"title_fr": "Déclaration de Nancy", "title_ja": "ナンシー宣言", "title_en": ""}
			if _, err := s.startForm(p, &DeclStart{Event: e, Form: form, Errors: errorsOn(p, nil, "title", "edition")}); err != nil {
				t.Fatal(err)
			}
		}}},
		"declaration_draft": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				d := x.declaration(t)
				x.run(t, p, s.declarationPage, "/declarations/"+id(d.ID)+"?done=saved", "declaration", id(d.ID))
				pg := p.Data.(*DraftPage)
				pg.Errors = errorsOn(p, nil, "period_opens", "period_closes", "period_form", "new_kind")
				// a conflicting save of the first article
				row := pg.Rows[1]
				theirs := *row.Seg
				theirs.Text = rencontres.Text{"fr": "Le texte de l’autre.", "ja": "他の人の本文。"}
				row.Theirs = &theirs
				row.Errors = errorsOn(p, nil, "text_fr", "text_ja", "text_en")
				s.finish(p, row, d.ID, "draft")
			}},
			// a participant reads it
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				d := x.declaration(t)
				got, err := x.st.Declaration(context.Background(), d.ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.draftPage(httpGet("/declarations/"+id(d.ID)), p, got, false, nil, nil); err != nil {
					t.Fatal(err)
				}
			}, empty: []string{"Errors", "Period"}},
		},
		"declaration_segment": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				d := x.declaration(t)
				sg := d.Segments[1]
				x.run(t, p, s.segmentPage, "/declarations/"+id(d.ID)+"/segments/"+id(sg.ID), "declaration", id(d.ID), "segment", id(sg.ID))
			}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				d := x.declaration(t)
				sg := d.Segments[2]
				x.run(t, p, s.segmentPage, "/declarations/"+id(d.ID)+"/segments/"+id(sg.ID), "declaration", id(d.ID), "segment", id(sg.ID))
			}},
		},
		"declaration_history": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			d := x.declaration(t)
			x.run(t, p, s.declarationHistory, "/declarations/"+id(d.ID)+"/history?done=restored", "declaration", id(d.ID))
		}}},
		"declaration_at": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			d := x.declaration(t)
			x.run(t, p, s.declarationAt, "/declarations/"+id(d.ID)+"/history/5", "declaration", id(d.ID), "rev", "5")
		}}},
	}
}

// httpGet is a GET request of target, for handlers' helpers.
func httpGet(target string) *http.Request { return httptest.NewRequest("GET", "/fr"+target, nil) }
