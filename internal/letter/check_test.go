package letter_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A template with an unknown field, an unclosed ** or {{, too many
// signatories or an unknown language is refused, saying where.
func TestCheckRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*letter.Template)
		key   string
		field string
		args  map[string]any
	}{
		{"unknown field in the body", func(t *letter.Template) { t.Body = "Bonjour,\n\nle {{event.dtaes}} à Paris." },
			"error.letter_unknown_field", "body", map[string]any{"Name": "event.dtaes", "Line": 3}},
		{"unknown field in the subject", func(t *letter.Template) { t.Subject = "Invitation {{ recipient.nom }}" },
			"error.letter_unknown_field", "subject", map[string]any{"Name": "recipient.nom", "Line": 1}},
		{"unknown field in an attachment", func(t *letter.Template) { t.Attachments = []string{"Ordre du jour", "Programme {{programme}}"} },
			"error.letter_unknown_field", "attachments[1]", map[string]any{"Name": "programme", "Line": 1}},
		{"unclosed field", func(t *letter.Template) { t.Closing = "Veuillez agréer, {{recipient.salutation, mes salutations." },
			"error.letter_unclosed_field", "closing", map[string]any{"Line": 1}},
		{"unclosed bold", func(t *letter.Template) { t.Body = "Un.\n\n**le {{meeting.day}},\nà Paris,\n\nDeux." },
			"error.letter_unclosed_bold", "body", map[string]any{"Line": 3}},
		{"three signatories", func(t *letter.Template) {
			t.Signatories = []letter.Signatory{{Name: "A"}, {Name: "B"}, {Name: "C"}}
		}, "error.letter_signatories", "signatories", map[string]any{"Max": 2}},
		{"unknown language", func(t *letter.Template) { t.Lang = "de" }, "error.unknown_language", "lang", map[string]any{"Lang": "de"}},
	} {
		tpl := letter.Default(rencontres.French)
		tc.edit(&tpl)
		err := letter.Check(&tpl)
		var e *rencontres.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: %v, want a *rencontres.Error", tc.name, err)
			continue
		}
		if e.Code != rencontres.EINVALID || e.Key != tc.key || e.Field != tc.field {
			t.Errorf("%s: code %q key %q field %q, want %q %q %q", tc.name, e.Code, e.Key, e.Field, rencontres.EINVALID, tc.key, tc.field)
		}
		for k, v := range tc.args {
			if e.Args[k] != v {
				t.Errorf("%s: Args[%s] = %v, want %v", tc.name, k, e.Args[k], v)
			}
		}
		d := seed001()
		if _, err := letter.Render(&tpl, &d); err == nil {
			t.Errorf("%s: Render accepted the template", tc.name)
		}
	}
}

// Every default template passes Check and uses only fields that exist.
func TestDefaultsCheck(t *testing.T) {
	for _, l := range rencontres.Langs {
		tpl := letter.Default(l)
		if err := letter.Check(&tpl); err != nil {
			t.Errorf("%s: %v", l, err)
		}
		if tpl.Lang != l {
			t.Errorf("Default(%s).Lang = %s", l, tpl.Lang)
		}
	}
}

// Missing lists, in the order of Fields, the fields a recipient lacks
// among those the template uses, and the letter shows them as [field].
func TestMissing(t *testing.T) {
	tpl := letter.Default(rencontres.French)
	full := seed001()
	if got := letter.Missing(&tpl, &full); len(got) != 0 {
		t.Errorf("complete data: missing %v", got)
	}
	d := seed001()
	d.Link, d.Deadline, d.Meeting.From = "", time.Time{}, time.Time{}
	d.Meeting.Venue = nil
	want := []string{"meeting.times", "meeting.venue", "deadline", "link"}
	if got := letter.Missing(&tpl, &d); !slices.Equal(got, want) {
		t.Errorf("missing %v, want %v", got, want)
	}
	l, err := letter.Render(&tpl, &d)
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(l.Missing)
	slices.Sort(got)
	sorted := slices.Clone(want)
	slices.Sort(sorted)
	if !slices.Equal(got, sorted) {
		t.Errorf("Letter.Missing %v, want %v", l.Missing, want)
	}
	var shown []string
	for _, b := range l.Blocks {
		for _, line := range b.Lines {
			for _, r := range line {
				if r.Missing {
					shown = append(shown, r.Text)
				}
			}
		}
	}
	if !slices.Contains(shown, "[deadline]") || !slices.Contains(shown, "[link]") {
		t.Errorf("placeholders shown %v, want [deadline] and [link] among them", shown)
	}
	// A field the template does not use is never missing.
	tpl.Body, tpl.Attachments = "Bonjour.", nil
	if got := letter.Missing(&tpl, &d); len(got) != 0 {
		t.Errorf("a template without those fields: missing %v", got)
	}
}

// Every field has a label in the three languages and a unique name.
func TestFieldLabels(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range letter.Fields {
		if seen[f.Name] {
			t.Errorf("field %s listed twice", f.Name)
		}
		seen[f.Name] = true
		for _, l := range rencontres.Langs {
			if !f.Label.Has(l) {
				t.Errorf("field %s has no %s label", f.Name, l)
			}
		}
	}
}
