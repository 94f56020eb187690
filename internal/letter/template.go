package letter

import (
	"fmt"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Template is a letter as the secretariat writes it once per language;
// Render fills it for each recipient. It is stored as JSON.
type Template struct {
	Lang rencontres.Lang `json:"lang"`
	// Letterhead is the organisers' heading, side by side at the top of
	// the first page.
	Letterhead []Organiser `json:"letterhead,omitempty"`
	// Place is where the letter is written: « Paris », for « Paris, le 11
	// juillet 2023 ». Japanese letters show the date alone.
	Place   string `json:"place"`
	Subject string `json:"subject"`
	// Salutation is « Madame la Maire, » or the like; empty, it is derived
	// from the recipient (see salutation.go).
	Salutation string `json:"salutation,omitempty"`
	Body       string `json:"body"`
	// Closing is the closing formula, a paragraph after the body.
	Closing     string      `json:"closing"`
	Signatories []Signatory `json:"signatories"`
	// Attachments are listed after « PJ : », one per line.
	Attachments []string `json:"attachments,omitempty"`
	// Era writes Japanese dates in the era: 令和5年7月11日.
	Era bool `json:"era,omitempty"`
	// Frame opens a Japanese letter with 拝啓 and closes it with 敬具.
	Frame bool `json:"frame,omitempty"`
	// Greeting follows 拝啓; empty, it is the season's usual greeting for
	// the letter's month (seasonal.go).
	Greeting string `json:"greeting,omitempty"`
}

// Signatory is one of the (at most two) people who sign a letter.
type Signatory struct {
	Name string `json:"name"`
	// Function is printed under the name, one line each.
	Function []string `json:"function,omitempty"`
}

// MaxSignatories is how many signature blocks fit side by side.
const MaxSignatories = 2

// source is one piece of a template that may hold markup and fields,
// named as the editor's form names it.
type source struct {
	where string
	text  string
}

func (t *Template) sources() []source {
	s := []source{{"subject", t.Subject}, {"salutation", t.Salutation}, {"body", t.Body}, {"closing", t.Closing}, {"greeting", t.Greeting}}
	for i, a := range t.Attachments {
		s = append(s, source{sourceName("attachments", i), a})
	}
	return s
}

// Check validates a template before it is saved or used: a supported
// language, a subject, at most two signatories, and markup that parses
// with known fields only. The error is a *rencontres.Error naming the part
// of the template (Field) and, for markup, the line and the field.
func Check(t *Template) error {
	if err := checkShape(t); err != nil {
		return err
	}
	_, err := compile(t)
	return err
}

// checkShape checks what is not markup: the language and the signatories.
func checkShape(t *Template) error {
	if _, ok := rencontres.ParseLang(string(t.Lang)); !ok {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_language", Field: "lang",
			Message: fmt.Sprintf("unknown language %q", t.Lang), Args: map[string]any{"Lang": string(t.Lang)}}
	}
	if len(t.Signatories) > MaxSignatories {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.letter_signatories", Field: "signatories",
			Message: fmt.Sprintf("%d signatories; a letter has one or two", len(t.Signatories)), Args: map[string]any{"Max": MaxSignatories}}
	}
	return nil
}

// sourceName names the i-th entry of a list in a template.
func sourceName(list string, i int) string { return fmt.Sprintf("%s[%d]", list, i) }

// Missing lists the fields a template uses for which d has no value, in
// the order of Fields, so that the secretariat can be shown which
// recipients lack what before anything is sent. The template must pass
// Check.
func Missing(t *Template, d *Data) []string {
	used := map[string]bool{}
	src, _ := compile(t)
	for _, blocks := range src {
		for _, b := range blocks {
			for _, l := range b.lines {
				for _, seg := range l {
					if seg.field != "" {
						used[seg.field] = true
					}
				}
			}
		}
	}
	var out []string
	for _, f := range Fields {
		if used[f.Name] && !f.has(t, d) {
			out = append(out, f.Name)
		}
	}
	return out
}
