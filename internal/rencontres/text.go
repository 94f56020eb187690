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
		if m, ok := parseFlatText(v); ok {
			*t = m
			return nil
		}
		b = []byte(v)
	case []byte:
		if m, ok := parseFlatText(string(v)); ok {
			*t = m
			return nil
		}
		b = v
	default:
		return fmt.Errorf("rencontres.Text: cannot scan %T", src)
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

// parseFlatText reads the common shape of a stored Text, a JSON object of
// plain strings ({"fr":"Lyon","ja":"リヨン"}), without encoding/json: the
// directory and the map scan thousands of names a page. Anything else (an
// escape, a control character, invalid UTF-8, another value) is left to
// encoding/json (ok false), so the result is always the one it gives.
func parseFlatText(s string) (Text, bool) {
	i := 0
	space := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
	}
	str := func() (string, bool) {
		if i >= len(s) || s[i] != '"' {
			return "", false
		}
		start := i + 1
		for j := start; j < len(s); j++ {
			switch c := s[j]; {
			case c == '"':
				i = j + 1
				v := s[start:j]
				return v, utf8.ValidString(v)
			case c == '\\' || c < 0x20:
				return "", false
			}
		}
		return "", false
	}
	space()
	if i >= len(s) || s[i] != '{' {
		return nil, false
	}
	i++
	m := Text{}
	space()
	if i < len(s) && s[i] == '}' {
		i++
		space()
		return m, i == len(s)
	}
	for {
		space()
		k, ok := str()
		if !ok {
			return nil, false
		}
		space()
		if i >= len(s) || s[i] != ':' {
			return nil, false
		}
		i++
		space()
		v, ok := str()
		if !ok {
			return nil, false
		}
		m[Lang(k)] = v
		space()
		if i >= len(s) {
			return nil, false
		}
		if s[i] == ',' {
			i++
			continue
		}
		if s[i] != '}' {
			return nil, false
		}
		i++
		space()
		return m, i == len(s)
	}
}
