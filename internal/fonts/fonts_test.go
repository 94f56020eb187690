package fonts_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// RENCONTRES_FONT_DIR may name the package's folder or a folder of
// packages; a family found nowhere is named in the error.
func TestFind(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, fonts.SerifJP.Package)
	for _, f := range []string{fonts.SerifJP.Regular, fonts.SerifJP.Bold} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(pkg, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, f), []byte("ttf"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, env := range []string{dir, pkg} {
		t.Setenv("RENCONTRES_FONT_DIR", env)
		got, err := fonts.Find(fonts.SerifJP)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(pkg, fonts.SerifJP.Bold); got.Bold != want {
			t.Errorf("RENCONTRES_FONT_DIR=%s: bold %s, want %s", env, got.Bold, want)
		}
	}
	t.Chdir(dir)
	t.Setenv("RENCONTRES_FONT_DIR", dir)
	missing := fonts.Family{Package: "@example/no-such-font", Regular: "r.ttf", Bold: "b.ttf"}
	_, err := fonts.Find(missing)
	var fe *fonts.Error
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), missing.Package) {
		t.Errorf("missing family: %v, want a *fonts.Error naming %s", err, missing.Package)
	}
}

// A missing font becomes an error the reader is told in their language,
// naming the package; other errors pass through.
func TestMissing(t *testing.T) {
	err := fonts.Missing(&fonts.Error{Family: fonts.SerifJP})
	var e *rencontres.Error
	if !errors.As(err, &e) || e.Key != "error.font_missing" || e.Args["Value"] != fonts.SerifJP.Package {
		t.Errorf("Missing = %#v", err)
	}
	other := errors.New("disk full")
	if got := fonts.Missing(other); got != other {
		t.Errorf("Missing(other) = %v", got)
	}
}

// fakeFamily installs a family's files under dir/node_modules.
func fakeFamily(t *testing.T, dir string, f fonts.Family) string {
	t.Helper()
	pkg := filepath.Join(dir, "node_modules", f.Package)
	for _, name := range []string{f.Regular, f.Bold} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(pkg, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, name), []byte("ttf"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return pkg
}

// The data folder is looked in after RENCONTRES_FONT_DIR, and a family
// found nowhere is reported with every folder looked in, and as a feature
// that cannot print.
func TestFindOrder(t *testing.T) {
	f := fonts.Family{Package: "@example/test-font", Regular: "r.ttf", Bold: "b.ttf"}
	data, env := t.TempDir(), t.TempDir()
	t.Chdir(t.TempDir())
	defer fonts.SetDataDir("")
	fonts.SetDataDir(data)
	_, err := fonts.Find(f)
	var fe *fonts.Error
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), filepath.Join(data, "node_modules", f.Package)) {
		t.Fatalf("nowhere: %v", err)
	}
	inData := fakeFamily(t, data, f)
	if got, err := fonts.Find(f); err != nil || got.Regular != filepath.Join(inData, "r.ttf") {
		t.Errorf("in the data folder: %+v, %v", got, err)
	}
	inEnv := fakeFamily(t, env, f)
	t.Setenv("RENCONTRES_FONT_DIR", filepath.Join(env, "node_modules"))
	if got, err := fonts.Find(f); err != nil || got.Regular != filepath.Join(inEnv, "r.ttf") {
		t.Errorf("RENCONTRES_FONT_DIR first: %+v, %v", got, err)
	}
}
