// Package i18n holds the product's French, Japanese and English catalogues
// and the formatting of dates, ordinals and numbers in each language's
// conventions. A test fails when a catalogue misses a key another has.
package i18n

import (
	"embed"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.toml
var locales embed.FS

// Catalogue holds the loaded messages of every language.
type Catalogue struct {
	bundle   *i18n.Bundle
	printers map[rencontres.Lang]*Printer
}

// Load reads the embedded catalogues.
func Load() (*Catalogue, error) {
	b := i18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalogue{bundle: b, printers: map[rencontres.Lang]*Printer{}}
	for _, l := range rencontres.Langs {
		if _, err := b.LoadMessageFileFS(locales, "locales/"+string(l)+".toml"); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		fills, err := loadFillers(l)
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		c.printers[l] = &Printer{Lang: l, loc: i18n.NewLocalizer(b, string(l)), num: newNumberPrinter(l), fills: fills}
	}
	return c, nil
}

// MustLoad is Load for program start and tests: the catalogues are embedded,
// so a failure is a build defect.
func MustLoad() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Printer returns the printer of a language; unknown languages get French.
func (c *Catalogue) Printer(l rencontres.Lang) *Printer {
	if p, ok := c.printers[l]; ok {
		return p
	}
	return c.printers[rencontres.French]
}

// Printer translates and formats for one language.
type Printer struct {
	Lang rencontres.Lang
	loc  *i18n.Localizer
	num  *message.Printer
	// fills are the messages T fills itself (fill.go).
	fills map[string]*filler
}

// T returns the message with the given ID, filled with args given as
// name/value pairs ("Count", 3, "Name", "Kumamoto"). A "Count" argument also
// picks the plural form. A missing message is logged and shows its ID, which
// the catalogue tests prevent from shipping.
func (p *Printer) T(id string, args ...any) string {
	if f := p.fills[id]; f != nil {
		if s, ok := f.fill(args); ok {
			return s
		}
	}
	s, _ := p.localize(id, args)
	return s
}

// localize is T through go-i18n; false when the message is missing.
func (p *Printer) localize(id string, args []any) (string, bool) {
	data := map[string]any{}
	var count any
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		data[name] = args[i+1]
		if name == "Count" {
			count = args[i+1]
		}
	}
	s, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		slog.Warn("missing translation", "lang", p.Lang, "id", id, "err", err)
		return id, false
	}
	return s, true
}

// Error translates a domain error, falling back to its English message.
func (p *Printer) Error(err error) string {
	e, ok := err.(*rencontres.Error)
	if !ok || e.Key == "" {
		return p.T("error.internal")
	}
	args := []any{"Field", p.FieldLabel(e.Field)}
	for k, v := range e.Args {
		// A translated argument (the title of a clashing session) is
		// given in the reader's language.
		switch t := v.(type) {
		case rencontres.Text:
			v = t.In(p.Lang)
		case rencontres.Date:
			v = p.LongDate(t)
		case time.Time:
			v = p.DateTime(t)
		}
		args = append(args, k, v)
	}
	s, lerr := p.loc.Localize(&i18n.LocalizeConfig{MessageID: e.Key, TemplateData: argsMap(args)})
	if lerr != nil {
		return e.Message
	}
	return s
}

func argsMap(args []any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		m[name] = args[i+1]
	}
	return m
}

// FieldLabel is the label a form shows for an input's internal name
// ("family_name" is « Nom »), so that a message names the field as the
// reader sees it. A list's index ("questions[2]") and a language suffix
// ("title.ja") share the label of their field; a name with no label is
// returned as it is.
func (p *Printer) FieldLabel(field string) string {
	if field == "" {
		return ""
	}
	name := field
	if i := strings.IndexByte(name, '['); i > 0 {
		name = name[:i]
	}
	s, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: "form_field." + name})
	if err != nil {
		if before, _, ok := strings.Cut(name, "."); ok && before != "answers" {
			return p.FieldLabel(before)
		}
		return field
	}
	return s
}
