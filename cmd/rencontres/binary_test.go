package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// An unreachable PostgreSQL is told with the driver's reason, on one
// line, whether the host name gives one address or several.
func TestUnreachablePostgresSaysWhy(t *testing.T) {
	for _, url := range []string{"postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "postgres://nobody@localhost:1/none?connect_timeout=2"} {
		var stdout, stderr bytes.Buffer
		status := run(context.Background(), []string{"migrate", "--db", url}, &stdout, &stderr)
		msg := stderr.String()
		if status != 1 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "does not answer") || !strings.Contains(msg, "connection refused") {
			t.Errorf("%s: %d %q, want one line saying the connection was refused", url, status, msg)
		}
	}
}

// An --addr that cannot be listened on is refused before the database is
// opened: no file is left behind.
func TestRefusedAddressCreatesNoDatabase(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, addr := range []string{taken.Addr().String(), "256.0.0.1:99999"} {
		data := filepath.Join(t.TempDir(), "data")
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), []string{"serve", "--addr", addr, "--data", data}, &stdout, &stderr); status != 1 || !strings.Contains(stderr.String(), "listen on "+addr) {
			t.Errorf("serve --addr %s: %d %q", addr, status, stderr.String())
		}
		if _, err := os.Stat(filepath.Join(data, "rencontres.db")); !os.IsNotExist(err) {
			t.Errorf("serve --addr %s left a database behind (%v)", addr, err)
		}
	}
}

// admin create's one-time link points at the site's public address, from
// --base-url or RENCONTRES_BASE_URL; the database may be named as
// sqlite:PATH; --password-stdin says the minimum length.
func TestAdminCreateLinkAndPasswordLength(t *testing.T) {
	ctx := context.Background()
	db := "sqlite:" + filepath.Join(t.TempDir(), "elsewhere.db")
	t.Setenv("RENCONTRES_BASE_URL", "https://rencontres.example.org/")
	var stdout, stderr bytes.Buffer
	if status := run(ctx, []string{"admin", "create", "--email", "a@example.org", "--db", db}, &stdout, &stderr); status != 0 {
		t.Fatalf("admin create: %d %s", status, stderr.String())
	}
	if !regexp.MustCompile(`\nhttps://rencontres\.example\.org/fr/login/link/[A-Za-z0-9_-]{43}\n$`).MatchString(stdout.String()) {
		t.Errorf("with RENCONTRES_BASE_URL, admin create printed %q", stdout.String())
	}
	stdout.Reset()
	if status := run(ctx, []string{"admin", "create", "--email", "b@example.org", "--lang", "ja", "--db", db, "--base-url", "https://rencontres.example.jp"}, &stdout, &stderr); status != 0 {
		t.Fatalf("admin create --base-url: %d %s", status, stderr.String())
	}
	if !regexp.MustCompile(`\nhttps://rencontres\.example\.jp/ja/login/link/[A-Za-z0-9_-]{43}\n$`).MatchString(stdout.String()) {
		t.Errorf("with --base-url, admin create printed %q", stdout.String())
	}
	if _, err := os.Stat(strings.TrimPrefix(db, "sqlite:")); err != nil {
		t.Errorf("--db sqlite:PATH: %v", err)
	}

	stdin = strings.NewReader("court\n")
	defer func() { stdin = os.Stdin }()
	stderr.Reset()
	if status := run(ctx, []string{"admin", "create", "--email", "c@example.org", "--password-stdin", "--db", db}, &stdout, &stderr); status != 1 ||
		!strings.Contains(stderr.String(), "too short: 12 characters at least") {
		t.Errorf("short password: %d %q, want the minimum length", status, stderr.String())
	}
	stdout.Reset()
	if status := run(ctx, []string{"admin", "create", "-h"}, &stdout, &stderr); status != 0 || !strings.Contains(stdout.String(), "12 characters at least") {
		t.Errorf("admin create -h: %d %q, want the minimum length of --password-stdin", status, stdout.String())
	}
}
