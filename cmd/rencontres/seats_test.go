package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/store/storetest"
)

// startServer runs the binary with args until the test ends and returns
// its address.
func startServer(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && lines.Scan() {
		if i := strings.Index(lines.Text(), "url=http://"); i >= 0 {
			go io.Copy(io.Discard, stderr)
			return strings.TrimSuffix(strings.Fields(lines.Text()[i+4:])[0], "/")
		}
	}
	t.Fatal("the server did not start")
	return ""
}

// Two server processes sharing one PostgreSQL take two hundred
// registrations at once for a workshop of thirty: thirty seats, whichever
// process each submission reached.
func TestTwoProcessesShareSeats(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	db := storetest.NewPostgresDB(t)
	bin := filepath.Join(t.TempDir(), "rencontres")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	first := startServer(t, bin, "--db", db, "--demo")
	second := startServer(t, bin, "--db", db)
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	if status := run(ctx, []string{"admin", "create", "--email", "seats@example.org", "--db", db}, &stdout, &stderr); status != 0 {
		t.Fatal(stderr.String())
	}
	stdout.Reset()
	if status := run(ctx, []string{"token", "create", "--email", "seats@example.org", "--db", db}, &stdout, &stderr); status != 0 {
		t.Fatal(stderr.String())
	}
	token := strings.TrimSpace(stdout.String())
	call := func(base, method, path string, body any, v any) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		defer resp.Body.Close()
		if v != nil {
			json.NewDecoder(resp.Body).Decode(v)
		}
		return resp.StatusCode
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
}
