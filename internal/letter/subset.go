package letter

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"golang.org/x/image/font/sfnt"
)

// ttf is a TrueType font kept whole, from which each PDF gets a font of
// only the glyphs its letters use (subset). gopdf subsets too, but it
// keeps every glyph's slot in the metrics and location tables, which for a
// CJK font of 17,000 glyphs makes it compress ~300 KB per PDF: most of the
// time of a letter. A font cut to the letter's few hundred glyphs first
// makes that nothing, and the file smaller.
type ttf struct {
	tables      map[string][]byte
	font        *sfnt.Font // for the character map
	numGlyphs   int
	numHMetrics int
	unitsPerEm  int
	loca        []uint32 // numGlyphs+1 offsets into glyf
}

func parseTTF(data []byte) (*ttf, error) {
	if len(data) < 12 || binary.BigEndian.Uint32(data) != 0x00010000 {
		return nil, errors.New("not a TrueType font with glyf outlines")
	}
	t := &ttf{tables: map[string][]byte{}}
	n := int(binary.BigEndian.Uint16(data[4:]))
	for i := range n {
		e := data[12+16*i:]
		off, length := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, fmt.Errorf("table %q out of the file", e[:4])
		}
		t.tables[string(e[:4])] = data[off : off+length]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "OS/2", "name", "post"} {
		if t.tables[tag] == nil {
			return nil, fmt.Errorf("no %q table", tag)
		}
	}
	var err error
	if t.font, err = sfnt.Parse(data); err != nil {
		return nil, err
	}
	t.numGlyphs = int(binary.BigEndian.Uint16(t.tables["maxp"][4:]))
	t.numHMetrics = int(binary.BigEndian.Uint16(t.tables["hhea"][34:]))
	t.unitsPerEm = int(binary.BigEndian.Uint16(t.tables["head"][18:]))
	long := binary.BigEndian.Uint16(t.tables["head"][50:]) == 1
	loca := t.tables["loca"]
	t.loca = make([]uint32, t.numGlyphs+1)
	for i := range t.loca {
		if long {
			t.loca[i] = binary.BigEndian.Uint32(loca[4*i:])
		} else {
			t.loca[i] = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		}
	}
	return t, nil
}

// advances maps every character of the font, in the Basic Multilingual
// Plane and the Supplementary Ideographic one, to its advance width in
// thousandths of an em.
func (t *ttf) advances() map[rune]int32 {
	var buf sfnt.Buffer
	hmtx := t.tables["hmtx"]
	out := map[rune]int32{}
	for _, span := range [][2]rune{{0x20, 0xffff}, {0x20000, 0x2ffff}} {
		for r := span[0]; r <= span[1]; r++ {
			g, err := t.font.GlyphIndex(&buf, r)
			if err != nil || g == 0 || int(g) >= t.numGlyphs {
				continue
			}
			m := min(int(g), t.numHMetrics-1)
			out[r] = int32(int(binary.BigEndian.Uint16(hmtx[4*m:])) * 1000 / t.unitsPerEm)
		}
	}
	return out
}

// glyph is a glyph's outline data.
func (t *ttf) glyph(g int) []byte { return t.tables["glyf"][t.loca[g]:t.loca[g+1]] }

// Composite glyph flags (TrueType glyf table).
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	compositeHeader = 10
)

// components calls f with the offset of each component's glyph index in
// a composite glyph's data.
func components(data []byte, f func(at int)) {
	if len(data) < compositeHeader || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return
	}
	for at := compositeHeader; at+4 <= len(data); {
		flags := binary.BigEndian.Uint16(data[at:])
		f(at + 2)
		at += 4
		if flags&argsAreWords != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			return
		}
	}
}

