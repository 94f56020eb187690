package web

import (
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// AmendLangDiff is one language of an amendment side by side: the segment's
// text as the amendment read it, the text proposed, and what changed
// (word by word in French and English, character by character in
// Japanese).
type AmendLangDiff struct {
	Lang              rencontres.Lang
	Current, Proposed string
	Ops               []DiffOp
	Pending           bool // the amendment has no text in this language yet
}

// DiffOp is one run of a diff: "equal", "insert" or "delete".
type DiffOp struct {
	Kind, Text string
}

// amendmentDiffs compares, in each language of the declaration (English
// when either side has it), the segment as the amendment read it with
// the amendment's text: all of it deleted by a deletion, all of it added
// by an addition.
func amendmentDiffs(a *rencontres.Amendment, base rencontres.Text) []AmendLangDiff {
	langs := append([]rencontres.Lang{}, rencontres.DeclarationLangs...)
	if base.Has(rencontres.English) || a.Text.Has(rencontres.English) {
		langs = append(langs, rencontres.English)
	}
	var out []AmendLangDiff
	for _, l := range langs {
		d := AmendLangDiff{Lang: l, Current: base[l], Proposed: a.Text[l]}
		switch a.Kind {
		case rencontres.AmendDelete:
			d.Proposed = ""
			d.Ops = diffOps(l, d.Current, "")
		case rencontres.AmendAddAfter:
			d.Pending = !a.Text.Has(l)
			d.Ops = diffOps(l, "", d.Proposed)
		default:
			d.Pending = !a.Text.Has(l)
			if !d.Pending {
				d.Ops = diffOps(l, d.Current, d.Proposed)
			}
		}
		out = append(out, d)
	}
	return out
}

// declZones are the edition's zone and the other country's.
func declZones(d *rencontres.Declaration) (*time.Location, *time.Location) {
	here, err := time.LoadLocation(d.TimeZone)
	if err != nil || d.TimeZone == "" {
		here = time.UTC
	}
	other, _ := time.LoadLocation(map[bool]string{true: "Europe/Paris", false: "Asia/Tokyo"}[d.TimeZone == "Asia/Tokyo"])
	return here, other
}

// AmendPeriod says when amendments may be proposed, in the edition's
// zone and the other country's.
func (p *Page) AmendPeriod(d *rencontres.Declaration) string {
	if d.AmendOpens == nil || d.AmendCloses == nil {
		return p.P.T("amendment.period_none")
	}
	here, other := declZones(d)
	return p.P.T("amendment.period", "Opens", p.P.DateTime(d.AmendOpens.In(here)), "Closes", p.P.DateTime(d.AmendCloses.In(here)),
		"Zone", p.ZoneName(here.String()), "OtherCloses", p.P.DateTime(d.AmendCloses.In(other)), "OtherZone", p.ZoneName(other.String()))
}

// AmendWhen is an instant of the amendments in the edition's zone.
func (p *Page) AmendWhen(d *rencontres.Declaration, t *time.Time) string {
	if t == nil {
		return ""
	}
	here, _ := declZones(d)
	return p.P.DateTime(t.In(here))
}

// AmendState names an amendment's state: one still proposed once its
// declaration is frozen was not taken up by the committee and will never
// be decided, which "proposed" alone would hide.
func (p *Page) AmendState(d *rencontres.Declaration, s rencontres.AmendmentState) string {
	if s == rencontres.AmendmentProposed && d.State != rencontres.DeclarationDraft {
		return p.P.T("amendment.state_undecided")
	}
	return p.P.T("amendment.state_" + string(s))
}

// AmendLangs lists the languages a segment is shown in: French, Japanese,
// and English when it has it.
func (p *Page) AmendLangs(t rencontres.Text) []rencontres.Lang {
	out := append([]rencontres.Lang{}, rencontres.DeclarationLangs...)
	if t.Has(rencontres.English) {
		out = append(out, rencontres.English)
	}
	return out
}

// AmendWriteLangs are the languages an amendment is written in.
func (p *Page) AmendWriteLangs() []rencontres.Lang { return rencontres.DeclarationLangs }
