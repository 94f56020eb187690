package web

import (
	"net/url"

	"github.com/rencontres/rencontres/internal/cursor"
)

// cursorPageSize is the number of rows of a list paged by cursor, on the site.
const cursorPageSize = 100

// Pager is the links of a list paged by cursor, for the "cursor_pager"
// partial: the list's first page and the pages around this one, each
// keeping the list's filters; how many rows the page shows and how many
// the list has with its filters.
type Pager struct {
	First, Prev, Next string
	Shown, Total      int
}

// pageRequest reads a list's cursor from a page's query; a bad cursor or
// limit falls back to the first page, as a link followed from an old page
// must never fail.
func pageRequest(q url.Values) cursor.Request {
	return pageRequestOf(q, cursorPageSize)
}

// pageRequestOf is pageRequest for a list whose pages have def rows.
func pageRequestOf(q url.Values, def int) cursor.Request {
	r, err := cursor.Parse(q, def, 500)
	if err != nil {
		return cursor.Request{Limit: def}
	}
	return r
}

// NewPager makes the links of a page of a list whose address is path with
// query q (its filters), from the head the store gave with the rows.
func NewPager(path string, q url.Values, h cursor.Head, shown int) Pager {
	link := func(name, c string) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "after" && k != "before" {
				v[k] = vs
			}
		}
		if c != "" {
			v.Set(name, c)
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	p := Pager{First: link("", ""), Shown: shown, Total: h.Total}
	if h.Prev != "" {
		p.Prev = link("before", h.Prev)
	}
	if h.Next != "" {
		p.Next = link("after", h.Next)
	}
	return p
}
