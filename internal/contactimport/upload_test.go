package contactimport

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A file sent for import waits a day for its confirmation: Sweep removes
// both its parts once that time has passed, and no sooner; Load refuses it
// once expired; Remove forgets it at once.
func TestUploadsSweep(t *testing.T) {
	u := &Uploads{Dir: t.TempDir()}
	old, err := u.Save("ancien.csv", 1, "contacts", []byte("a,b\n"))
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().Add(-DefaultTTL - time.Minute)
	for _, ext := range []string{".data", ".json"} {
		if err := os.Chtimes(u.path(old.Token, ext), day, day); err != nil {
			t.Fatal(err)
		}
	}
	if n := u.Sweep(time.Now().Add(-2 * time.Minute)); n != 0 {
		t.Errorf("Sweep removed %d uploads before their day was over", n)
	}
	if n := u.Sweep(time.Now()); n != 1 {
		t.Errorf("Sweep removed %d uploads, want the one older than a day", n)
	}
	recent, err := u.Save("recent.csv", 1, "partnerships", []byte("a,b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(u.path(old.Token, ".data")); !os.IsNotExist(err) {
		t.Errorf("the old file is still there: %v", err)
	}
	got, err := u.Load(recent.Token, 1)
	if err != nil || got.Kind != "partnerships" {
		t.Fatalf("the recent file: %+v, %v", got, err)
	}
	if n := u.Sweep(time.Now().Add(DefaultTTL + time.Minute)); n != 1 {
		t.Errorf("a day later Sweep removed %d uploads, want 1", n)
	}
	if entries, _ := os.ReadDir(u.Dir); len(entries) != 0 {
		t.Errorf("files left after the sweeps: %d", len(entries))
	}
	again, _ := u.Save("x.csv", 1, "contacts", []byte("x"))
	u.Remove(again.Token)
	if _, err := u.Load(again.Token, 1); err == nil {
		t.Error("a removed upload loads")
	}
	if _, err := os.Stat(filepath.Join(u.Dir, again.Token+".json")); !os.IsNotExist(err) {
		t.Errorf("Remove left the file: %v", err)
	}
}
