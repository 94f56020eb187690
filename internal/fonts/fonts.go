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

// Error says which font is missing and how to get it.
type Error struct{ Family Family }

func (e *Error) Error() string {
	return fmt.Sprintf("fonts: %s is missing; run `make refdata` (npm ci) in the project folder, or set RENCONTRES_FONT_DIR to the folder that holds it (or to node_modules)", e.Family.Package)
}

// Missing turns the error of a font that is not installed into one the
// site and the API tell in the reader's language, naming the package and
// how to install it; other errors are returned as they are.
func Missing(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.font_missing", Message: e.Error(), Args: map[string]any{"Value": e.Family.Package}}
	}
	return err
}

// Find looks for a family in RENCONTRES_FONT_DIR (the package's own folder,
// or a folder holding node_modules-style packages), then under node_modules
// in the working folder and each of its parents, so that tests run from a
// package's folder find the project's fonts.
func Find(f Family) (Files, error) {
	var dirs []string
	if d := os.Getenv("RENCONTRES_FONT_DIR"); d != "" {
		dirs = append(dirs, d, filepath.Join(d, f.Package))
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
	return Files{}, &Error{Family: f}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
