package letter

import (
	"fmt"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// segment is a piece of parsed markup: literal text or a field, bold or
// not.
type segment struct {
	text  string
	field string
	bold  bool
}

// pblock is a parsed paragraph, list item, 記 or 以上: its hard lines.
type pblock struct {
	kind  Kind
	lines [][]segment
}

// parse reads a template's markup (see the package comment). where names
// the part of the template in errors.
func parse(where, src string) ([]pblock, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	var out []pblock
	var cur *pblock
	var open bool // inside **, across the lines of one block
	var openedAt int
	flush := func() error {
		if cur != nil && open {
			return markupError(where, openedAt, "error.letter_unclosed_bold", "", "** is not closed")
		}
		if cur != nil {
			if len(cur.lines) == 1 && cur.kind == KindParagraph {
				switch strings.TrimSpace(plain(cur.lines[0])) {
				case "記":
					cur.kind = KindCentre
				case "以上":
					cur.kind = KindRight
				}
			}
			out = append(out, *cur)
		}
		cur, open = nil, false
		return nil
	}
	for i, line := range strings.Split(src, "\n") {
		n := i + 1
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		item := strings.HasPrefix(line, "- ")
		if item {
			line = strings.TrimSpace(line[2:])
		}
		if item || cur == nil || cur.kind == KindItem {
			if err := flush(); err != nil {
				return nil, err
			}
			cur = &pblock{kind: KindParagraph}
			if item {
				cur.kind = KindItem
			}
		}
		segs, err := parseLine(where, n, line, &open, &openedAt)
		if err != nil {
			return nil, err
		}
		cur.lines = append(cur.lines, segs)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// parseLine reads one line's bold markers and fields; bold carries over
// from the previous line of the same block.
func parseLine(where string, n int, line string, bold *bool, openedAt *int) ([]segment, error) {
	var segs []segment
	add := func(s segment) {
		if s.field == "" && len(segs) > 0 {
			last := &segs[len(segs)-1]
			if last.field == "" && last.bold == s.bold {
				last.text += s.text
				return
			}
		}
		if s.field != "" || s.text != "" {
			segs = append(segs, s)
		}
	}
	for line != "" {
		i := strings.Index(line, "**")
		j := strings.Index(line, "{{")
		switch {
		case i < 0 && j < 0:
			add(segment{text: line, bold: *bold})
			line = ""
		case j < 0 || (i >= 0 && i < j):
			add(segment{text: line[:i], bold: *bold})
			*bold = !*bold
			if *bold {
				*openedAt = n
			}
			line = line[i+2:]
		default:
			add(segment{text: line[:j], bold: *bold})
			end := strings.Index(line[j:], "}}")
			if end < 0 {
				return nil, markupError(where, n, "error.letter_unclosed_field", "", "{{ is not closed by }}")
			}
			name := strings.TrimSpace(line[j+2 : j+end])
			if _, ok := fieldsByName[name]; !ok {
				return nil, markupError(where, n, "error.letter_unknown_field", name, fmt.Sprintf("unknown field {{%s}}", name))
			}
			add(segment{field: name, bold: *bold})
			line = line[j+end+2:]
		}
	}
	return segs, nil
}

// markupError is the error Check returns for bad markup: the part of the
// template in Field, the line and (for an unknown field) its name in Args.
func markupError(where string, line int, key, name, msg string) *rencontres.Error {
	args := map[string]any{"Line": line}
	if key == "error.letter_unknown_field" {
		args["Name"] = name
	}
	return &rencontres.Error{Code: rencontres.EINVALID, Key: key, Field: where, Args: args,
		Message: fmt.Sprintf("line %d: %s", line, msg)}
}

// plain is a line's literal text, fields left out.
func plain(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.text)
	}
	return b.String()
}
