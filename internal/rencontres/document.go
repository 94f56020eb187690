package rencontres

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
)

// MaxDocumentSize is the largest document a meeting accepts: a scanned
// agenda or a programme with photographs.
const MaxDocumentSize = 10 << 20

// documentTypes are the types a meeting accepts, as found in the content,
// with the extensions each may carry.
var documentTypes = map[string][]string{
	"application/pdf":    {".pdf"},
	"application/msword": {".doc"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
	"application/vnd.oasis.opendocument.text":                                 {".odt"},
	"image/png":  {".png"},
	"image/jpeg": {".jpg", ".jpeg"},
	"image/webp": {".webp"},
}

// CheckDocument finds a document's type from its content, never from its
// name, and refuses what is not a PDF, a Word or OpenDocument text or an
// image, what is too large, and a name whose extension says otherwise than
// the content. It returns the type to serve the document with.
func CheckDocument(name string, data []byte) (string, error) {
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	switch {
	case name == "" || name == "." || name == "/":
		return "", &Error{Code: EINVALID, Key: "error.required", Field: "file", Message: "choose a file"}
	case !utf8.ValidString(name) || len(name) > 200:
		return "", &Error{Code: EINVALID, Key: "error.bad_file_name", Field: "file", Message: "the file name is too long or not text"}
	case len(data) == 0:
		return "", &Error{Code: EINVALID, Key: "error.empty_file", Field: "file", Message: "the file is empty"}
	case len(data) > MaxDocumentSize:
		return "", &Error{Code: EINVALID, Key: "error.file_too_large", Field: "file",
			Message: fmt.Sprintf("the file is larger than %d MiB", MaxDocumentSize>>20), Args: map[string]any{"Max": MaxDocumentSize >> 20}}
	}
	mt := mimetype.Detect(data)
	var exts []string
	var ctype string
	for m := mt; m != nil; m = m.Parent() {
		if e, ok := documentTypes[m.String()]; ok {
			exts, ctype = e, m.String()
			break
		}
	}
	if ctype == "" {
		return "", &Error{Code: EINVALID, Key: "error.bad_file_type", Field: "file",
			Message: fmt.Sprintf("%s is %s; send a PDF, Word or OpenDocument text, or a PNG, JPEG or WebP image", name, mt.String()),
			Args:    map[string]any{"Name": name, "Type": mt.String()}}
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range exts {
		if e == ext {
			return ctype, nil
		}
	}
	return "", &Error{Code: EINVALID, Key: "error.file_extension_lies", Field: "file",
		Message: fmt.Sprintf("%s is named %s but its content is %s", name, ext, ctype),
		Args:    map[string]any{"Name": name, "Ext": ext, "Type": ctype}}
}
