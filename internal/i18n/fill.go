package i18n

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Messages filled without go-i18n. go-i18n runs a message's text/template
// at every call: 0.76 µs and 11 allocations for a line of two arguments,
// which a page or a batch of confirmations asks for hundreds of times.
// Most messages only put their arguments in place ({{.Name}}): those are
// cut once, at load, from the catalogue's text, and filled by
// concatenation. A message with any other action ({{if}}, an escaped
// brace), a call with Count (which picks a plural form), or an argument
// that is not a string or an integer goes to go-i18n, as before.

// placeholder is the only action a filled message may hold.
var placeholder = regexp.MustCompile(`\{\{\.([A-Za-z0-9_]+)\}\}`)

// filler is a message's text cut at its placeholders: texts[0], then the
// argument names[0], then texts[1], and so on.
type filler struct {
	texts []string
	names []string
}

// loadFillers cuts the messages of a catalogue that only hold
// placeholders. A plural message is cut from its "other" form, the one
// go-i18n gives when no Count is passed.
func loadFillers(l rencontres.Lang) (map[string]*filler, error) {
	var m map[string]any
	if _, err := toml.DecodeFS(locales, "locales/"+string(l)+".toml", &m); err != nil {
		return nil, err
	}
	out := map[string]*filler{}
	walkMessages("", m, func(id string, msg any) {
		text, ok := msg.(string)
		if forms, plural := msg.(map[string]any); plural {
			text, ok = forms["other"].(string)
		}
		if f := cut(text); ok && f != nil {
			out[id] = f
		}
	})
	return out, nil
}

// walkMessages calls fn with each message of a decoded catalogue, by its
// ID: its text, or the table of its plural forms.
func walkMessages(prefix string, m map[string]any, fn func(id string, msg any)) {
	for k, x := range m {
		id := strings.TrimPrefix(prefix+"."+k, ".")
		switch x := x.(type) {
		case string:
			fn(id, x)
		case map[string]any:
			if pluralForms(x) {
				fn(id, x)
			} else {
				walkMessages(id, x, fn)
			}
		}
	}
}

// pluralForms says whether a table of a catalogue is one message's plural
// forms rather than a section.
func pluralForms(m map[string]any) bool {
	for k := range m {
		switch k {
		case "zero", "one", "two", "few", "many", "other":
		default:
			return false
		}
	}
	return len(m) > 0
}

// cut returns the filler of a message's text, or nil when the text holds
// an action other than a placeholder.
func cut(text string) *filler {
	if strings.Contains(placeholder.ReplaceAllString(text, ""), "{{") {
		return nil
	}
	f := &filler{}
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(text, -1) {
		f.texts = append(f.texts, text[last:m[0]])
		f.names = append(f.names, text[m[2]:m[3]])
		last = m[1]
	}
	f.texts = append(f.texts, text[last:])
	return f
}

// fill puts args (name/value pairs, as T takes them) in place; false when
// go-i18n must do it: Count among the arguments, or a value that is not a
// string or an integer. A placeholder without its argument shows
// "<no value>", as text/template shows it.
func (f *filler) fill(args []any) (string, bool) {
	for j := 0; j+1 < len(args); j += 2 {
		if args[j] == "Count" {
			return "", false
		}
	}
	if len(f.names) == 0 {
		return f.texts[0], true
	}
	var b strings.Builder
	b.WriteString(f.texts[0])
	for i, name := range f.names {
		v, ok := "<no value>", true
		for j := 0; j+1 < len(args); j += 2 {
			if args[j] == name {
				v, ok = plainValue(args[j+1])
			}
		}
		if !ok {
			return "", false
		}
		b.WriteString(v)
		b.WriteString(f.texts[i+1])
	}
	return b.String(), true
}

// plainValue is how text/template prints a string or an integer.
func plainValue(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	}
	return "", false
}
