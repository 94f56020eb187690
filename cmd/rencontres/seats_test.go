package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// startServer runs the binary with args, in a data folder of its own,
// until the test ends and returns its address.
func startServer(t *testing.T, bin string, args ...string) string {
	t.Helper()
	url, _ := runServer(t, bin, append([]string{"--data", t.TempDir()}, args...)...)
	return url
}

// adminToken makes a secretariat account and an API token for it through
// the command, on the database the flags name, and returns the token.
func adminToken(t *testing.T, email string, flags ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if status := run(context.Background(), append([]string{"admin", "create", "--email", email}, flags...), &stdout, &stderr); status != 0 {
		t.Fatal(stderr.String())
	}
	stdout.Reset()
	if status := run(context.Background(), append([]string{"token", "create", "--email", email}, flags...), &stdout, &stderr); status != 0 {
		t.Fatal(stderr.String())
	}
	return strings.TrimSpace(stdout.String())
}

// callAPI sends body as JSON with the token and returns the status and
// the answer; a request that cannot be sent is an error of the test.
func callAPI(t *testing.T, token, method, url string, body any) (int, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// Two server processes sharing one PostgreSQL take two hundred
// registrations at once for a workshop of thirty: thirty seats, whichever
// process each submission reached; and the two hundred confirmations leave
// once each through the SMTP server, whichever process sent them.
func TestTwoProcessesShareSeats(t *testing.T) {
	bin := testBinary(t)
	db := storetest.NewPostgresDB(t)
	sink, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	smtp := []string{"--smtp-host", "127.0.0.1", "--smtp-port", fmt.Sprint(sink.Port), "--smtp-tls", "none", "--mail-rate", "0"}
	first := startServer(t, bin, append([]string{"--db", db, "--demo"}, smtp...)...)
	second := startServer(t, bin, append([]string{"--db", db}, smtp...)...)
	token := adminToken(t, "seats@example.org", "--db", db)
	call := func(base, method, path string, body any, v any) int {
		t.Helper()
		code, b := callAPI(t, token, method, base+path, body)
		if v != nil {
			json.Unmarshal(b, v)
		}
		return code
	}
	var events struct {
		Events []struct {
			ID     int64
			Series string
			Number int
		}
	}
	call(first, "GET", "/api/v1/events?kind=edition", nil, &events)
	var id int64
	for _, e := range events.Events {
		if e.Series == "rencontres-franco-japonaises" && e.Number == 9 {
			id = e.ID
		}
	}
	path := fmt.Sprintf("/api/v1/events/%d", id)
	if code := call(first, "PUT", path, map[string]any{"kind": "edition", "time_zone": "Europe/Paris", "start": "2026-10-12", "end": "2026-10-15", "status": "planned"}, nil); code != 200 {
		t.Fatalf("dates: %d", code)
	}
	var ws struct{ ID int64 }
	if code := call(first, "POST", path+"/sessions", map[string]any{"kind": "workshop", "title": map[string]string{"fr": "Atelier"},
		"start": "2026-10-13T10:00:00+02:00", "end": "2026-10-13T12:00:00+02:00", "capacity": 30}, &ws); code != 201 {
		t.Fatalf("session: %d", code)
	}
	if code := call(second, "PUT", path+"/registration-form", map[string]any{"opens": time.Now().Add(-time.Hour), "deadline": time.Now().Add(time.Hour), "max_choices": 1}, nil); code != 200 {
		t.Fatalf("form: %d", code)
	}
	orgs := []string{"fr-13001", "fr-54395", "jp-431001", "jp-221007"}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := []string{first, second}[i%2]
			body := map[string]any{"organisation": orgs[i%len(orgs)], "given_name": "P", "family_name": fmt.Sprintf("N%03d", i),
				"email": fmt.Sprintf("p%03d@example.org", i), "lang": "fr", "choices": []int64{ws.ID}}
			if code := call(base, "POST", path+"/registrations", body, nil); code != 201 {
				t.Errorf("registration %d: %d", i, code)
			}
		}()
	}
	wg.Wait()
	var list struct {
		Counts struct {
			Event    struct{ Confirmed, Waitlisted int }
			Sessions map[string]struct{ Confirmed, Waitlisted int }
		}
	}
	call(second, "GET", path+"/registrations", nil, &list)
	got := list.Counts.Sessions[fmt.Sprint(ws.ID)]
	if list.Counts.Event.Confirmed != 200 || got.Confirmed != 30 || got.Waitlisted != 170 {
		t.Errorf("counts = %+v, want 200 at the event, 30 seats and 170 waiting at the workshop", list.Counts)
	}
	seen := map[string]int{}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && len(seen) < 200; time.Sleep(100 * time.Millisecond) {
		clear(seen)
		for _, m := range sink.Received() {
			if strings.HasPrefix(m.Header.Get("X-Rencontres-Kind"), "registration-registered") {
				seen[m.Header.Get("Message-Id")]++
			}
		}
	}
	if len(seen) != 200 {
		t.Errorf("%d confirmations received, want 200", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("confirmation %s received %d times", id, n)
		}
	}
}
