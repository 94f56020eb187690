package export

import (
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// statisticsKeys are the columns of the statistics' exports: one line per
// edition, measure and row, so that every table of the pages is in one
// sheet a spreadsheet filters.
var statisticsKeys = []string{"series", "number", "year", "status", "measure", "key", "label", "value", "source", "recorded_value"}

// StatLabel is how a row of a measure reads: a country, a kind, an area's
// or a session's name, or the name of a fixed row.
func StatLabel(p *i18n.Printer, m rencontres.Measure, r rencontres.StatRow) string {
	switch {
	case len(r.Label) > 0:
		return r.Label.In(p.Lang)
	case r.Key == rencontres.RowOther && m == rencontres.MeasureCountries:
		return p.T("statistics.row.other_organisations")
	case r.Key == rencontres.RowOther:
		return p.T("statistics.row.no_area")
	case m == rencontres.MeasureCountries:
		if r.Key == string(rencontres.France) || r.Key == string(rencontres.Japan) {
			return p.T("country." + r.Key)
		}
		return r.Key
	case m == rencontres.MeasureKinds:
		return p.T("kind." + r.Key)
	}
	return p.T("statistics.row." + r.Key)
}

// Statistics is the table of the statistics given: for a reader, headers,
// labels and sources in their language; for the API, stable keys.
func Statistics(rd Reader, list []*rencontres.SeriesStats) *Table {
	t := &Table{}
	if !rd.API {
		t.Yes, t.No, t.Sheet = rd.P.T("export.yes"), rd.P.T("export.no"), rd.P.T("statistics.sheet")
	}
	for _, k := range statisticsKeys {
		c := Column{Key: k}
		if !rd.API {
			c.Title = rd.P.T("statistics.column." + k)
		}
		t.Columns = append(t.Columns, c)
	}
	word := func(prefix, v string) any {
		if rd.API {
			return v
		}
		return rd.P.T(prefix + v)
	}
	for _, se := range list {
		name := se.Series.Slug
		if !rd.API {
			name = se.Series.Name.In(rd.P.Lang)
		}
		for _, e := range se.Editions {
			for _, b := range e.Measures {
				source := string(b.Source)
				if source == "" {
					source = "none"
				}
				recorded := map[string]int{}
				for _, r := range b.Recorded {
					recorded[r.Key] = r.Value
				}
				for _, r := range b.Rows {
					label := r.Label.In(rencontres.French)
					if rd.API && rd.P != nil {
						label = r.Label.In(rd.P.Lang)
					}
					if !rd.API {
						label = StatLabel(rd.P, b.Measure, r)
					}
					var rec any
					if v, ok := recorded[r.Key]; ok {
						rec = v
					}
					t.Rows = append(t.Rows, []any{name, e.Number, e.Year, word("status.", string(e.Status)), word("statistics.measure.", string(b.Measure)),
						r.Key, label, r.Value, word("statistics.source.", source), rec})
				}
			}
		}
	}
	return t
}
