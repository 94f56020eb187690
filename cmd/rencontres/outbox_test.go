package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// runServer starts the binary with args and returns its address and the
// process, which the caller may kill.
func runServer(t *testing.T, bin string, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && lines.Scan() {
		if i := strings.Index(lines.Text(), "url=http://"); i >= 0 {
			go io.Copy(io.Discard, stderr)
			return strings.TrimSuffix(strings.Fields(lines.Text()[i+4:])[0], "/"), cmd
		}
	}
	t.Fatal("the server did not start")
	return "", nil
}

// A campaign's letters leave through a real SMTP server, over several
// connections at once; the process is killed (SIGKILL) while the server
// holds every conversation from the tenth letter's on (at RCPT TO), once
// the letters accepted before have been recorded; restarted, it sends the
// rest: every letter arrives exactly once.
// On SQLite the restarted process takes back what the dead one was sending;
// on PostgreSQL, when its lease ends.
func TestOutboxSurvivesKill(t *testing.T) {
	bin := testBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		data := t.TempDir()
		killMidCampaign(t, bin, []string{"--data", data}, []string{"--data", data})
	})
	t.Run("postgres", func(t *testing.T) {
		db := storetest.NewPostgresDB(t)
		killMidCampaign(t, bin, []string{"--db", db, "--data", t.TempDir(), "--mail-lease", "2s"}, []string{"--db", db})
	})
}

func killMidCampaign(t *testing.T, bin string, serve, cli []string) {
	const recipients, killAt = 30, 10
	sink, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	var mu sync.Mutex
	seen := 0
	held := make(chan struct{})
	release := make(chan struct{})
	var holding sync.Once
	sink.Hold(func(to string) {
		mu.Lock()
		seen++
		n := seen
		mu.Unlock()
		if n >= killAt {
			holding.Do(func() { close(held) })
			<-release
		}
	})
	smtp := []string{"--smtp-host", "127.0.0.1", "--smtp-port", fmt.Sprint(sink.Port), "--smtp-tls", "none", "--mail-rate", "0"}
	base, proc := runServer(t, bin, append(append([]string{"--demo"}, serve...), smtp...)...)

	ctx := context.Background()
	token := adminToken(t, "kill@example.org", cli...)
	// The contacts, written by this process beside the server.
	dbURL, dataDir := "", ""
	for i := 0; i+1 < len(cli); i += 2 {
		switch cli[i] {
		case "--db":
			dbURL = cli[i+1]
		case "--data":
			dataDir = cli[i+1]
		}
	}
	st, err := store.Open(ctx, dbURL, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	orgs := []string{"fr-13001", "fr-54395", "fr-37261", "fr-06029", "jp-431001", "jp-221007", "jp-372013", "jp-281000"}
	for i := range recipients {
		u := &rencontres.User{Email: fmt.Sprintf("contact%02d@example.org", i), Name: fmt.Sprintf("Camille NUMÉRO%02d", i), Function: "Chargée de mission",
			Lang: rencontres.French, Role: rencontres.AuthorityContact}
		if err := st.InviteUser(ctx, u, orgs[i%len(orgs)]); err != nil {
			t.Fatal(err)
		}
	}
	events, err := st.Events(ctx, rencontres.EventFilter{Kind: rencontres.CommitteeMeeting})
	if err != nil || len(events) == 0 {
		t.Fatalf("meetings: %v", err)
	}
	st.Close()
	call := func(method, path string, body any) (int, []byte) { return callAPI(t, token, method, base+path, body) }
	letters := map[string]any{"fr": map[string]any{"lang": "fr", "place": "Paris", "subject": "Invitation à la {{meeting.title}}",
		"body": "Nous avons le plaisir de vous inviter à la {{meeting.title}}, {{meeting.day}}.", "closing": "Avec nos salutations cordiales."}}
	code, b := call("POST", "/api/v1/campaigns", map[string]any{"event_id": events[0].ID, "name": "Test de reprise", "letters": letters,
		"filter": map[string]any{"organisations": orgs}})
	if code != 201 {
		t.Fatalf("campaign: %d %s", code, b)
	}
	var c struct{ ID int64 }
	json.Unmarshal(b, &c)
	if code, b := call("POST", fmt.Sprintf("/api/v1/campaigns/%d/send", c.ID), map[string]any{"confirm_past": true}); code != 202 {
		t.Fatalf("send: %d %s", code, b)
	}

	select {
	case <-held:
	case <-time.After(60 * time.Second):
		t.Fatalf("the tenth letter never reached the SMTP server (%d did)", len(sink.Received()))
	}
	// The letters past RCPT TO on the other connections when the tenth
	// was held finish, and are recorded, meanwhile.
	time.Sleep(time.Second)
	before := len(sink.Received())
	proc.Process.Signal(syscall.SIGKILL)
	proc.Wait()
	close(release) // the held conversations are gone: nothing more was sent
	if before < killAt-1 || before > killAt-1+mail.DefaultConns || len(sink.Received()) != before {
		t.Fatalf("%d letters accepted before the kill and %d after, want %d to %d and none after", before, len(sink.Received())-before, killAt-1, killAt-1+mail.DefaultConns)
	}

	base, _ = runServer(t, bin, append(serve, smtp...)...)
	ids := map[string]int{}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		clear(ids)
		for _, m := range sink.Received() {
			ids[m.Header.Get("Message-Id")]++
		}
		if len(ids) == recipients {
			break
		}
	}
	time.Sleep(500 * time.Millisecond) // a duplicate would arrive now
	clear(ids)
	for _, m := range sink.Received() {
		ids[m.Header.Get("Message-Id")]++
	}
	if len(ids) != recipients || len(sink.Received()) != recipients {
		t.Fatalf("%d letters received, %d distinct, want %d once each", len(sink.Received()), len(ids), recipients)
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s received %d times", id, n)
		}
	}
	code, b = call("GET", fmt.Sprintf("/api/v1/campaigns/%d/recipients", c.ID), nil)
	var list struct{ Counts map[string]int }
	json.Unmarshal(b, &list)
	if code != 200 || list.Counts["sent"] != recipients {
		t.Errorf("states after the restart: %d %v", code, list.Counts)
	}
}
