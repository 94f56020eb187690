package rencontres

import (
	"net/url"
	"slices"
	"strings"
)

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
