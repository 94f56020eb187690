package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/store"
)

// rencontres backup, then restore into another data folder, then copy
// that one to a third: the same rows each time, and a second restore into
// a folder no longer empty is refused.
func TestBackupRestoreCopyCommands(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	st, err := store.Open(ctx, "", src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	st.Close()
	file := filepath.Join(t.TempDir(), "demo.backup")
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"backup", "--data", src, "--to", file}, &out, &errOut); code != 0 {
		t.Fatalf("backup: %d %s", code, errOut.String())
	}
	if fi, err := os.Stat(file); err != nil || fi.Size() == 0 || !strings.Contains(out.String(), "written to "+file) {
		t.Fatalf("backup: %v %s", err, out.String())
	}
	f := strings.Fields(out.String())
	rows := f[len(f)-2] // "…, 2182 rows"
	restored := t.TempDir()
	out.Reset()
	if code := run(ctx, []string{"restore", file, "--data", restored}, &out, &errOut); code != 0 {
		t.Fatalf("restore: %d %s", code, errOut.String())
	}
	if !strings.HasSuffix(strings.TrimSpace(out.String()), rows+" rows") {
		t.Errorf("restore: %s, want %s rows", out.String(), rows)
	}
	copied := filepath.Join(t.TempDir(), "copy.db")
	out.Reset()
	if code := run(ctx, []string{"copy", "--from", "sqlite:" + filepath.Join(restored, "rencontres.db"), "--to", "sqlite:" + copied}, &out, &errOut); code != 0 {
		t.Fatalf("copy: %d %s", code, errOut.String())
	}
	if !strings.HasSuffix(strings.TrimSpace(out.String()), rows+" rows") {
		t.Errorf("copy: %s, want %s rows", out.String(), rows)
	}
	errOut.Reset()
	if code := run(ctx, []string{"restore", "--data", restored, file}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "not empty") {
		t.Errorf("restore into a database not empty: %d %s", code, errOut.String())
	}
}
