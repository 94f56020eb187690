package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Every mistake on the command line gives one line on stderr, no stack
// trace, and a non-zero status.
func TestBadInvocations(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"serve", "--port", "80"}, 2, "flag provided but not defined: -port"},
		{[]string{"serve", "--addr"}, 2, "flag needs an argument: -addr"},
		{[]string{"serve", "--demo=maybe"}, 2, "invalid boolean value"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "--mail-rate", "-1"}, 2, "-mail-rate must be 0 (no limit) or more"},
		{[]string{"serve", "--mail-lease", "0s"}, 2, "-mail-lease must be a second or more"},
		{[]string{"serve", "--log-format", "xml"}, 2, `--log-format "xml": want text or json`},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--metrics-addr", "256.0.0.1:99999"}, 1, "metrics: listen on"},
		{[]string{"serve", "--smtp-tls", "maybe"}, 1, `-smtp-tls "maybe": want starttls, tls or none`},
		{[]string{"serve", "--smtp-connections", "99"}, 1, `-smtp-connections 99: want a number from 1 to 32`},
		{[]string{"serve", "--mail-from", "nobody"}, 1, `-mail-from "nobody": want an address`},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"backup"}, 2, "backup: --to FILE is required"},
		{[]string{"restore"}, 2, "restore: want a backup file"},
		{[]string{"restore", file, "--data", t.TempDir()}, 1, "not a Rencontres backup"},
		{[]string{"copy", "--from", "sqlite:" + file}, 2, "--from URL and --to URL are both required"},
		{[]string{"migrate", "--db", "mysql://root@localhost/x"}, 1, "want postgres://… or sqlite:PATH"},
		{[]string{"migrate", "--db", "postgres://%zz"}, 1, "malformed"},
		{[]string{"migrate", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"}, 1, "does not answer"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(file, "sub")}, 1, "data folder"},
		{[]string{"migrate", "--data", filepath.Join(file, "sub")}, 1, "data folder"},
		{[]string{"serve", "--addr", "256.0.0.1:99999", "--data", t.TempDir()}, 1, "listen on"},
	} {
		var stdout, stderr bytes.Buffer
		status := run(context.Background(), tc.args, &stdout, &stderr)
		if status != tc.status {
			t.Errorf("%v: status %d, want %d (stderr %q)", tc.args, status, tc.status, stderr.String())
		}
		msg := stderr.String()
		if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") {
			t.Errorf("%v: stderr is not one line: %q", tc.args, msg)
		}
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, msg, tc.want)
		}
		if strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
			t.Errorf("%v: stderr shows a stack trace", tc.args)
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"version"}, {"serve", "-h"}} {
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), args, &stdout, &stderr); status != 0 {
			t.Errorf("%v: status %d, stderr %q", args, status, stderr.String())
		}
		if stdout.Len() == 0 {
			t.Errorf("%v: printed nothing", args)
		}
	}
}

func TestMigrateTwice(t *testing.T) {
	dir := t.TempDir()
	latest := latestMigration(t)
	for i, want := range []string{fmt.Sprintf("schema now at version %d", latest), fmt.Sprintf("schema up to date at version %d", latest)} {
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), []string{"migrate", "--data", dir}, &stdout, &stderr); status != 0 {
			t.Fatalf("migrate %d: status %d: %s", i+1, status, stderr.String())
		}
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("migrate %d: %q, want %q", i+1, stdout.String(), want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "rencontres.db")); err != nil {
		t.Errorf("no SQLite file in the data folder: %v", err)
	}
}

// latestMigration is the newest schema version the binary knows.
func latestMigration(t *testing.T) int64 {
	t.Helper()
	st := storetest.SQLite(t)
	_, latest, err := st.SchemaVersion(context.Background())
	if err != nil || latest < 1 {
		t.Fatalf("schema version: %d, %v", latest, err)
	}
	return latest
}

