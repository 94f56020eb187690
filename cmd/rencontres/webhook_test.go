package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/rencontres/rencontres/internal/webhook"
)

// Eight registrations are told to a real HTTP receiver that checks every
// signature; the process is killed (SIGKILL) while the receiver holds the
// fourth delivery; restarted, it sends that one again with the same
// webhook-id, and every other exactly once. On SQLite the restarted
// process takes back what the dead one was sending; on PostgreSQL, when
// its lease ends.
func TestWebhooksSurviveKill(t *testing.T) {
	bin := testBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		data := t.TempDir()
		killMidDelivery(t, bin, []string{"--data", data}, []string{"--data", data})
	})
	t.Run("postgres", func(t *testing.T) {
		db := storetest.NewPostgresDB(t)
		killMidDelivery(t, bin, []string{"--db", db, "--data", t.TempDir(), "--mail-lease", "2s"}, []string{"--db", db})
	})
}

func killMidDelivery(t *testing.T, bin string, serve, cli []string) {
	const people, holdAt = 8, 4
	var (
		mu      sync.Mutex
		secret  string
		got     = map[string]int{}
		bad     []string
		held    = make(chan string)
		release = make(chan struct{})
		holding sync.Once
	)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		if err := webhook.Verify(secret, r.Header, body, time.Now()); err != nil {
			bad = append(bad, err.Error())
			mu.Unlock()
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		id := r.Header.Get("webhook-id")
		got[id]++
		n := len(got)
		mu.Unlock()
		if n == holdAt && got[id] == 1 {
			holding.Do(func() { held <- id; <-release })
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()
	defer close(release)

	flags := append([]string{"--webhooks-allow-private"}, serve...)
	base, proc := runServer(t, bin, append([]string{"--demo"}, flags...)...)
	token := adminToken(t, "hooks@example.org", cli...)
	call := func(method, path string, body any, v any) int {
		t.Helper()
		code, b := callAPI(t, token, method, base+path, body)
		if v != nil {
			json.Unmarshal(b, v)
		}
		return code
	}
	var hook struct {
		ID     int64
		Secret string
	}
	if code := call("POST", "/api/v1/webhooks", map[string]any{"url": rc.URL + "/hooks", "event_types": []string{"registration.created"}}, &hook); code != 201 {
		t.Fatalf("webhook: %d", code)
	}
	mu.Lock()
	secret = hook.Secret
	mu.Unlock()
	var events struct {
		Events []struct {
			ID     int64
			Series string
			Number int
		}
	}
	call("GET", "/api/v1/events?kind=edition", nil, &events)
	var id int64
	for _, e := range events.Events {
		if e.Series == "rencontres-franco-japonaises" && e.Number == 9 {
			id = e.ID
		}
	}
	path := fmt.Sprintf("/api/v1/events/%d", id)
	if code := call("PUT", path, map[string]any{"kind": "edition", "time_zone": "Europe/Paris", "start": "2026-10-12", "end": "2026-10-15", "status": "planned"}, nil); code != 200 {
		t.Fatalf("dates: %d", code)
	}
	if code := call("PUT", path+"/registration-form", map[string]any{"opens": time.Now().Add(-time.Hour), "deadline": time.Now().Add(time.Hour)}, nil); code != 200 {
		t.Fatalf("form: %d", code)
	}
	for i := range people {
		body := map[string]any{"organisation": "jp-431001", "given_name": "P", "family_name": fmt.Sprintf("N%02d", i),
			"email": fmt.Sprintf("hook%02d@example.org", i), "lang": "ja"}
		if code := call("POST", path+"/registrations", body, nil); code != 201 {
			t.Fatalf("registration %d: %d", i, code)
		}
	}
	var heldID string
	select {
	case heldID = <-held:
	case <-time.After(60 * time.Second):
		t.Fatalf("the fourth delivery never came (%d did)", len(got))
	}
	// The deliveries answered meanwhile are recorded; then the kill.
	time.Sleep(time.Second)
	proc.Process.Signal(syscall.SIGKILL)
	proc.Wait()

	runServer(t, bin, flags...)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		mu.Lock()
		done := len(got) == people && got[heldID] == 2
		mu.Unlock()
		if done {
			break
		}
	}
	time.Sleep(500 * time.Millisecond) // a repeat would arrive now
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Errorf("signatures refused: %v", bad)
	}
	if len(got) != people {
		t.Fatalf("%d distinct deliveries, want %d", len(got), people)
	}
	for id, n := range got {
		want := 1
		if id == heldID {
			want = 2 // cut off by the kill, then sent again with its id
		}
		if n != want {
			t.Errorf("%s received %d times, want %d", id, n, want)
		}
	}
}
