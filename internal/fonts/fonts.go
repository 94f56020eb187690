// Package fonts finds the TrueType fonts that PDFs are set in. The fonts
// come from the npm registry (pinned by package-lock.json and installed by
// `make refdata` into node_modules), never from the repository, so every
// package that prints finds them the same way.
package fonts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Family is one font family from the npm registry: its package and the
// files of its regular and bold faces inside the package.
type Family struct {
	Package       string
	Regular, Bold string
}

// The families the product prints with. Both have TrueType (glyf)
// outlines, which gopdf needs, and cover Latin, kana and kanji.
var (
	// SansJP sets badges: legible at a distance.
	SansJP = Family{
		Package: "@expo-google-fonts/noto-sans-jp",
		Regular: "400Regular/NotoSansJP_400Regular.ttf",
		Bold:    "700Bold/NotoSansJP_700Bold.ttf",
	}
	// SerifJP sets letters: a Mincho for Japanese, as business letters
	// use, with a serif Latin and a real bold.
	SerifJP = Family{
		Package: "@expo-google-fonts/noto-serif-jp",
		Regular: "400Regular/NotoSerifJP_400Regular.ttf",
		Bold:    "700Bold/NotoSerifJP_700Bold.ttf",
	}
)

// Files are the paths of a family's regular and bold faces.
type Files struct{ Regular, Bold string }

// Error says which font is missing, where it was looked for, and how to
// get it.
type Error struct {
	Family Family
	// Looked are the folders searched, in order.
	Looked []string
}

func (e *Error) Error() string {
	return fmt.Sprintf("fonts: the npm package %s is missing (looked in %s); install it with `npm ci` in the project folder (`make refdata`), "+
		"or copy its node_modules beside the binary or into the data folder, or set RENCONTRES_FONT_DIR to the folder that holds it",
		e.Family.Package, strings.Join(e.Looked, ", "))
}

// Missing turns the error of a font that is not installed into one the
// site and the API tell in the reader's language, naming the package and
// how to install it; other errors are returned as they are.
func Missing(err error) error {
	var e *Error
	if errors.As(err, &e) {
		// The message, which API clients read, names the package but not
		// the server's folders; the log has those.
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.font_missing", Args: map[string]any{"Value": e.Family.Package},
			Message: fmt.Sprintf("the server lacks the npm package %s, which this PDF is set in", e.Family.Package)}
	}
	return err
}

// dataDir is the server's data folder, where fonts are looked for after
// RENCONTRES_FONT_DIR and beside the binary. It is the one setting of the
// package: the server names it once at start-up, before any PDF is made,
// rather than every caller that prints passing it down.
var dataDir atomic.Value

// SetDataDir names the data folder to look for fonts in.
func SetDataDir(dir string) { dataDir.Store(dir) }

// Find looks for a family, so that the fonts are found wherever the server
// is started from: in RENCONTRES_FONT_DIR (the package's own folder, or a
// folder of node_modules-style packages), beside the executable, in the
// data folder (each of these also in its node_modules), then under
// node_modules in the working folder and each of its parents, as in the
// project folder, where tests run from a package's folder.
func Find(f Family) (Files, error) {
	var dirs []string
	if d := os.Getenv("RENCONTRES_FONT_DIR"); d != "" {
		dirs = append(dirs, d, filepath.Join(d, f.Package))
	}
	var bases []string
	if exe, err := os.Executable(); err == nil {
		bases = append(bases, filepath.Dir(exe))
	}
	if d, _ := dataDir.Load().(string); d != "" {
		bases = append(bases, d)
	}
	for _, b := range bases {
		dirs = append(dirs, filepath.Join(b, f.Package), filepath.Join(b, "node_modules", f.Package))
	}
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		dirs = append(dirs, filepath.Join(d, "node_modules", f.Package))
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, d := range dirs {
		files := Files{Regular: filepath.Join(d, f.Regular), Bold: filepath.Join(d, f.Bold)}
		if exists(files.Regular) && exists(files.Bold) {
			return files, nil
		}
	}
	return Files{}, &Error{Family: f, Looked: dirs}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Feature is a part of the product that prints with a family.
type Feature struct {
	// Name says what cannot be printed without the family.
	Name   string
	Family Family
}

// Features are the product's PDFs and the family each needs.
var Features = []Feature{
	{Name: "campaign letters (PDF attached to invitations, letters to print)", Family: SerifJP},
	{Name: "name badges (badges.pdf)", Family: SansJP},
}

// Absent is a feature that cannot print, and why.
type Absent struct {
	Feature
	Err error
}

// Unavailable lists the features whose family cannot be found now, in
// the order of Features, each with the error that says why.
func Unavailable() []Absent {
	var out []Absent
	for _, ft := range Features {
		if _, err := Find(ft.Family); err != nil {
			out = append(out, Absent{Feature: ft, Err: err})
		}
	}
	return out
}