func TestMigratePostgres(t *testing.T) {
	url := storetest.NewPostgresDB(t)
	var stdout, stderr bytes.Buffer
	if status := run(context.Background(), []string{"migrate", "--db", url}, &stdout, &stderr); status != 0 {
		t.Fatalf("status %d: %s", status, stderr.String())
	}
	if !strings.Contains(stdout.String(), "PostgreSQL") || !strings.Contains(stdout.String(), fmt.Sprintf("version %d", latestMigration(t))) {
		t.Errorf("migrate said %q", stdout.String())
	}
}

// The real binary serves the demo data, answers /healthz, and stops cleanly
// on SIGTERM; started twice on the same data, it loads the demo once.
// logURL finds an address in a log line, text (url=http://…) or JSON
// ("url":"http://…").
var logURL = regexp.MustCompile(`url(?:=|":")(http://[^\s"]+)`)

func TestServeBinary(t *testing.T) {
	bin := testBinary(t)
	data := t.TempDir()
	for round := 1; round <= 2; round++ {
		// The second round logs in JSON and serves its metrics.
		args := []string{"serve", "--demo", "--data", data, "--addr", "127.0.0.1:0"}
		if round == 2 {
			args = append(args, "--log-format", "json", "--metrics-addr", "127.0.0.1:0")
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = slices.DeleteFunc(os.Environ(), func(v string) bool { return strings.HasPrefix(v, "GOGC=") || strings.HasPrefix(v, "GOMEMLIMIT=") })
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stderr)
		var url, metrics string
		var log []string
		deadline := time.Now().Add(30 * time.Second)
		for (url == "" || round == 2 && metrics == "") && time.Now().Before(deadline) && lines.Scan() {
			line := lines.Text()
			log = append(log, line)
			if round == 2 && !json.Valid([]byte(line)) {
				t.Errorf("--log-format json wrote %q", line)
			}
			if m := logURL.FindStringSubmatch(line); m != nil {
				if strings.HasSuffix(m[1], "/metrics") {
					metrics = m[1]
				} else {
					url = strings.TrimSuffix(m[1], "/")
				}
			}
		}
		if url == "" {
			cmd.Process.Kill()
			t.Fatalf("round %d: server did not start: %v", round, log)
		}
		loadedDemo := strings.Contains(strings.Join(log, "\n"), "demo data loaded")
		if loadedDemo != (round == 1) {
			t.Errorf("round %d: demo data loaded = %v", round, loadedDemo)
		}
		resp, err := http.Get(url + "/healthz")
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("round %d: healthz: %v %v", round, err, resp)
		}
		resp, err = http.Get(url + "/api/v1/editions?series=rencontres-franco-japonaises")
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("round %d: editions: %v %v", round, err, resp)
		}
		if round == 2 {
			// A request is counted once its answer has left, which the
			// client may see first: the scrape is tried again for a while.
			want := `rencontres_http_requests_total{method="GET",route="GET /api/v1/editions",status="200"} 1`
			var body []byte
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !strings.Contains(string(body), want); time.Sleep(50 * time.Millisecond) {
				resp, err = http.Get(metrics)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("metrics at %q: %v %v", metrics, err, resp)
				}
				body, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if !strings.Contains(string(body), want) {
				t.Errorf("metrics lack the editions' request:\n%s", body)
			}
			if gc := fmt.Sprintf("go_gc_gogc_percent %d\n", gcPercent); !strings.Contains(string(body), gc) {
				t.Errorf("metrics lack %q: the server keeps Go's default collector", gc)
			}
		}
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() {
			for lines.Scan() {
				log = append(log, lines.Text())
			}
			done <- cmd.Wait()
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("round %d: exit after SIGTERM: %v\n%s", round, err, strings.Join(log, "\n"))
			}
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("round %d: did not stop on SIGTERM", round)
		}
		if !strings.Contains(strings.Join(log, "\n"), "stopped") {
			t.Errorf("round %d: no clean stop in the log", round)
		}
	}
}

