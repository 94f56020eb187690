package cursor

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

type row struct {
	name string
	id   int64
}

// read is what a database does with a request: the rows beyond the cursor's
// key in the order the request gives, Limit+1 of them.
func read(t *testing.T, all []row, r Request, desc bool) []row {
	t.Helper()
	var k row
	has, err := r.Key(&k.name, &k.id)
	if err != nil {
		t.Fatal(err)
	}
	cmp := func(a, b row) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return int(a.id - b.id)
	}
	sorted := slices.Clone(all)
	slices.SortFunc(sorted, cmp)
	if r.Order(desc) == "DESC" {
		slices.Reverse(sorted)
	}
	var out []row
	for _, x := range sorted {
		if has {
			c := cmp(x, k)
			if r.Cmp(desc) == ">" && c <= 0 || r.Cmp(desc) == "<" && c >= 0 {
				continue
			}
		}
		if len(out) == r.Limit+1 {
			break
		}
		out = append(out, x)
	}
	return out
}

func key(x row) []any { return []any{x.name, x.id} }

func TestWalkForwardAndBack(t *testing.T) {
	for _, desc := range []bool{false, true} {
		var all []row
		for i := range 23 {
			all = append(all, row{name: string(rune('a' + i%7)), id: int64(i + 1)})
		}
		want := slices.Clone(all)
		slices.SortFunc(want, func(a, b row) int {
			if c := strings.Compare(a.name, b.name); c != 0 {
				return c
			}
			return int(a.id - b.id)
		})
		if desc {
			slices.Reverse(want)
		}
		// Forward, page by page, to the end.
		var got []row
		var pages []Head
		r := Request{Limit: 5}
		for {
			rows, h := Cut(r, read(t, all, r, desc), key)
			got = append(got, rows...)
			pages = append(pages, h)
			if (r.After == "") != (h.Prev == "") {
				t.Fatalf("desc=%v: prev %q on a page after %q", desc, h.Prev, r.After)
			}
			if h.Next == "" {
				break
			}
			r = Request{After: h.Next, Limit: 5}
		}
		if !slices.Equal(got, want) || len(pages) != 5 {
			t.Fatalf("desc=%v: forward walk gave %v in %d pages, want %v", desc, got, len(pages), want)
		}
		// Back from the last page to the first.
		h := pages[len(pages)-1]
		var back []row
		for h.Prev != "" {
			r = Request{Before: h.Prev, Limit: 5}
			var rows []row
			rows, h = Cut(r, read(t, all, r, desc), key)
			if h.Next == "" {
				t.Fatalf("desc=%v: a page reached going back has no next", desc)
			}
			back = append(rows, back...)
		}
		if !slices.Equal(back, want[:20]) {
			t.Fatalf("desc=%v: backward walk gave %v, want %v", desc, back, want[:20])
		}
	}
}

func TestRowsAddedDoNotShiftAPage(t *testing.T) {
	all := []row{{"b", 1}, {"c", 2}, {"d", 3}, {"e", 4}}
	r := Request{Limit: 2}
	rows, h := Cut(r, read(t, all, r, false), key)
	if !slices.Equal(rows, all[:2]) {
		t.Fatalf("first page %v", rows)
	}
	// Someone adds a row that sorts before the page read.
	all = append(all, row{"a", 5})
	r = Request{After: h.Next, Limit: 2}
	rows, _ = Cut(r, read(t, all, r, false), key)
	if !slices.Equal(rows, []row{{"d", 3}, {"e", 4}}) {
		t.Fatalf("second page after an insert %v", rows)
	}
}

