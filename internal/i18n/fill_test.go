package i18n

import (
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Every message T fills itself reads exactly as go-i18n gives it: with
// string and integer arguments, without its arguments, and with one it
// does not name. Count, or a value that is neither a string nor an
// integer, goes to go-i18n.
func TestFilledMessagesReadAsGoI18nGivesThem(t *testing.T) {
	c := MustLoad()
	filled := 0
	for _, l := range rencontres.Langs {
		p := c.Printer(l)
		for id, f := range p.fills {
			if slices.Contains(f.names, "Count") {
				if _, ok := f.fill([]any{"Count", 2}); ok {
					t.Errorf("%s %s filled with a Count", l, id)
				}
				continue
			}
			filled++
			var strs, ints []any
			for i, name := range f.names {
				strs = append(strs, name, "«"+name+"»")
				ints = append(ints, name, 1000+i)
			}
			for _, args := range [][]any{strs, ints, nil, append(strs, "Other", "x")} {
				want, ok := p.localize(id, args)
				if !ok {
					t.Fatalf("%s %s: go-i18n does not know it", l, id)
				}
				got, ok := f.fill(args)
				if !ok || got != want {
					t.Errorf("%s %s %v: filled %q (%v), go-i18n gives %q", l, id, args, got, ok, want)
				}
				if p.T(id, args...) != want {
					t.Errorf("%s %s %v: T gives %q, go-i18n %q", l, id, args, p.T(id, args...), want)
				}
			}
		}
	}
	t.Logf("%d messages filled without go-i18n", filled)
	// Most of the catalogues is filled; the rest is left to go-i18n.
	if filled < 3*2400 {
		t.Errorf("%d messages filled without go-i18n, in three catalogues of about 2,550", filled)
	}
	p := c.Printer(rencontres.French)
	for id, f := range p.fills {
		if len(f.names) == 0 || f.names[0] == "Count" {
			continue
		}
		for _, args := range [][]any{{"Count", 2}, {f.names[0], 2.5}} {
			if _, ok := f.fill(args); ok {
				t.Errorf("%s filled with %v, which go-i18n must do", id, args)
			}
		}
	}
	for id := range p.fills {
		if strings.HasSuffix(id, "campaign_call_hint") {
			t.Errorf("%s, which escapes a brace, is filled", id)
		}
	}
	if _, ok := p.localize("reg_status.confirmed", nil); !ok || p.fills["reg_status.confirmed"] == nil {
		t.Error("a plain message is not filled")
	}
}
