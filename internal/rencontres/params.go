package rencontres

import (
	"io"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Checks shared by the parameters of the lists, on the pages and through
// the API.

// MaxSearchLen bounds a search typed in a list (q), in characters.
const MaxSearchLen = 100

// CheckSearch refuses a search (q) longer than the lists take.
func CheckSearch(q string) error {
	if utf8.RuneCountInString(q) > MaxSearchLen {
		return paramError("q", "error.param_too_long", "Max", MaxSearchLen)
	}
	return nil
}

// PostgreSQL's text holds no NUL character: a query or a form carrying
// one (%00) failed there with an internal error, where SQLite took it.
// No field of the product needs one, so the pages and the API refuse it,
// naming the parameter.

// RefuseNul returns an invalid-input error naming the first parameter
// (in the order of their names) whose name or a value holds a NUL
// character, or nil.
func RefuseNul(values url.Values) error {
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if strings.ContainsRune(name, 0) || slices.ContainsFunc(values[name], func(v string) bool { return strings.ContainsRune(v, 0) }) {
			return &Error{Code: EINVALID, Key: "error.param_nul", Field: strings.ReplaceAll(name, "\x00", ""), Message: "a parameter holds a NUL character"}
		}
	}
	return nil
}

// RefuseNulForm is RefuseNul for a multipart form, with the names of its
// files: the pages and routes that take a file read their form
// themselves, under their own size limit, so it is checked once read. A
// form not read (nil) holds nothing. When it refuses the form, it closes
// file, the file already opened from it (nil if none).
func RefuseNulForm(form *multipart.Form, file io.Closer) error {
	if form == nil {
		return nil
	}
	names := url.Values{}
	for field, files := range form.File {
		for _, f := range files {
			names[field] = append(names[field], f.Filename)
		}
	}
	err := RefuseNul(form.Value)
	if err == nil {
		err = RefuseNul(names)
	}
	if err != nil && file != nil {
		file.Close()
	}
	return err
}
