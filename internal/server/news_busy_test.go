package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// While every slot of the photo gate stays taken, an upload that waits
// past the gate's bound is answered 503 with Retry-After and a message in
// the reader's language, by the site and by the API, and nothing is
// saved; once a slot is free the same upload goes through.
func TestPhotoUploadBusy(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	sec := rencontres.Secretariat
	code, b, _ := f.call(t, sec, "POST", "/api/v1/news", map[string]any{"title": map[string]string{"fr": "Atelier", "ja": "分科会"},
		"body": map[string]string{"fr": "Texte", "ja": "本文"}})
	var post struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(b, &post); code != 201 || post.ID == 0 {
		t.Fatalf("create: %d %s", code, b)
	}
	release := make(chan struct{})
	var inside, done sync.WaitGroup
	for range photo.DefaultGate.Size() {
		inside.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			photo.DefaultGate.Do(context.Background(), func() error { inside.Done(); <-release; return nil })
		}()
	}
	inside.Wait()
	var once sync.Once
	free := func() { once.Do(func() { close(release); done.Wait() }) }
	defer free()
	photo.DefaultGate.SetMaxWait(time.Millisecond)
	defer photo.DefaultGate.SetMaxWait(30 * time.Second)

	form, ct := photoForm(t, "atelier.png", "image/png", phototest.PNG(640, 480), "alt_fr", "Atelier", "alt_ja", "分科会")
	path := fmt.Sprintf("/api/v1/news/%d/photos?lang=ja", post.ID)
	code, b, h := f.call(t, sec, "POST", path, form, "Content-Type", ct)
	var e struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	json.Unmarshal(b, &e)
	if code != 503 || h.Get("Retry-After") != "10" || e.Error.Code != "unavailable" || e.Error.Field != "file" || !strings.Contains(e.Error.Message, "写真を処理中") {
		t.Errorf("API upload with the gate full: %d, Retry-After %q, %s", code, h.Get("Retry-After"), b)
	}
	code, b, h = f.call(t, sec, "POST", fmt.Sprintf("/fr/manage/news/%d/photos", post.ID), form, "Content-Type", ct)
	if code != 503 || h.Get("Retry-After") != "10" || !strings.Contains(string(b), "Trop de photos sont en cours de traitement") {
		t.Errorf("site upload with the gate full: %d, Retry-After %q", code, h.Get("Retry-After"))
	}
	if p, err := f.st.NewsPost(context.Background(), post.ID); err != nil || len(p.Photos) != 0 {
		t.Fatalf("refused uploads saved %d photos (%v)", len(p.Photos), err)
	}
	free()
	if code, b, _ := f.call(t, sec, "POST", path, form, "Content-Type", ct); code != 201 {
		t.Errorf("the same upload with a slot free: %d %s", code, b)
	}
}