// subset builds a TrueType font with the glyphs of runes only (and
// .notdef, and the parts of composite glyphs), renumbered in their
// original order, with the tables gopdf reads. Characters the font lacks
// are left out.
func (t *ttf) subset(runes []rune) ([]byte, error) {
	var buf sfnt.Buffer
	keep := map[int]bool{0: true}
	cmap := map[rune]int{} // rune → old glyph
	for _, r := range runes {
		g, err := t.font.GlyphIndex(&buf, r)
		if err != nil || g == 0 || int(g) >= t.numGlyphs {
			continue
		}
		cmap[r] = int(g)
		keep[int(g)] = true
	}
	for todo := slices.Collect(mapKeys(keep)); len(todo) > 0; {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		data := t.glyph(g)
		components(data, func(at int) {
			if c := int(binary.BigEndian.Uint16(data[at:])); c < t.numGlyphs && !keep[c] {
				keep[c] = true
				todo = append(todo, c)
			}
		})
	}
	old := slices.Sorted(mapKeys(keep))
	newID := make(map[int]int, len(old))
	for i, g := range old {
		newID[g] = i
	}
	n := len(old)

	var glyf []byte
	loca := make([]byte, 4*(n+1))
	hmtx := make([]byte, 4*n)
	oldHmtx := t.tables["hmtx"]
	for i, g := range old {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(len(glyf)))
		data := slices.Clone(t.glyph(g))
		components(data, func(at int) {
			binary.BigEndian.PutUint16(data[at:], uint16(newID[int(binary.BigEndian.Uint16(data[at:]))]))
		})
		glyf = append(glyf, data...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		m := min(g, t.numHMetrics-1)
		copy(hmtx[4*i:], oldHmtx[4*m:4*m+2]) // advance width
		if g < t.numHMetrics {
			copy(hmtx[4*i+2:], oldHmtx[4*g+2:4*g+4])
		} else {
			at := 4*t.numHMetrics + 2*(g-t.numHMetrics)
			copy(hmtx[4*i+2:], oldHmtx[at:at+2])
		}
	}
	binary.BigEndian.PutUint32(loca[4*n:], uint32(len(glyf)))

	head := slices.Clone(t.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // long offsets in loca
	hhea := slices.Clone(t.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	maxp := slices.Clone(t.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	post := slices.Clone(t.tables["post"][:32])
	binary.BigEndian.PutUint32(post, 0x00030000) // no glyph names

	tables := map[string][]byte{
		"OS/2": t.tables["OS/2"], "cmap": buildCmap(cmap, newID), "glyf": glyf, "head": head, "hhea": hhea,
		"hmtx": hmtx, "loca": loca, "maxp": maxp, "name": t.tables["name"], "post": post,
	}
	return assemble(tables), nil
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// buildCmap writes a character map with a (3,1) format 4 subtable for the
// Basic Multilingual Plane (a segment per run of consecutive characters,
// their glyphs in its array) and a (3,10) format 12 one for every
// character. Format 4 is limited to 64 KB: past some 30,000 characters
// (no letter comes near), the rest of the plane is left out of it.
func buildCmap(cmap map[rune]int, newID map[int]int) []byte {
	runes := slices.Sorted(mapKeys(cmap))
	type segment struct{ start, end rune }
	var segs []segment
	count := 0
	for _, r := range runes {
		if r > 0xfffe || 16+8*(len(segs)+2)+2*(count+1) > 0xffff {
			break
		}
		if n := len(segs); n > 0 && segs[n-1].end == r-1 {
			segs[n-1].end = r
		} else {
			segs = append(segs, segment{r, r})
		}
		count++
	}
	segs = append(segs, segment{0xffff, 0xffff})
	seg := len(segs)
	f4 := make([]byte, 16+8*seg, 16+8*seg+2*count)
	binary.BigEndian.PutUint16(f4[0:], 4)
	binary.BigEndian.PutUint16(f4[6:], uint16(2*seg))
	sr := 2 << (bits.Len(uint(seg)) - 1)
	binary.BigEndian.PutUint16(f4[8:], uint16(sr))
	binary.BigEndian.PutUint16(f4[10:], uint16(bits.Len(uint(seg))-1))
	binary.BigEndian.PutUint16(f4[12:], uint16(2*seg-sr))
	ends, starts, deltas, offsets := 14, 16+2*seg, 16+4*seg, 16+6*seg
	for i, sg := range segs {
		binary.BigEndian.PutUint16(f4[ends+2*i:], uint16(sg.end))
		binary.BigEndian.PutUint16(f4[starts+2*i:], uint16(sg.start))
		if sg.start == 0xffff {
			binary.BigEndian.PutUint16(f4[deltas+2*i:], 1) // 0xFFFF → glyph 0
			continue
		}
		// The segment's glyphs follow in the array: the offset counts
		// from this offset's own place.
		at := len(f4)
		binary.BigEndian.PutUint16(f4[offsets+2*i:], uint16(at-(offsets+2*i)))
		for r := sg.start; r <= sg.end; r++ {
			f4 = binary.BigEndian.AppendUint16(f4, uint16(newID[cmap[r]]))
		}
	}
	binary.BigEndian.PutUint16(f4[2:], uint16(len(f4)))
	f12 := make([]byte, 16+12*len(runes))
	binary.BigEndian.PutUint16(f12[0:], 12)
	binary.BigEndian.PutUint32(f12[4:], uint32(len(f12)))
	binary.BigEndian.PutUint32(f12[12:], uint32(len(runes)))
	for i, r := range runes {
		g := f12[16+12*i:]
		binary.BigEndian.PutUint32(g[0:], uint32(r))
		binary.BigEndian.PutUint32(g[4:], uint32(r))
		binary.BigEndian.PutUint32(g[8:], uint32(newID[cmap[r]]))
	}
	out := make([]byte, 4+8*2, 4+8*2+len(f4)+len(f12))
	binary.BigEndian.PutUint16(out[2:], 2)
	binary.BigEndian.PutUint16(out[4:], 3)
	binary.BigEndian.PutUint16(out[6:], 1)
	binary.BigEndian.PutUint32(out[8:], uint32(len(out)))
	binary.BigEndian.PutUint16(out[12:], 3)
	binary.BigEndian.PutUint16(out[14:], 10)
	binary.BigEndian.PutUint32(out[16:], uint32(len(out)+len(f4)))
	return append(append(out, f4...), f12...)
}

// assemble writes a font file: the table directory in tag order, each
// table 4-byte aligned with its checksum, and head's checksum adjustment.
func assemble(tables map[string][]byte) []byte {
	tags := slices.Sorted(mapKeys(tables))
	n := len(tags)
	sr := 16 << (bits.Len(uint(n)) - 1)
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(sr))
	binary.BigEndian.PutUint16(out[8:], uint16(bits.Len(uint(n))-1))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-sr))
	headAt := 0
	for i, tag := range tags {
		data := tables[tag]
		e := out[12+16*i:]
		copy(e, tag)
		binary.BigEndian.PutUint32(e[4:], checksum(data))
		binary.BigEndian.PutUint32(e[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(e[12:], uint32(len(data)))
		if tag == "head" {
			headAt = len(out)
		}
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
