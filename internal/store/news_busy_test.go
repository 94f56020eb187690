package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// holdGate takes every slot of photo.DefaultGate until the returned
// function is called (once or more).
func holdGate(t *testing.T) func() {
	t.Helper()
	release := make(chan struct{})
	var inside, done sync.WaitGroup
	for range photo.DefaultGate.Size() {
		inside.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			if err := photo.DefaultGate.Do(context.Background(), func() error { inside.Done(); <-release; return nil }); err != nil {
				t.Error(err)
			}
		}()
	}
	inside.Wait()
	var once sync.Once
	return func() { once.Do(func() { close(release); done.Wait() }) }
}

// An upload whose turn does not come while its request lasts is refused
// as busy, in the reader's language, and nothing of it is saved.
func TestNewsPhotoWaitsItsTurn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p := &rencontres.NewsPost{Title: rencontres.Text{"fr": "Le COPIL", "ja": "運営委員会"}, Body: rencontres.Text{"fr": "Texte.", "ja": "本文。"}}
		if err := s.SaveNewsPost(ctx, p, nil, 0); err != nil {
			t.Fatal(err)
		}
		release := holdGate(t)
		defer release()
		wait, cancel := context.WithCancel(ctx)
		got := make(chan error, 1)
		ph := &rencontres.NewsPhoto{PostID: p.ID, Alt: rencontres.Text{"fr": "Le comité", "ja": "委員会"}}
		go func() {
			got <- s.AddNewsPhoto(wait, ph, "a.jpg", "image/jpeg", phototest.JPEGWithGPS(800, 600, 1), 0)
		}()
		for _, _, waiting := photo.DefaultGate.Stats(); waiting == 0; _, _, waiting = photo.DefaultGate.Stats() {
			time.Sleep(time.Millisecond)
		}
		cancel()
		err := <-got
		wantError(t, "a cancelled wait", err, rencontres.EUNAVAILABLE, "file", "error.photo_busy")
		if post, err := s.NewsPost(ctx, p.ID); err != nil || len(post.Photos) != 0 {
			t.Errorf("after a cancelled wait: %d photos, %v", len(post.Photos), err)
		}
		release()
		// Its turn come, the same upload is saved.
		if err := s.AddNewsPhoto(ctx, ph, "a.jpg", "image/jpeg", phototest.JPEGWithGPS(800, 600, 1), 0); err != nil {
			t.Fatal(err)
		}
	})
}
