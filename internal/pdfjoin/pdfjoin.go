// Package pdfjoin writes one PDF made of the pages of several, each added
// whole and forgotten once written, so that a document of ten thousand
// badges or letters is written a part at a time. gopdf, which sets the
// product's Japanese text, holds its whole document in memory and writes
// it at the end: the badges and letters are set in parts of a few hundred,
// each a PDF of its own, which a Writer copies into the one it writes.
//
// A part's objects are copied as they are, renumbered after those already
// written; its pages join one page tree written at the end, with the
// cross-reference table. What a Writer keeps is an offset per object and a
// number per page. It reads PDFs with a cross-reference table (not a
// cross-reference stream), as gopdf writes them; each part keeps its own
// font subsets.
package pdfjoin

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
)

// Writer writes the pages of the PDFs added to it as one PDF.
type Writer struct {
	w       *bufio.Writer
	at      int64
	offsets []int64 // by object number; 1 and 2 are the catalog and the pages
	pages   []int
	started bool
	err     error
}

// The catalog's and the page tree's numbers, written last.
const (
	catalogObj = 1
	pagesObj   = 2
)

// New starts a PDF written to w.
func New(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10), offsets: make([]int64, pagesObj+1)}
}

var (
	objHeader   = regexp.MustCompile(`^(\d+)\s+(\d+)\s+obj\b`)
	reference   = regexp.MustCompile(`(\d+)\s+(\d+)\s+R\b`)
	pageType    = regexp.MustCompile(`/Type\s*/Page\b`)
	rootRef     = regexp.MustCompile(`/Root\s+(\d+)\s+\d+\s+R`)
	pagesRef    = regexp.MustCompile(`/Pages\s+(\d+)\s+\d+\s+R`)
	attrName    = regexp.MustCompile(`^/[A-Za-z]+`)
	streamStart = regexp.MustCompile(`>>\s*stream\r?\n`)
	inheritable = regexp.MustCompile(`/(MediaBox|CropBox)\s*\[[^\]]*\]|/Rotate\s+-?\d+|/Resources\s+\d+\s+\d+\s+R`)
)

// Add copies the pages of the PDF doc, after those added before.
func (j *Writer) Add(doc []byte) error {
	if j.err != nil {
		return j.err
	}
	j.err = j.add(doc)
	return j.err
}

func (j *Writer) add(doc []byte) error {
	objs, root, err := objects(doc)
	if err != nil {
		return err
	}
	catalog, ok := objs[root]
	if !ok {
		return errors.New("pdfjoin: the document's catalog is missing")
	}
	m := pagesRef.FindSubmatch(dictOf(catalog))
	if m == nil {
		return errors.New("pdfjoin: the document's catalog has no pages")
	}
	tree, _ := strconv.Atoi(string(m[1]))
	// What the pages inherit from the tree they leave.
	inherited := inheritable.FindAll(dictOf(objs[tree]), -1)
	if !j.started {
		header, _, _ := bytes.Cut(doc, []byte("\n"))
		if !bytes.HasPrefix(header, []byte("%PDF-")) {
			return errors.New("pdfjoin: not a PDF")
		}
		if err := j.write(append(header, "\n%\xe2\xe3\xcf\xd3\n"...)); err != nil {
			return err
		}
		j.started = true
	}
	numbers := make([]int, 0, len(objs))
	for n := range objs {
		if n != root && n != tree {
			numbers = append(numbers, n)
		}
	}
	slices.Sort(numbers)
	renumber := map[int]int{tree: pagesObj}
	for _, n := range numbers {
		renumber[n] = len(j.offsets)
		j.offsets = append(j.offsets, 0)
	}
	refs := func(b []byte) []byte {
		return reference.ReplaceAllFunc(b, func(ref []byte) []byte {
			m := reference.FindSubmatch(ref)
			old, _ := strconv.Atoi(string(m[1]))
			if to, ok := renumber[old]; ok {
				return []byte(strconv.Itoa(to) + " 0 R")
			}
			return ref
		})
	}
	for i, attr := range inherited {
		inherited[i] = refs(attr)
	}
	for _, n := range numbers {
		body := objs[n]
		dict, rest := splitStream(body)
		h := objHeader.FindIndex(dict)
		dict = refs(dict[h[1]:])
		if pageType.Match(dict) {
			j.pages = append(j.pages, renumber[n])
			dict = inherit(dict, inherited)
		}
		j.offsets[renumber[n]] = j.at
		if err := j.write([]byte(strconv.Itoa(renumber[n]) + " 0 obj")); err != nil {
			return err
		}
		if err := j.write(dict); err != nil {
			return err
		}
		if err := j.write(rest); err != nil {
			return err
		}
	}
	return nil
}

