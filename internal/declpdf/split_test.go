package declpdf

import (
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
)

func lines(n int) []item {
	return make([]item, n)
}

func rowOf(fr, ja int) *row {
	r := &row{before: rowGap}
	r.cols[0], r.cols[1] = lines(fr), lines(ja)
	for c := range r.cols {
		for i := range r.cols[c] {
			r.cols[c][i].height = bodyLine
		}
	}
	return r
}

// A row splits with both columns at the same foot, never leaving one line
// of a column alone at the foot of a page or at the top of the next.
func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name         string
		fr, ja       int
		room         float64
		firstFr, ja1 int // lines on the first page; -1 when it cannot split
	}{
		{"both columns cut", 10, 8, 5.5 * bodyLine, 5, 5},
		{"the short column whole", 10, 3, 5.5 * bodyLine, 5, 3},
		{"no widow at the top", 10, 6, 5.5 * bodyLine, 5, 4},
		{"no orphan at the foot", 10, 8, 1.5 * bodyLine, -1, -1},
		{"a one-line column cannot be cut", 10, 1, 0.5 * bodyLine, -1, -1},
		{"an empty column", 10, 0, 4 * bodyLine, 4, 0},
	} {
		first, rest := split(rowOf(tc.fr, tc.ja), tc.room)
		if tc.firstFr < 0 {
			if first != nil {
				t.Errorf("%s: split %d and %d", tc.name, len(first.cols[0]), len(first.cols[1]))
			}
			continue
		}
		if first == nil {
			t.Errorf("%s: not split", tc.name)
			continue
		}
		if len(first.cols[0]) != tc.firstFr || len(first.cols[1]) != tc.ja1 ||
			len(rest.cols[0]) != tc.fr-tc.firstFr || len(rest.cols[1]) != tc.ja-tc.ja1 {
			t.Errorf("%s: %d+%d and %d+%d, want %d and %d first", tc.name, len(first.cols[0]), len(rest.cols[0]),
				len(first.cols[1]), len(rest.cols[1]), tc.firstFr, tc.ja1)
		}
		if first.before != rowGap || rest.before != 0 {
			t.Errorf("%s: the gap goes with the first part only", tc.name)
		}
	}
}

// A short row that does not fit goes whole to the next page; a long one
// is split there; a heading goes over with the row it heads.
func TestPlace(t *testing.T) {
	f, err := letter.FindFonts()
	if err != nil {
		t.Fatal(err)
	}
	p := &pager{s: letter.NewSheet(f)}
	p.start()
	p.y = textBottom - 3*bodyLine
	p.empty = false
	p.place(rowOf(4, 4), false)
	if p.s.Pages() != 2 || p.y != marginTop+6*mm+4*bodyLine {
		t.Errorf("a short row: page %d, y %.1f", p.s.Pages(), p.y)
	}
	p.y = textBottom - 3.5*bodyLine
	p.place(rowOf(20, 12), false)
	if p.s.Pages() != 3 || p.y != marginTop+6*mm+17*bodyLine {
		t.Errorf("a long row: page %d, y %.1f, want 17 lines on the next page", p.s.Pages(), p.y)
	}
	p.y = textBottom - 2.5*headingLine
	heading := &row{before: headingGap, keep: true}
	heading.cols[0] = []item{{height: headingLine}}
	p.placeKept(heading, rowOf(10, 10))
	if p.s.Pages() != 4 {
		t.Errorf("a heading is left at the foot of page %d", p.s.Pages()-1)
	}
}
