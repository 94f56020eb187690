package letter

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// piece is the unit of line breaking: a word (or the part of one in one
// style), a breakable space, or one Japanese character.
type piece struct {
	text    string
	style   Style
	href    string
	missing bool
	size    float64 // the block's type size; a superscript is smaller
	w       float64
	space   bool // a breakable space, dropped at the end of a line
	cjk     bool // a Japanese character: lines of them are justified by spacing letters
	brk     bool // a line may end after this piece
}

// isCJK reports whether r is set as a Japanese character: kanji, kana,
// CJK punctuation and full-width forms. A line may break between two of
// them, kinsoku permitting.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) || r == 'ー' || r == '・'
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Kinsoku shori: characters that must not start a line (closing
// brackets, punctuation, small kana, the prolonged sound mark, the wave
// dash) and characters that must not end one (opening brackets). From
// JIS X 4051's line-breaking rules, the strict set.
const (
	noLineStart = "、。，．・：；？！゛゜ヽヾゝゞ々ー）］｝〕〉》」』】〙〗〟’”»ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ〜～…‥.,:;!?)]}%"
	noLineEnd   = "（［｛〔〈《「『【〘〖〝‘“«([{"
)

// mayBreak reports whether a line may end between two adjacent pieces.
func mayBreak(a, b *piece) bool {
	if a.space {
		return true
	}
	if b.space {
		return false // the break is at the space
	}
	x, _ := utf8.DecodeLastRuneInString(a.text)
	y, _ := utf8.DecodeRuneInString(b.text)
	if a.cjk || b.cjk {
		if strings.ContainsRune(noLineStart, y) || strings.ContainsRune(noLineEnd, x) {
			return false
		}
		// Keep numbers with their counters and ranges: 第8回, 2023年,
		// 16:30〜18:00; a number may still follow 、 or precede に.
		return !(isDigit(x) && (isHan(y) || y == '〜')) && !((isHan(x) || x == '〜') && isDigit(y))
	}
	// Between Latin words without a space: after the hyphen of a compound
	// (franco-|japonaises) or the slash of an address.
	return (x == '-' || x == '/') && (unicode.IsLetter(y) || isDigit(y))
}

// wrap breaks pieces into lines no wider than first (the first line) and
// rest (the others), greedily at the last opportunity that fits, never
// inside a word; a line that starts with a character kinsoku forbids
// takes the previous character with it. Only a word wider than a whole
// line is cut, between characters.
func (lo *layouter) wrap(ps []piece, first, rest float64) [][]piece {
	for i := 0; i+1 < len(ps); i++ {
		ps[i].brk = mayBreak(&ps[i], &ps[i+1])
	}
	var lines [][]piece
	width := first
	start, x, lastBrk := 0, 0.0, -1
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		if p.space && i == start {
			start++
			continue
		}
		if !p.space && x+p.w > width {
			switch {
			case lastBrk >= start:
				lines = append(lines, trimRight(ps[start:lastBrk+1]))
				i, start = lastBrk, lastBrk+1
			case i > start:
				lines = append(lines, trimRight(ps[start:i]))
				i, start = i-1, i
			default: // one piece wider than the line
				head, tail := lo.cut(p, width)
				lines = append(lines, []piece{head})
				ps[i] = tail
				i, start = i-1, i
			}
			x, lastBrk, width = 0, -1, rest
			continue
		}
		x += p.w
		if p.brk {
			lastBrk = i
		}
	}
	if start < len(ps) {
		lines = append(lines, trimRight(ps[start:]))
	}
	return lines
}

// cut splits a piece wider than a line at the last character that fits.
func (lo *layouter) cut(p piece, width float64) (piece, piece) {
	rs := []rune(p.text)
	n := len(rs) - 1
	for n > 1 && lo.measure(string(rs[:n]), p.style, p.size) > width {
		n--
	}
	head, tail := p, p
	head.text, tail.text = string(rs[:n]), string(rs[n:])
	head.w, tail.w = lo.measure(head.text, p.style, p.size), lo.measure(tail.text, p.style, p.size)
	return head, tail
}

func trimRight(ps []piece) []piece {
	for len(ps) > 0 && ps[len(ps)-1].space {
		ps = ps[:len(ps)-1]
	}
	return ps
}
