package rencontres

import (
	"slices"
	"testing"
)

func TestNextCheck(t *testing.T) {
	both := &Segment{Text: Text{"fr": "Texte", "ja": "本文"}}
	withEN := &Segment{Text: Text{"fr": "Texte", "ja": "本文", "en": "Text"}}
	jaMarked := &Segment{Text: Text{"fr": "Texte", "ja": "本文", "en": "Text"}, Check: []Lang{Japanese, English}}
	for _, c := range []struct {
		name string
		old  *Segment
		text Text
		want []Lang
	}{
		{"new, both", nil, Text{"fr": "a", "ja": "b"}, nil},
		{"new, French only", nil, Text{"fr": "a"}, []Lang{Japanese}},
		{"new, Japanese only", nil, Text{"ja": "b"}, []Lang{French}},
		{"French alone", both, Text{"fr": "Autre", "ja": "本文"}, []Lang{Japanese}},
		{"French alone, English present", withEN, Text{"fr": "Autre", "ja": "本文", "en": "Text"}, []Lang{Japanese, English}},
		{"both changed", withEN, Text{"fr": "Autre", "ja": "別", "en": "Text"}, []Lang{English}},
		{"nothing changed keeps the marks", jaMarked, jaMarked.Text, []Lang{Japanese, English}},
		{"the marked side catching up", jaMarked, Text{"fr": "Texte", "ja": "新しい本文", "en": "Text"}, []Lang{English}},
		{"English removed marks nothing", withEN, Text{"fr": "Texte", "ja": "本文"}, nil},
	} {
		if got := NextCheck(c.old, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestValidateSegment(t *testing.T) {
	old := &Segment{Kind: SegmentArticle, Text: Text{"fr": "Texte", "ja": "本文"}}
	for _, c := range []struct {
		name   string
		s      *Segment
		old    *Segment
		fields []string
	}{
		{"fine", &Segment{Kind: SegmentArticle, Text: Text{"fr": "a"}}, nil, nil},
		{"empty", &Segment{Kind: SegmentArticle, Text: Text{"en": "a"}}, nil, []string{"text_fr"}},
		{"Japanese emptied, bad kind", &Segment{Kind: "chapter", Text: Text{"fr": "a"}}, old, []string{"kind", "text_ja"}},
	} {
		err := ValidateSegment(c.s, c.old)
		var fields []string
		if err != nil {
			for _, e := range err.(*Error).All() {
				fields = append(fields, e.Field)
			}
		}
		if !slices.Equal(fields, c.fields) {
			t.Errorf("%s: %v, want %v", c.name, fields, c.fields)
		}
	}
}
