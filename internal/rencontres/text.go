package rencontres

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Lang is one of the product's languages.
type Lang string

// The product's languages, in the order they are offered.
const (
	French   Lang = "fr"
	Japanese Lang = "ja"
	English  Lang = "en"
)

// Langs lists the supported languages in display order.
var Langs = []Lang{French, Japanese, English}

// ParseLang returns the Lang for s, or false when s is not supported.
func ParseLang(s string) (Lang, bool) {
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// Text is a translated text: one value with an entry per language. It is
// stored as a single JSON column so that a translated field never spreads
// over three columns of the schema.
type Text map[Lang]string

// In returns the text in lang, falling back to French, English, then
// Japanese, so that a page never shows an empty title because one
// translation is missing.
func (t Text) In(lang Lang) string {
	if s := t[lang]; s != "" {
		return s
	}
	for _, l := range []Lang{French, English, Japanese} {
		if s := t[l]; s != "" {
			return s
		}
	}
	return ""
}

// Has reports whether the text has an entry in lang of its own.
func (t Text) Has(lang Lang) bool { return t[lang] != "" }

// IsZero reports whether the text has no entry in any language.
func (t Text) IsZero() bool {
	for _, s := range t {
		if s != "" {
			return false
		}
	}
	return true
}

// Value stores the text as JSON.
func (t Text) Value() (driver.Value, error) {
	if t == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[Lang]string(t))
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan reads a text stored as JSON.
func (t *Text) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*t = Text{}
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("rencontres.Text: cannot scan %T", src)
	}
	if m, ok := scanFlatText(b); ok {
		*t = m
		return nil
	}
	m := map[Lang]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("rencontres.Text: %w", err)
	}
	*t = m
	return nil
}

// Validate checks that every entry is in a supported language and that the
// text is present when required.
func (t Text) Validate(field string, required bool) error {
	for l := range t {
		if _, ok := ParseLang(string(l)); !ok {
			return &Error{Code: EINVALID, Key: "error.unknown_language", Field: field,
				Message: fmt.Sprintf("unknown language %q", l), Args: map[string]any{"Lang": string(l)}}
		}
	}
	if required && t.IsZero() {
		return &Error{Code: EINVALID, Key: "error.required", Field: field, Message: "required"}
	}
	return nil
}

// scanFlatText reads what Text's Value writes, {"fr":"…","ja":"…"}, when
// no string holds an escape, a control character or invalid UTF-8: every
// page of the library scans three Texts a practice, and json.Unmarshal
// into a map was a fifth of its reading. ok is false for anything else,
// which json.Unmarshal then reads (and rejects if it must).
func scanFlatText(b []byte) (Text, bool) {
	if !utf8.Valid(b) {
		return nil, false
	}
	i := 0
	space := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			i++
		}
	}
	str := func() (string, bool) {
		space()
		if i >= len(b) || b[i] != '"' {
			return "", false
		}
		start := i + 1
		for j := start; j < len(b); j++ {
			switch c := b[j]; {
			case c == '"':
				i = j + 1
				return string(b[start:j]), true
			case c == '\\' || c < 0x20:
				return "", false
			}
		}
		return "", false
	}
	char := func(c byte) bool {
		space()
		if i < len(b) && b[i] == c {
			i++
			return true
		}
		return false
	}
	if !char('{') {
		return nil, false
	}
	m := Text{}
	if char('}') {
		space()
		return m, i == len(b)
	}
	for {
		k, ok := str()
		if !ok || !char(':') {
			return nil, false
		}
		v, ok := str()
		if !ok {
			return nil, false
		}
		m[Lang(k)] = v
		if char(',') {
			continue
		}
		if !char('}') {
			return nil, false
		}
		space()
		return m, i == len(b)
	}
}
