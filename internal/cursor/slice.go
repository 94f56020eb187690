package cursor

import "slices"

// Slice pages a list already held in memory in its order (one whose
// filters and counts are computed in Go over every row, such as the
// partnerships' facets): a row's cursor is its id, and a page is the rows
// after (or before) the row of that id, so that rows added elsewhere in
// the list never shift it. A cursor whose row is no longer in the list is
// refused as a bad cursor. Head.Total is the length of the list.
func Slice[T any](r Request, rows []T, id func(T) int64) ([]T, Head, error) {
	return SliceBy(r, rows, id)
}

// SliceBy is Slice for rows that have no id yet (a draft mailing's
// recipients, found from its audience): a row's cursor is its key, which
// must tell it from the other rows of the list.
func SliceBy[T any, K comparable](r Request, rows []T, id func(T) K) ([]T, Head, error) {
	h := Head{Total: len(rows), Limit: r.Limit}
	var at K
	has, err := r.Key(&at)
	if err != nil {
		return nil, h, err
	}
	start, end := 0, min(r.Limit, len(rows))
	if has {
		i := slices.IndexFunc(rows, func(x T) bool { return id(x) == at })
		if i < 0 {
			field := "after"
			if r.Backward() {
				field = "before"
			}
			return nil, h, badCursor(field)
		}
		if r.Backward() {
			start, end = max(i-r.Limit, 0), i
		} else {
			start, end = i+1, min(i+1+r.Limit, len(rows))
		}
	}
	page := rows[start:end]
	if len(page) > 0 {
		if start > 0 {
			h.Prev = Encode(id(page[0]))
		}
		if end < len(rows) {
			h.Next = Encode(id(page[len(page)-1]))
		}
	}
	return page, h, nil
}
