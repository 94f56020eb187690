package pdfjoin_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/pdfjoin"
	"github.com/rencontres/rencontres/internal/pdftext"
)

// part writes n badges from the number first in a layout, as a PDF.
func part(t *testing.T, layout badge.Layout, first, n int) []byte {
	t.Helper()
	fonts, err := badge.FindFonts()
	if err != nil {
		t.Fatal(err)
	}
	var bs []badge.Badge
	for i := first; i < first+n; i++ {
		bs = append(bs, badge.Badge{Name: fmt.Sprintf("森 健%d", i), Latin: "Kenji MORI", Authority: "熊本市", Event: "第9回日仏自治体交流会議",
			Code: fmt.Sprintf("CODE%06d", i), URL: "https://rencontres.example.org/c"})
	}
	var buf bytes.Buffer
	if err := badge.Write(&buf, fonts, layout, bs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Three documents of two page sizes joined: every page in order with its
// own text and size (the size a page inherited from its document's page
// tree goes with it), and the Japanese of each part's own font subset
// still extracts.
func TestJoin(t *testing.T) {
	var out bytes.Buffer
	j := pdfjoin.New(&out)
	for _, p := range [][]byte{part(t, badge.A4x8, 0, 16), part(t, badge.A6, 16, 3), part(t, badge.A4x8, 19, 9)} {
		if err := j.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	pages := pdftext.Pages(t, out.Bytes())
	wantPages := []struct {
		codes []int
		width float64
	}{{[]int{0, 7}, 595.28}, {[]int{8, 15}, 595.28}, {[]int{16}, 297.64}, {[]int{17}, 297.64}, {[]int{18}, 297.64}, {[]int{19, 26}, 595.28}, {[]int{27}, 595.28}}
	if len(pages) != len(wantPages) {
		t.Fatalf("%d pages, want %d", len(pages), len(wantPages))
	}
	r, err := pdf.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range wantPages {
		for _, c := range w.codes {
			if !strings.Contains(pages[i], fmt.Sprintf("CODE%06d", c)) || !strings.Contains(strings.ReplaceAll(pages[i], " ", ""), fmt.Sprintf("森健%d", c)) {
				t.Errorf("page %d lacks badge %d:\n%s", i+1, c, pages[i])
			}
		}
		box := r.Page(i + 1).V.Key("MediaBox")
		if got := box.Index(2).Float64(); got < w.width-0.5 || got > w.width+0.5 {
			t.Errorf("page %d is %.2f pt wide, want %.2f", i+1, got, w.width)
		}
	}
}

// What is not a whole PDF with a cross-reference table is refused, and
// nothing is written for a document without pages.
func TestJoinRefuses(t *testing.T) {
	good := part(t, badge.A6, 0, 1)
	for name, doc := range map[string][]byte{
		"text":      []byte("Nom;Prénom\nDUVAL;Claire\n"),
		"truncated": good[:len(good)/2],
		"no xref":   bytes.Replace(good, []byte("startxref"), []byte("startxrex"), 1),
	} {
		var out bytes.Buffer
		j := pdfjoin.New(&out)
		if err := j.Add(doc); err == nil {
			t.Errorf("%s: joined", name)
		}
		if err := j.Close(); err == nil {
			t.Errorf("%s: closed after a refusal", name)
		}
	}
	var out bytes.Buffer
	if err := pdfjoin.New(&out).Close(); err == nil || out.Len() != 0 {
		t.Errorf("no document: %v, %d bytes", err, out.Len())
	}
}