func TestParseRefuses(t *testing.T) {
	good := Encode("x", 1)
	for _, c := range []struct {
		q     string
		field string
	}{
		{"after=" + good + "&before=" + good, "before"},
		{"after=!!", "after"},
		{"after=bm90IGpzb24", "after"},
		{"before=e30", "before"},
		{"limit=0", "limit"},
		{"limit=501", "limit"},
		{"limit=ten", "limit"},
	} {
		q, _ := url.ParseQuery(c.q)
		_, err := Parse(q, 100, 500)
		e, ok := err.(*rencontres.Error)
		if !ok || e.Field != c.field || e.Code != rencontres.EINVALID {
			t.Errorf("%s: %v, want an invalid %s", c.q, err, c.field)
		}
	}
	q := url.Values{"after": {good}, "limit": {"20"}}
	r, err := Parse(q, 100, 500)
	if err != nil || r.Limit != 20 || r.After != good {
		t.Fatalf("%+v %v", r, err)
	}
	var n int64
	if _, err := r.Key(&n); err == nil {
		t.Fatal("a cursor of two values read into one")
	}
	var s string
	if _, err := r.Key(&n, &s); err == nil {
		t.Fatal("a cursor read into values of other types")
	}
}

func TestSliceWalksAListInMemory(t *testing.T) {
	var all []int64
	for i := range 23 {
		all = append(all, int64(100-i*3))
	}
	id := func(x int64) int64 { return x }
	var got []int64
	r := Request{Limit: 5}
	var h Head
	for {
		rows, hh, err := Slice(r, all, id)
		if err != nil {
			t.Fatal(err)
		}
		got, h = append(got, rows...), hh
		if h.Next == "" {
			break
		}
		r = Request{After: h.Next, Limit: 5}
	}
	if !slices.Equal(got, all) || h.Total != 23 {
		t.Fatalf("forward walk %v (total %d)", got, h.Total)
	}
	var back []int64
	for h.Prev != "" {
		var rows []int64
		var err error
		rows, h, err = Slice(Request{Before: h.Prev, Limit: 5}, all, id)
		if err != nil {
			t.Fatal(err)
		}
		back = append(rows, back...)
	}
	if !slices.Equal(back, all[:20]) {
		t.Fatalf("backward walk %v", back)
	}
	// A row added before the page does not shift it; a row gone is refused.
	_, h1, _ := Slice(Request{Limit: 5}, all, id)
	more := append([]int64{200}, all...)
	if rows, _, _ := Slice(Request{After: h1.Next, Limit: 5}, more, id); !slices.Equal(rows, all[5:10]) {
		t.Errorf("after a row added: %v", rows)
	}
	if _, _, err := Slice(Request{After: h1.Next, Limit: 5}, all[5:], id); rencontres.ErrorCode(err) != rencontres.EINVALID {
		t.Errorf("a cursor whose row is gone: %v", err)
	}
}

// SliceBy pages rows that have no id by a key of several values, forward
// and back, and refuses a cursor whose row is gone.
func TestSliceByAKey(t *testing.T) {
	type row struct{ org, email string }
	var all []row
	for i := range 12 {
		all = append(all, row{fmt.Sprintf("fr-%d", i/3), fmt.Sprintf("p%d@example.org", i)})
	}
	key := func(r row) [2]string { return [2]string{r.org, r.email} }
	var got []row
	r := Request{Limit: 5}
	var h Head
	for {
		rows, hh, err := SliceBy(r, all, key)
		if err != nil {
			t.Fatal(err)
		}
		got, h = append(got, rows...), hh
		if h.Next == "" {
			break
		}
		r = Request{After: h.Next, Limit: 5}
	}
	if !slices.Equal(got, all) || h.Total != 12 {
		t.Fatalf("walk %v, total %d", got, h.Total)
	}
	back, _, err := SliceBy(Request{Before: h.Prev, Limit: 5}, all, key)
	if err != nil || !slices.Equal(back, all[5:10]) {
		t.Errorf("back: %v, %v", back, err)
	}
	if _, _, err := SliceBy(Request{After: h.Prev, Limit: 5}, all[:3], key); rencontres.ErrorCode(err) != rencontres.EINVALID {
		t.Errorf("a cursor of a row gone: %v", err)
	}
}
