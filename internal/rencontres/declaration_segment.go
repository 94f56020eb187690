package rencontres

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// The rules of a segment's text (issue 16, the draft), shared by the store,
// the pages and the API.
//
// A segment is held in French and Japanese, English optional. A new segment
// may start with one of French and Japanese: the other is then marked
// "translation to check" until someone writes it. A save never empties a
// language the segment had (French and Japanese both required once both
// are written; English may be removed). A segment with neither French nor
// Japanese is refused.

// MaxSegmentText is the longest a segment's text may be in one language.
const MaxSegmentText = 20000

// CleanSegmentText trims every language of t and drops the empty ones and
// the unknown ones.
func CleanSegmentText(t Text) Text {
	out := Text{}
	for _, l := range Langs {
		if v := strings.TrimSpace(strings.ReplaceAll(t[l], "\r\n", "\n")); v != "" {
			out[l] = v
		}
	}
	return out
}

// ValidateSegment checks a segment to be saved over old (nil for a new
// one): a known kind, French or Japanese present (both when old had
// both; no language old had emptied but English), no text too long.
// Every fault is reported at once, on fields text_fr, text_ja, text_en,
// kind.
func ValidateSegment(s *Segment, old *Segment) error {
	var errs []error
	if !slices.Contains(SegmentKinds, s.Kind) {
		errs = append(errs, &Error{Code: EINVALID, Key: "declaration.err_kind", Field: "kind", Message: fmt.Sprintf("unknown kind of segment %q", s.Kind)})
	}
	if s.Text[French] == "" && s.Text[Japanese] == "" {
		errs = append(errs, &Error{Code: EINVALID, Key: "declaration.err_empty", Field: "text_fr", Message: "a segment needs its French or its Japanese text"})
	} else if old != nil {
		for _, l := range DeclarationLangs {
			if old.Text[l] != "" && s.Text[l] == "" {
				errs = append(errs, &Error{Code: EINVALID, Key: "declaration.err_emptied", Field: "text_" + string(l),
					Message: fmt.Sprintf("the %s text cannot be emptied", l), Args: map[string]any{"Lang": string(l)}})
			}
		}
	}
	for _, l := range Langs {
		if utf8.RuneCountInString(s.Text[l]) > MaxSegmentText {
			errs = append(errs, &Error{Code: EINVALID, Key: "declaration.err_too_long", Field: "text_" + string(l),
				Message: fmt.Sprintf("at most %d characters", MaxSegmentText), Args: map[string]any{"Max": MaxSegmentText}})
		}
	}
	return Join(errs...)
}

// NextCheck is the "translation to check" mark after a save of text over
// old (nil for a new segment): a language saved changed clears its own
// mark; a language changed that was not itself marked (an edit, not the
// translation catching up) marks every other language present and
// unchanged; French or Japanese missing is always marked; English is
// marked only when it exists. A language emptied marks nothing.
func NextCheck(old *Segment, text Text) []Lang {
	var prev Text
	var check []Lang
	if old != nil {
		prev, check = old.Text, old.Check
	}
	changed, leads := map[Lang]bool{}, false
	for _, l := range Langs {
		if text[l] != "" && text[l] != prev[l] {
			changed[l] = true
			if !slices.Contains(check, l) {
				leads = true
			}
		}
	}
	var out []Lang
	for _, l := range Langs {
		switch {
		case text[l] == "" && slices.Contains(DeclarationLangs, l):
			out = append(out, l) // missing: to write
		case text[l] == "" || changed[l]:
			// English absent, or saved: no mark
		case leads || slices.Contains(check, l):
			out = append(out, l)
		}
	}
	return out
}

// ErrNotDraft is the refusal of an edit of a declaration that is no
// longer a draft.
func ErrNotDraft(st DeclarationState) *Error {
	if st == DeclarationFrozen {
		return &Error{Code: EINVALID, Key: "declaration.err_frozen", Message: "the text is frozen for its adoption"}
	}
	return &Error{Code: EINVALID, Key: "declaration.err_adopted", Message: "the text is adopted: use a correction"}
}
