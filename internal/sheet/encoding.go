package sheet

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// The encodings a CSV file is read in.
const (
	EncUTF8        = "UTF-8"
	EncUTF8BOM     = "UTF-8 BOM"
	EncWindows1252 = "Windows-1252"
	EncShiftJIS    = "Shift_JIS"
)

// Encodings lists them, for a person to choose from when detection guessed
// wrong.
var Encodings = []string{EncUTF8, EncUTF8BOM, EncWindows1252, EncShiftJIS}

var bom = []byte{0xEF, 0xBB, 0xBF}

// DetectEncoding says how data is encoded and returns it as text. A UTF-8
// byte-order mark or valid UTF-8 decide at once; otherwise the bytes are
// read as Shift_JIS (CP932, as a Japanese Excel writes) when every
// double-byte sequence is valid and the text holds kana or common kanji, and
// as Windows-1252 (a French Excel) when not.
func DetectEncoding(data []byte) (enc, text string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		// UTF-16, as Excel's "Unicode text" writes: not one we read.
		return "", "", &Error{Key: "bad_encoding", Line: 1, Column: 1, Args: map[string]any{"Encoding": "UTF-16"}}
	case bytes.HasPrefix(data, bom):
		enc = EncUTF8BOM
	case utf8.Valid(data):
		enc = EncUTF8
	case looksShiftJIS(data):
		enc = EncShiftJIS
	default:
		enc = EncWindows1252
	}
	text, err = Decode(data, enc)
	return enc, text, err
}

// Decode turns data in the named encoding into text. Bytes that the
// encoding cannot hold are refused with their line and column.
func Decode(data []byte, enc string) (string, error) {
	var e encoding.Encoding
	switch enc {
	case EncUTF8, EncUTF8BOM:
		data = bytes.TrimPrefix(data, bom)
		if !utf8.Valid(data) {
			line, col := invalidUTF8At(data)
			return "", &Error{Key: "bad_encoding", Line: line, Column: col, Args: map[string]any{"Encoding": enc}}
		}
		return string(data), nil
	case EncWindows1252:
		e = charmap.Windows1252
	case EncShiftJIS:
		e = japanese.ShiftJIS
	default:
		return "", &Error{Key: "unknown_encoding", Args: map[string]any{"Encoding": enc}}
	}
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", &Error{Key: "bad_encoding", Args: map[string]any{"Encoding": enc}, Err: err}
	}
	// Decoders put U+FFFD for bytes they cannot map.
	if i := bytes.IndexRune(out, utf8.RuneError); i >= 0 {
		line, col := position(out[:i])
		return "", &Error{Key: "bad_encoding", Line: line, Column: col + 1, Args: map[string]any{"Encoding": enc}}
	}
	return string(out), nil
}

// looksShiftJIS reports whether data decodes as Shift_JIS without a fault
// and reads like Japanese: kana, or kanji of the first JIS level (lead
// bytes 0x88–0x9F), which hold the common ones. French text in
// Windows-1252 decoded as Shift_JIS gives an accented letter followed by a
// space or punctuation, which is no valid pair, or rare second-level kanji.
func looksShiftJIS(data []byte) bool {
	common, rare := 0, 0
	for i := 0; i < len(data); i++ {
		b := data[i]
		switch {
		case b < 0x80:
			continue
		case b >= 0xA1 && b <= 0xDF:
			// Half-width katakana: Japanese Excel rarely writes them, but
			// they are valid.
			rare++
			continue
		case (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC):
			if i+1 >= len(data) {
				return false
			}
			t := data[i+1]
			if t < 0x40 || t == 0x7F || t > 0xFC {
				return false
			}
			if b <= 0x83 || (b >= 0x88 && b <= 0x9F) {
				common++ // punctuation, kana, level-1 kanji
			} else {
				rare++
			}
			i++
		default:
			return false
		}
	}
	return common > 0 && common >= rare
}

func invalidUTF8At(data []byte) (line, col int) {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			l, c := position(data[:i])
			return l, c + 1
		}
		i += n
	}
	return 0, 0
}

// position gives the line and the column (in characters) just after text.
func position(text []byte) (line, col int) {
	line = 1 + bytes.Count(text, []byte{'\n'})
	last := bytes.LastIndexByte(text, '\n')
	return line, utf8.RuneCount(text[last+1:])
}
