package i18n_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// frenchFaults are the typographic faults French text must not have, each
// with what to write instead. The no-break space is U+00A0, as the letters
// and internal/i18n's numbers and quotes use it.
var frenchFaults = []struct {
	re   *regexp.Regexp
	says string
}{
	{regexp.MustCompile(`'`), "a straight apostrophe: write ’"},
	{regexp.MustCompile(` [:;?!»]`), "an ordinary space before : ; ? ! or »: write a no-break space (U+00A0)"},
	{regexp.MustCompile(`« `), "an ordinary space after «: write a no-break space (U+00A0)"},
	{regexp.MustCompile(`[^\s\x{00a0}(«][:;?!]( |$)`), "no space before : ; ? or !: write a no-break space (U+00A0)"},
	{regexp.MustCompile(`\b1(e|ère|ere|er)\b`), "a wrong first ordinal: write 1re (1er for a day)"},
	{regexp.MustCompile(`\b\d+(ème|eme|è)\b`), "a wrong ordinal: write 8e"},
	{regexp.MustCompile(`\}\}e\b`), "an ordinal made by appending « e » to a number, wrong for 1: write {{if eq .N 1}}1re{{else}}{{.N}}e{{end}}"},
	{regexp.MustCompile(`n° `), "an ordinary space after n°: write a no-break space (U+00A0)"},
}

// rightOrdinal is how a message writes an ordinal from a number: 1re,
// else the number and « e ».
var rightOrdinal = regexp.MustCompile(`\{\{if eq \.(\w+) 1\}\}1re\{\{else\}\}\{\{\.(\w+)\}\}e\{\{end\}\}`)

// notFrench is what French typography leaves alone: URLs, HTTP headers,
// clock times.
var notFrench = regexp.MustCompile(`https?://\S+|\b(Authorization|Content-Type|Idempotency-Key): |HH:MM|\d+:\d+`)

// frenchFault returns what is wrong with a French text, or "". Template
// actions are code, and URLs and « HH:MM » keep their colons.
func frenchFault(s string) string {
	s = rightOrdinal.ReplaceAllString(s, "8e")
	s = templateAction.ReplaceAllString(s, "{{}}")
	s = notFrench.ReplaceAllString(s, "")
	for _, f := range frenchFaults {
		if f.re.MatchString(s) {
			return f.says
		}
	}
	return ""
}

func TestFrenchFaults(t *testing.T) {
	for _, c := range []struct {
		text  string
		fault bool
	}{
		{"L’annuaire des collectivités", false},
		{"L'annuaire des collectivités", true},
		{"Objet\u00a0: {{.Subject}}", false},
		{"Objet : {{.Subject}}", true},
		{"Objet: {{.Subject}}", true},
		{"Vraiment\u00a0?", false},
		{"Vraiment ?", true},
		{"«\u00a0Aperçu\u00a0»", false},
		{"« Aperçu »", true},
		{"La 1re édition", false},
		{"La 1e édition", true},
		{"La 8ème édition", true},
		{"La {{.Number}}e édition", true},
		{"La {{if eq .Number 1}}1re{{else}}{{.Number}}e{{end}} édition", false},
		{"Choix n°\u00a0{{.N}}", false},
		{"Choix n° {{.N}}", true},
		{"L’heure doit s’écrire HH:MM, par exemple 16:30.", false},
		{"(Content-Type: application/json)", false},
		{"voir https://example.org/a:b", false},
	} {
		if got := frenchFault(c.text) != ""; got != c.fault {
			t.Errorf("frenchFault(%q) = %q, want a fault: %v", c.text, frenchFault(c.text), c.fault)
		}
	}
}

// Every French catalogue value, every French label of the letters' fields
// and every goal's French name follows French typography: ’, no-break spaces before : ; ? ! and
// inside « », ordinals 1re and 8e.
func TestFrenchTypography(t *testing.T) {
	var m map[string]any
	file := filepath.Join("locales", "fr.toml")
	if _, err := toml.DecodeFile(file, &m); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	flatten("", m, texts)
	for _, f := range letter.Fields {
		texts["(internal/letter/fields.go) "+f.Name] = f.Label.In(rencontres.French)
	}
	// The goals' names are shown on the programme beside the catalogue's
	// « ODD 7 : ».
	for _, g := range rencontres.SDGs {
		texts[fmt.Sprintf("(internal/rencontres/sdg.go) SDG %d", g.Number)] = g.Name.In(rencontres.French)
	}
	ids := make([]string, 0, len(texts))
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if fault := frenchFault(texts[id]); fault != "" {
			t.Errorf("fr.toml: %s = %q has %s", id, texts[id], fault)
		}
	}
}

// The edition that exists already is named with its ordinal written
// right: 1re, then 2e, 8e.
func TestFrenchOrdinalInError(t *testing.T) {
	p := i18n.MustLoad().Printer(rencontres.French)
	for n, want := range map[int]string{1: "La 1re édition", 2: "La 2e édition", 8: "La 8e édition"} {
		err := &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.edition_exists", Args: map[string]any{"Number": n}}
		if got := p.Error(err); !strings.HasPrefix(got, want) {
			t.Errorf("edition %d: %q, want it to start with %q", n, got, want)
		}
	}
}
