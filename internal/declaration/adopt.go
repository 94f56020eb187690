package declaration

import (
	"cmp"
	"context"
	"slices"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/textdiff"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// What the adoption's pages and API share: who endorses for which
// authority, who adopted the text, in each language's order, and what
// each correction changed.

// Endorses lists the authorities the actor endorses the edition's
// declaration for: the registered authorities it is a contact of. The
// secretariat, which amends for every authority, signs for none: an
// endorsement is the authority's own.
func Endorses(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, editionID int64) ([]string, error) {
	if a.User == nil || !a.Can(rencontres.AmendDeclarations, rencontres.Target{}) {
		return nil, nil
	}
	registered, err := ds.RegisteredOrgs(ctx, editionID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range registered {
		if slices.Contains(a.User.OrgKeys, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// Adopters are the authorities that adopted the text: those that voted
// for it, or endorsed it.
func Adopters(d *rencontres.Declaration, all []*rencontres.Adoption) []*rencontres.Adoption {
	var out []*rencontres.Adoption
	for _, a := range all {
		if a.Choice == rencontres.VoteFor || a.Choice == rencontres.Endorse {
			out = append(out, a)
		}
	}
	return out
}

// SortAdopters orders authorities as a list in lang is read: by their name
// in that language in its collation (French names as French sorts them),
// Japanese by the kana reading of the name where known, so that 熊本市
// (くまもとし) comes in the gojūon order and not by its kanji's code.
func SortAdopters(list []*rencontres.Adoption, lang rencontres.Lang) []*rencontres.Adoption {
	out := slices.Clone(list)
	c := collate.New(language.Make(string(lang)), collate.Loose)
	key := func(a *rencontres.Adoption) string {
		if lang == rencontres.Japanese && a.OrgKana != "" {
			return a.OrgKana
		}
		return a.OrgName.In(lang)
	}
	slices.SortStableFunc(out, func(a, b *rencontres.Adoption) int {
		return cmp.Or(c.CompareString(key(a), key(b)), cmp.Compare(a.OrgKey, b.OrgKey))
	})
	return out
}

// Change is one segment as a correction changed it: its text before and
// after.
type Change struct {
	SegmentID     int64
	Kind          rencontres.SegmentKind
	Before, After rencontres.Text
}

// Diff is what the change did to lang's text: by characters for
// Japanese, by words otherwise (internal/textdiff).
func (c Change) Diff(lang rencontres.Lang) []textdiff.Op {
	if lang == rencontres.Japanese {
		return textdiff.Chars(c.Before[lang], c.After[lang])
	}
	return textdiff.Words(c.Before[lang], c.After[lang])
}

// Corrected is a correction with what it changed.
type Corrected struct {
	*rencontres.DeclarationCorrection
	Changes []Change
}

// Corrections pairs each correction with the segments it changed, read
// from the declaration's history (every version, any order): the version
// the correction made and the one before it of the same segment.
func Corrections(list []*rencontres.DeclarationCorrection, history []*rencontres.SegmentVersion) []Corrected {
	type key struct{ seg, version int64 }
	byVersion := map[key]*rencontres.SegmentVersion{}
	for _, v := range history {
		byVersion[key{v.SegmentID, v.Version}] = v
	}
	out := make([]Corrected, 0, len(list))
	for _, c := range list {
		x := Corrected{DeclarationCorrection: c}
		for _, v := range history {
			if v.CorrectionID != c.ID {
				continue
			}
			ch := Change{SegmentID: v.SegmentID, Kind: v.Kind, After: v.Text}
			if prev := byVersion[key{v.SegmentID, v.Version - 1}]; prev != nil {
				ch.Before = prev.Text
			}
			x.Changes = append(x.Changes, ch)
		}
		slices.SortFunc(x.Changes, func(a, b Change) int { return cmp.Compare(a.SegmentID, b.SegmentID) })
		out = append(out, x)
	}
	return out
}
