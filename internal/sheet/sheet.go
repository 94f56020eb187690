// Package sheet reads the spreadsheets people keep their contact lists in:
// CSV as it is really exported (UTF-8 with or without a byte-order mark,
// Windows-1252 with semicolons from a French Excel, Shift_JIS from a
// Japanese one) and .xlsx workbooks of several sheets. It knows nothing of
// contacts or databases: it gives rows of text with their line numbers, and
// says which encoding and separator it found.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of what is read.
const (
	MaxBytes = 10 << 20 // 10 MiB, the server's limit on an upload
	MaxRows  = 100_000  // data rows, header excluded
)

// Error is a fault of the file, with a message key for translation and,
// when it has one, the place (1-based line and column) where it was found.
type Error struct {
	Key    string // a catalogue key, under [sheet]
	Line   int
	Column int
	Args   map[string]any
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Key)
	if e.Line > 0 {
		fmt.Fprintf(&b, " at %d:%d", e.Line, e.Column)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Table is what a file holds: its rows (the first is the header), each with
// the line it was read from.
type Table struct {
	// Format is "csv" or "xlsx".
	Format string
	// Encoding is how a CSV file was encoded (EncUTF8, EncUTF8BOM,
	// EncWindows1252, EncShiftJIS); empty for .xlsx.
	Encoding string
	// Separator is a CSV file's field separator.
	Separator rune
	// Sheets lists a workbook's sheets in order; Sheet is the one read.
	Sheets []string
	Sheet  string
	Rows   [][]string
	// Lines gives the 1-based line of each row in the file (a quoted field
	// may span lines, so it is not always the index plus one).
	Lines []int
}

// Options choose what detection would otherwise guess.
type Options struct {
	Sheet    string // a workbook's sheet; the first when empty
	Encoding string // a CSV file's encoding; detected when empty
}

// IsXLSX reports whether data starts like a zip archive, as a workbook does.
func IsXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// Read reads a CSV file or an .xlsx workbook.
func Read(data []byte, opt Options) (*Table, error) {
	if len(data) > MaxBytes {
		return nil, &Error{Key: "too_large", Args: map[string]any{"Max": MaxBytes >> 20}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Key: "empty"}
	}
	var t *Table
	var err error
	if IsXLSX(data) {
		t, err = readXLSX(data, opt.Sheet)
	} else {
		t, err = readCSV(data, opt.Encoding)
	}
	if err != nil {
		return nil, err
	}
	t.trim()
	if len(t.Rows) == 0 {
		return nil, &Error{Key: "empty", Args: map[string]any{"Sheet": t.Sheet}}
	}
	if len(t.Rows)-1 > MaxRows {
		return nil, &Error{Key: "too_many_rows", Line: t.Lines[MaxRows+1], Column: 1, Args: map[string]any{"Max": MaxRows}}
	}
	return t, nil
}

// trim drops blank rows and trailing blank cells, and the spaces around
// every cell.
func (t *Table) trim() {
	rows, lines := t.Rows[:0], t.Lines[:0]
	for i, r := range t.Rows {
		last := -1
		for j := range r {
			r[j] = strings.TrimSpace(r[j])
			if r[j] != "" {
				last = j
			}
		}
		if last < 0 {
			continue
		}
		rows, lines = append(rows, r[:last+1]), append(lines, t.Lines[i])
	}
	t.Rows, t.Lines = rows, lines
}

func readCSV(data []byte, enc string) (*Table, error) {
	var text string
	var err error
	// A NUL byte is in no text file, whatever its encoding (UTF-16 aside,
	// which DetectEncoding names).
	if i := bytes.IndexByte(data, 0); i >= 0 && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		line, col := position(data[:i])
		return nil, &Error{Key: "not_spreadsheet", Line: line, Column: col + 1}
	}
	if enc == "" {
		enc, text, err = DetectEncoding(data)
	} else {
		text, err = Decode(data, enc)
	}
	if err != nil {
		return nil, err
	}
	if line, col, ok := binaryAt(text); ok {
		return nil, &Error{Key: "not_spreadsheet", Line: line, Column: col}
	}
	t := &Table{Format: "csv", Encoding: enc, Separator: DetectSeparator(text)}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = t.Separator
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{Key: "bad_csv", Line: pe.Line, Column: pe.Column, Err: err}
			}
			return nil, &Error{Key: "bad_csv", Err: err}
		}
		line, _ := r.FieldPos(0)
		t.Rows, t.Lines = append(t.Rows, rec), append(t.Lines, line)
		if len(t.Rows) > MaxRows+1 {
			// Stop reading: the count is enough to refuse it.
			t.Rows, t.Lines = append(t.Rows, nil), append(t.Lines, line+1)
			break
		}
	}
	return t, nil
}

// binaryAt finds the first control character that no text file holds (a
// NUL, say), which says the file is not text at all.
func binaryAt(s string) (line, col int, found bool) {
	line, col = 1, 0
	for _, r := range s {
		col++
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r < 0x20 && r != '\t' && r != '\r':
			return line, col, true
		}
	}
	return 0, 0, false
}

// DetectSeparator picks the separator among comma, semicolon and tab that
// splits the first lines most consistently, outside quotes.
func DetectSeparator(text string) rune {
	best, bestScore := ',', -1
	for _, sep := range []rune{',', ';', '\t'} {
		counts := countOutsideQuotes(text, sep, 10)
		if len(counts) == 0 || counts[0] == 0 {
			continue
		}
		// Lines that agree with the header's count.
		score := 0
		for _, c := range counts {
			if c == counts[0] {
				score += 1000
			}
		}
		score += counts[0]
		if score > bestScore {
			best, bestScore = sep, score
		}
	}
	return best
}

func countOutsideQuotes(text string, sep rune, lines int) []int {
	var out []int
	n, quoted := 0, false
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '\n' && !quoted:
			out = append(out, n)
			n = 0
			if len(out) == lines {
				return out
			}
		case r == sep && !quoted:
			n++
		}
	}
	if n > 0 {
		out = append(out, n)
	}
	return out
}

func readXLSX(data []byte, sheet string) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{Key: "not_spreadsheet", Err: err}
	}
	defer f.Close()
	t := &Table{Format: "xlsx", Sheets: f.GetSheetList()}
	if len(t.Sheets) == 0 {
		return nil, &Error{Key: "empty"}
	}
	t.Sheet = t.Sheets[0]
	if sheet != "" {
		found := false
		for _, s := range t.Sheets {
			if s == sheet {
				found = true
			}
		}
		if !found {
			return nil, &Error{Key: "no_sheet", Args: map[string]any{"Sheet": sheet, "Sheets": strings.Join(t.Sheets, ", ")}}
		}
		t.Sheet = sheet
	}
	rows, err := f.Rows(t.Sheet)
	if err != nil {
		return nil, &Error{Key: "not_spreadsheet", Err: err}
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		cols, err := rows.Columns()
		if err != nil {
			return nil, &Error{Key: "not_spreadsheet", Line: line, Column: 1, Err: err}
		}
		t.Rows, t.Lines = append(t.Rows, cols), append(t.Lines, line)
		if len(t.Rows) > MaxRows+1 {
			break
		}
	}
	return t, nil
}

// ColumnName gives a spreadsheet's name of a 1-based column: 1 is A, 27 AA.
func ColumnName(col int) string {
	s := ""
	for col > 0 {
		col--
		s = string(rune('A'+col%26)) + s
		col /= 26
	}
	return s
}
