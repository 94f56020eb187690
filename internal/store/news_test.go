package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func TestNewsPosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		author := newUser(t, s, "secretariat@example.org", rencontres.Secretariat)
		d := func(v string) rencontres.Date { x, _ := rencontres.ParseDate(v); return x }
		copil := &rencontres.Event{Kind: rencontres.OtherMeeting, Title: rencontres.Text{"fr": "COPIL mixte", "ja": "日仏合同運営委員会"},
			Venue: rencontres.Text{"fr": "Hôtel de ville d’Aix-en-Provence"}, TimeZone: "Europe/Paris", Start: d("2019-11-06"), End: d("2019-11-06"), Status: rencontres.Held}
		if err := s.SaveEvent(ctx, copil, nil); err != nil {
			t.Fatal(err)
		}

		// Without its Japanese title and body, nothing is saved, and both
		// faults are told at once with the unknown authority.
		bad := &rencontres.NewsPost{Title: rencontres.Text{"fr": "Le COPIL mixte à Aix"}, Body: rencontres.Text{"fr": "Texte."}, OrgKeys: []string{"fr-99999"}}
		err := s.SaveNewsPost(ctx, bad, []int64{copil.ID, 987654}, author.ID)
		got := faults(t, err)
		for _, f := range []string{"title.ja", "body.ja", "organisations", "events"} {
			if got[f] == nil {
				t.Errorf("no fault on %s in %v", f, err)
			}
		}
		if _, n, _ := s.NewsPosts(ctx, rencontres.NewsFilter{Drafts: true}); n != 0 {
			t.Fatalf("%d posts after a refused save, want 0", n)
		}

		p := &rencontres.NewsPost{Title: rencontres.Text{"fr": " Le COPIL mixte à Aix ", "ja": "エクスで日仏合同運営委員会", "en": ""},
			Body: rencontres.Text{"fr": "Premier paragraphe.\n\nSecond.", "ja": "本文。"}, OrgKeys: []string{"fr-13001", "jp-431001", "fr-13001"}}
		if err := s.SaveNewsPost(ctx, p, []int64{copil.ID}, author.ID); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || !p.IsDraft() || p.Title["fr"] != "Le COPIL mixte à Aix" || p.Title.Has("en") || len(p.OrgKeys) != 2 ||
			len(p.Events) != 1 || p.Events[0].ID != copil.ID || p.Author == "" {
			t.Fatalf("saved %+v", p)
		}
		// A draft is not public.
		if _, n, _ := s.NewsPosts(ctx, rencontres.NewsFilter{}); n != 0 {
			t.Errorf("%d public posts while the only one is a draft", n)
		}

		// Its photo: the location is gone from every file stored.
		ph := &rencontres.NewsPhoto{PostID: p.ID, Alt: rencontres.Text{"fr": "Le comité devant l’hôtel de ville"}, Credit: "Ville d’Aix-en-Provence"}
		err = s.AddNewsPhoto(ctx, ph, "IMG20191106151910.jpg", "image/jpeg", phototest.JPEGWithGPS(1200, 800, 1), author.ID)
		if got := faults(t, err); got["alt.ja"] == nil {
			t.Fatalf("a photo without its Japanese text alternative: %v", err)
		}
		ph.Alt["ja"] = "市庁舎前の委員会"
		err = s.AddNewsPhoto(ctx, ph, "fifty.png", "image/png", phototest.PNGHeader(10000, 5000), author.ID)
		wantError(t, "50 megapixels", err, rencontres.EINVALID, "file", "error.photo_too_many_pixels")
		if err := s.AddNewsPhoto(ctx, ph, "IMG20191106151910.jpg", "image/jpeg", phototest.JPEGWithGPS(1200, 800, 1), author.ID); err != nil {
			t.Fatal(err)
		}
		if len(ph.Widths) != 3 || ph.Widths[2] != 1200 || ph.Width != 1200 || ph.Height != 800 {
			t.Errorf("photo %+v: want files at 480, 960, 1200", ph)
		}
		if _, _, err := s.NewsPhotoFile(ctx, ph.ID, 480, false); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a draft's photo served to the public: %v", err)
		}
		for _, w := range ph.Widths {
			data, sha, err := s.NewsPhotoFile(ctx, ph.ID, w, true)
			if err != nil {
				t.Fatal(err)
			}
			if exif, gps := photo.HasEXIF(data); exif || gps || len(sha) != 64 {
				t.Errorf("file %d: exif %v gps %v sha %q", w, exif, gps, sha)
			}
		}

		at := time.Date(2019, 11, 8, 9, 0, 0, 0, time.UTC)
		if p, err = s.PublishNewsPost(ctx, p.ID, true, at); err != nil || p.Published == nil || !p.Published.Equal(at) {
			t.Fatalf("published %+v, %v", p, err)
		}
		for _, f := range []rencontres.NewsFilter{{}, {EventID: copil.ID}, {OrgKey: "jp-431001"}} {
			list, n, err := s.NewsPosts(ctx, f)
			if err != nil || n != 1 || len(list) != 1 || len(list[0].Photos) != 1 || list[0].Photos[0].Alt["ja"] != "市庁舎前の委員会" {
				t.Errorf("filter %+v: %d posts, %v", f, n, err)
			}
		}
		if _, n, _ := s.NewsPosts(ctx, rencontres.NewsFilter{OrgKey: "fr-54395"}); n != 0 {
			t.Errorf("an authority the post is not attached to lists it")
		}

		// The author's data names the post; their erasure leaves it,
		// without their name.
		if d, err := s.PersonalData(ctx, author.ID); err != nil || len(d.NewsPosts) != 1 || d.NewsPosts[0].ID != p.ID {
			t.Errorf("personal data: %+v, %v", d.NewsPosts, err)
		}
		if err := s.EraseUser(ctx, author.ID); err != nil {
			t.Fatal(err)
		}
		if p, err = s.NewsPost(ctx, p.ID); err != nil || p.Author != "" || len(p.Photos) != 1 {
			t.Errorf("after erasure: %+v, %v", p, err)
		}
		// Unpublished, then deleted with its photos.
		if p, err = s.PublishNewsPost(ctx, p.ID, false, time.Time{}); err != nil || !p.IsDraft() {
			t.Fatalf("unpublished %+v, %v", p, err)
		}
		if err := s.DeleteNewsPost(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.NewsPhotoFile(ctx, ph.ID, 480, true); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a deleted post's photo: %v", err)
		}
	})
}