// Close writes the catalog, the page tree, the cross-reference table and
// the trailer. A Writer to which nothing was added writes nothing.
func (j *Writer) Close() error {
	if j.err != nil {
		return j.err
	}
	if !j.started {
		return errors.New("pdfjoin: no page to write")
	}
	var kids bytes.Buffer
	for _, p := range j.pages {
		fmt.Fprintf(&kids, " %d 0 R", p)
	}
	j.offsets[pagesObj] = j.at
	j.write(fmt.Appendf(nil, "%d 0 obj\n<< /Type /Pages /Count %d /Kids [%s ] >>\nendobj\n", pagesObj, len(j.pages), kids.Bytes()))
	j.offsets[catalogObj] = j.at
	j.write(fmt.Appendf(nil, "%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n", catalogObj, pagesObj))
	xref := j.at
	j.write(fmt.Appendf(nil, "xref\n0 %d\n0000000000 65535 f \n", len(j.offsets)))
	for _, off := range j.offsets[1:] {
		j.write(fmt.Appendf(nil, "%010d 00000 n \n", off))
	}
	j.write(fmt.Appendf(nil, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(j.offsets), catalogObj, xref))
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

func (j *Writer) write(b []byte) error {
	if j.err != nil {
		return j.err
	}
	n, err := j.w.Write(b)
	j.at += int64(n)
	j.err = err
	return err
}

// inherit adds to a page's dictionary what it inherited from its former
// page tree and does not set itself.
func inherit(dict []byte, inherited [][]byte) []byte {
	var add []byte
	for _, attr := range inherited {
		name := attrName.Find(attr) // "/MediaBox"
		if !bytes.Contains(dict, name) {
			add = append(append(add, ' '), attr...)
		}
	}
	if len(add) == 0 {
		return dict
	}
	i := bytes.Index(dict, []byte("<<"))
	if i < 0 {
		return dict
	}
	return slices.Concat(dict[:i+2], add, dict[i+2:])
}

// objects reads doc's objects by number, each from its "obj" to the next
// object (or the cross-reference table), and the catalog's number.
func objects(doc []byte) (map[int][]byte, int, error) {
	tail := doc[max(0, len(doc)-1024):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return nil, 0, errors.New("pdfjoin: no startxref: not a whole PDF")
	}
	fields := bytes.Fields(tail[i+len("startxref"):])
	if len(fields) == 0 {
		return nil, 0, errors.New("pdfjoin: startxref without an offset")
	}
	xref, err := strconv.Atoi(string(fields[0]))
	if err != nil || xref <= 0 || xref >= len(doc) || !bytes.HasPrefix(doc[xref:], []byte("xref")) {
		return nil, 0, errors.New("pdfjoin: no cross-reference table where startxref says (a cross-reference stream is not read)")
	}
	type entry struct{ n, off int }
	var entries []entry
	lines := bytes.Split(doc[xref:], []byte("\n"))
	var first, count int
	k := 1
	for ; k < len(lines); k++ {
		f := bytes.Fields(lines[k])
		if len(f) == 0 {
			continue
		}
		if string(f[0]) == "trailer" {
			break
		}
		switch len(f) {
		case 2:
			first, _ = strconv.Atoi(string(f[0]))
			count, _ = strconv.Atoi(string(f[1]))
		case 3:
			if count == 0 {
				return nil, 0, errors.New("pdfjoin: a cross-reference entry outside a section")
			}
			if string(f[2]) == "n" {
				off, err := strconv.Atoi(string(f[0]))
				if err != nil || off <= 0 || off >= xref {
					return nil, 0, fmt.Errorf("pdfjoin: object %d at offset %q", first, f[0])
				}
				entries = append(entries, entry{first, off})
			}
			first++
			count--
		default:
			return nil, 0, fmt.Errorf("pdfjoin: cross-reference line %q", lines[k])
		}
	}
	m := rootRef.FindSubmatch(bytes.Join(lines[k:], []byte("\n")))
	if m == nil {
		return nil, 0, errors.New("pdfjoin: the trailer names no catalog")
	}
	root, _ := strconv.Atoi(string(m[1]))
	slices.SortFunc(entries, func(a, b entry) int { return a.off - b.off })
	objs := make(map[int][]byte, len(entries))
	for i, e := range entries {
		end := xref
		if i+1 < len(entries) {
			end = entries[i+1].off
		}
		body := doc[e.off:end]
		if h := objHeader.FindSubmatch(body); h == nil || string(h[1]) != strconv.Itoa(e.n) {
			return nil, 0, fmt.Errorf("pdfjoin: object %d is not at its offset", e.n)
		}
		objs[e.n] = body
	}
	return objs, root, nil
}

// splitStream cuts an object before its stream's data, if it has one: the
// dictionary, where references are renumbered, and the rest, copied as
// it is.
func splitStream(body []byte) (dict, rest []byte) {
	if m := streamStart.FindIndex(body); m != nil {
		return body[:m[0]+2], body[m[0]+2:]
	}
	i := bytes.LastIndex(body, []byte("endobj"))
	if i < 0 {
		return body, nil
	}
	return body[:i], body[i:]
}

// dictOf is the part of an object before its stream, if any.
func dictOf(body []byte) []byte {
	d, _ := splitStream(body)
	return d
}

// Parts writes items into one PDF a part at a time: every size items
// added, write sets them as a PDF of their own, which the join copies
// and forgets. What it holds is a part's items and its PDF.
type Parts[T any] struct {
	j       *Writer
	size    int
	write   func(io.Writer, []T) error
	pending []T
	part    bytes.Buffer
	wrote   bool
}

// NewParts starts a PDF written to w, set by write size items at a time.
func NewParts[T any](w io.Writer, size int, write func(io.Writer, []T) error) *Parts[T] {
	return &Parts[T]{j: New(w), size: size, write: write}
}

// Add sets item after those added before.
func (p *Parts[T]) Add(item T) error {
	p.pending = append(p.pending, item)
	if len(p.pending) < p.size {
		return nil
	}
	return p.flush()
}

// Close sets the items still pending and ends the PDF; with no item at
// all, write is given none (and sets, say, a blank page).
func (p *Parts[T]) Close() error {
	if len(p.pending) > 0 || !p.wrote {
		if err := p.flush(); err != nil {
			return err
		}
	}
	return p.j.Close()
}

func (p *Parts[T]) flush() error {
	p.part.Reset()
	if err := p.write(&p.part, p.pending); err != nil {
		return err
	}
	clear(p.pending)
	p.pending, p.wrote = p.pending[:0], true
	return p.j.Add(p.part.Bytes())
}
