// Package cursor pages lists that grow by keyset: a page is the rows whose
// sort key comes after (or, going back, before) the key of a row the client
// has seen, so a page costs the same at row 100 and at row 100,000, and rows
// added or removed meanwhile never shift a page nor show a row twice.
//
// A cursor is the sort key of a row, as a JSON array in URL-safe base64. It
// is opaque to clients but not secret: its values are bound as query
// parameters, so a forged cursor only finds another place in the same list.
//
// Lists use it in three steps: Parse the request (query parameters after,
// before and limit), ask the database for Limit+1 rows beyond the decoded
// key in the order Order gives (Cmp gives the comparison), and Cut the rows
// into the page and its head (the cursors to the pages before and after).
package cursor

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Request is the part of a list a client asks for: at most Limit rows after
// the row of cursor After, or before the row of cursor Before; neither is
// the list's first page.
type Request struct {
	After  string
	Before string
	Limit  int
}

// Backward reports whether the request goes back from Before.
func (r Request) Backward() bool { return r.Before != "" }

// Cursor is the cursor the request starts from, "" on the first page.
func (r Request) Cursor() string {
	if r.Before != "" {
		return r.Before
	}
	return r.After
}

// Parse reads after, before and limit from a query. def is the default
// limit and max the largest allowed. A bad value is refused with an error
// naming its parameter.
func Parse(q url.Values, def, max int) (Request, error) {
	r := Request{After: q.Get("after"), Before: q.Get("before"), Limit: def}
	if r.After != "" && r.Before != "" {
		return r, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.cursor_both", Field: "before",
			Message: "give after or before, not both"}
	}
	for _, name := range []string{"after", "before"} {
		if c := q.Get(name); c != "" {
			if _, err := decode(c); err != nil {
				return r, badCursor(name)
			}
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			return r, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.param_range", Field: "limit",
				Message: "limit must be between 1 and " + strconv.Itoa(max), Args: map[string]any{"Field": "limit", "Min": 1, "Max": max}}
		}
		r.Limit = n
	}
	return r, nil
}

func badCursor(field string) error {
	return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_cursor", Field: field,
		Message: "this cursor was not given by this list; start again from its first page"}
}

// Encode makes the cursor of a row from its sort key.
func Encode(key ...any) string {
	b, err := json.Marshal(key)
	if err != nil {
		panic("cursor: a sort key that is not JSON: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func decode(c string) ([]json.RawMessage, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, err
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return nil, err
	}
	return parts, nil
}

// Key decodes the request's cursor into dst, one pointer for each value of
// the list's sort key. It reports false on the first page. A cursor of
// another shape is refused as a bad parameter.
func (r Request) Key(dst ...any) (bool, error) {
	c, field := r.After, "after"
	if r.Before != "" {
		c, field = r.Before, "before"
	}
	if c == "" {
		return false, nil
	}
	parts, err := decode(c)
	if err != nil || len(parts) != len(dst) {
		return false, badCursor(field)
	}
	for i, p := range parts {
		if err := json.Unmarshal(p, dst[i]); err != nil {
			return false, badCursor(field)
		}
	}
	return true, nil
}

// Cmp is the comparison to put between the sort key's columns and the
// cursor's values, as a row value: "(name, id) > ($1, $2)". desc is the
// list's order (every column of the key in the same direction).
func (r Request) Cmp(desc bool) string {
	if desc != r.Backward() {
		return "<"
	}
	return ">"
}

// Order is the ORDER BY direction to read rows in: the list's own, or the
// reverse when going back (Cut puts them back in the list's order).
func (r Request) Order(desc bool) string {
	if desc != r.Backward() {
		return "DESC"
	}
	return "ASC"
}

// Head is what a paged list says beside its rows: how many rows the whole
// list has with its filters, the page's size, and the cursors of the pages
// before and after this one ("" at either end).
type Head struct {
	Total int    `json:"total"`
	Limit int    `json:"limit"`
	Next  string `json:"next,omitempty"`
	Prev  string `json:"prev,omitempty"`
}

// Cut makes a page of rows read with Limit+1 in Order: it drops the extra
// row, puts the rows in the list's order, and gives the cursors to the
// neighbouring pages, key returning a row's sort key.
func Cut[T any](r Request, rows []T, key func(T) []any) ([]T, Head) {
	h := Head{Limit: r.Limit}
	more := len(rows) > r.Limit
	if more {
		rows = rows[:r.Limit]
	}
	if r.Backward() {
		slices.Reverse(rows)
	}
	if len(rows) == 0 {
		return rows, h
	}
	first, last := Encode(key(rows[0])...), Encode(key(rows[len(rows)-1])...)
	switch {
	case r.Backward():
		h.Next = last
		if more {
			h.Prev = first
		}
	default:
		if more {
			h.Next = last
		}
		if r.After != "" {
			h.Prev = first
		}
	}
	return rows, h
}
