package partners

import (
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Say is a reason in the reader's language: themes by their labels,
// goals as « l’ODD 11 », names in the reader's language, numbers as the
// language writes them.
func Say(p *i18n.Printer, r rencontres.SuggestionReason) string {
	var args []any
	for k, v := range r.Args {
		switch t := v.(type) {
		case []string:
			labels := make([]string, len(t))
			for i, th := range t {
				labels[i] = p.T("coop_theme." + th)
			}
			v = List(p, labels)
		case []int:
			goals := make([]string, len(t))
			for i, n := range t {
				goals[i] = p.T("suggestion.sdg", "N", n)
			}
			v = List(p, goals)
		case []Edition:
			titles := make([]string, len(t))
			for i, e := range t {
				titles[i] = p.EditionTitleText(e.Number, e.Series)
			}
			v = List(p, titles)
		case []Workshop:
			titles := make([]string, len(t))
			for i, x := range t {
				titles[i] = p.T("suggestion.workshop_of", "Workshop", x.Title.In(p.Lang), "Edition", p.EditionTitleText(x.Edition.Number, x.Edition.Series))
			}
			v = List(p, titles)
		case rencontres.Text:
			v = t.In(p.Lang)
		case int64:
			v = p.Number(t)
		}
		if k == "Kind" || k == "Other" {
			if s, ok := v.(string); ok {
				v = p.T("kind." + s)
			}
		}
		args = append(args, k, v)
	}
	return p.T(r.Key, args...)
}

// List joins items as the language writes a list: « a, b et c ».
func List(p *i18n.Printer, items []string) string {
	s := ""
	for i, it := range items {
		switch {
		case i == 0:
		case i == len(items)-1:
			s += p.T("suggestion.list_last")
		default:
			s += p.T("suggestion.list_sep")
		}
		s += it
	}
	return s
}

// Fill sets each reason's Text in the reader's language.
func Fill(p *i18n.Printer, list []*rencontres.Suggestion) {
	for _, s := range list {
		for i := range s.Reasons {
			s.Reasons[i].Text = Say(p, s.Reasons[i])
		}
	}
}