func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	good := filepath.Join("..", "..", "internal", "refdata", "testdata", "good")
	for i, want := range []string{" created, 0 updated", "0 created, "} {
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), []string{"import", "--data", data, "--from", good}, &stdout, &stderr); status != 0 {
			t.Fatalf("import %d: status %d: %s", i+1, status, stderr.String())
		}
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("import %d said %q, want %q", i+1, stdout.String(), want)
		}
	}
	var stdout, stderr bytes.Buffer
	status := run(context.Background(), []string{"import", "--data", data, "--from", t.TempDir()}, &stdout, &stderr)
	if status != 1 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "make refdata") {
		t.Errorf("import from an empty folder: status %d, stderr %q", status, stderr.String())
	}
}

func TestAdminAndTokenCommands(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	// Without a terminal and without --password-stdin: a one-time link.
	if status := run(ctx, []string{"admin", "create", "--email", "Claire.Dumont@example.org", "--name", "Claire DUMONT", "--data", data}, &stdout, &stderr); status != 0 {
		t.Fatalf("admin create: %d %s", status, stderr.String())
	}
	if !regexp.MustCompile(`http://127\.0\.0\.1:8080/fr/login/link/[A-Za-z0-9_-]{43}\n$`).MatchString(stdout.String()) {
		t.Errorf("admin create printed %q, want a one-time link", stdout.String())
	}
	// The same address twice is refused in one line.
	stdout.Reset()
	stderr.Reset()
	if status := run(ctx, []string{"admin", "create", "--email", "claire.dumont@example.org", "--data", data}, &stdout, &stderr); status != 1 || !strings.Contains(stderr.String(), "already uses") {
		t.Errorf("second admin create: %d %q", status, stderr.String())
	}
	// A password read from standard input, never printed.
	stdin = strings.NewReader("un mot de passe solide\n")
	defer func() { stdin = os.Stdin }()
	stdout.Reset()
	if status := run(ctx, []string{"admin", "create", "--email", "kenji@example.org", "--password-stdin", "--data", data}, &stdout, &stderr); status != 0 {
		t.Fatalf("admin create --password-stdin: %d %s", status, stderr.String())
	}
	if strings.Contains(stdout.String(), "solide") || strings.Contains(stdout.String(), "/login/link/") {
		t.Errorf("admin create --password-stdin printed %q", stdout.String())
	}
	stdin = strings.NewReader("court\n")
	stderr.Reset()
	if status := run(ctx, []string{"admin", "create", "--email", "short@example.org", "--password-stdin", "--data", data}, &stdout, &stderr); status != 1 || !strings.Contains(stderr.String(), "too short") {
		t.Errorf("short password: %d %q", status, stderr.String())
	}
	for _, args := range [][]string{{"admin"}, {"admin", "create"}, {"admin", "create", "--email", "nope", "--data", data}, {"token", "create"}} {
		stderr.Reset()
		if status := run(ctx, args, &stdout, &stderr); status == 0 || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: %d %q, want one line and a failure", args, status, stderr.String())
		}
	}
	stdout.Reset()
	if status := run(ctx, []string{"token", "create", "--email", "claire.dumont@example.org", "--data", data}, &stdout, &stderr); status != 0 {
		t.Fatalf("token create: %d %s", status, stderr.String())
	}
	if !regexp.MustCompile(`^rct_[A-Za-z0-9_-]{43}\n$`).MatchString(stdout.String()) {
		t.Errorf("token create printed %q", stdout.String())
	}
	stderr.Reset()
	if status := run(ctx, []string{"token", "create", "--email", "nobody@example.org", "--data", data}, &stdout, &stderr); status != 1 || !strings.Contains(stderr.String(), "no account uses") {
		t.Errorf("token for an unknown address: %d %q", status, stderr.String())
	}
}

// The server sets the collector only where the environment does not.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, c := range []struct {
		env  map[string]string
		want int
	}{
		{nil, gcPercent},
		{map[string]string{"GOGC": "150"}, 100},
		{map[string]string{"GOGC": "off"}, 100},
		{map[string]string{"GOMEMLIMIT": "512MiB"}, 100},
	} {
		debug.SetGCPercent(100)
		tuneGC(func(k string) string { return c.env[k] })
		if got := debug.SetGCPercent(100); got != c.want {
			t.Errorf("with %v the collector's target is %d, want %d", c.env, got, c.want)
		}
	}
}
