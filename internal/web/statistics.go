package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/chart"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The participation statistics' pages: across the editions of every
// series (/statistics), and one edition beside the previous one
// (/series/{series}/{number}/statistics). Each measure is a chart drawn
// here as SVG and the same figures as a table.

// StatsTable is the table below a chart: its head, and rows of cells
// already written in the reader's language.
type StatsTable struct {
	Head []string
	Rows [][]string
}

// StatsMeasure is one measure on a page: a chart and its table, or, when
// no edition has a figure for it, a sentence saying so.
type StatsMeasure struct {
	Measure rencontres.Measure
	ID      string
	Title   string
	Chart   template.HTML
	Table   StatsTable
	Empty   string
	// Notes say where the figures come from, and what was recorded when
	// it differs from the registrations.
	Notes []string
}

// StatsSeries is one series on the page of every series.
type StatsSeries struct {
	Series   *rencontres.Series
	Measures []StatsMeasure
	Empty    string
}

// StatisticsPage is the data of /statistics.
type StatisticsPage struct {
	Query  rencontres.StatsQuery
	Series []StatsSeries
	// All are the series the filter offers.
	All      []*rencontres.Series
	Measures []rencontres.Measure
	// CSV and XLSX download the page's tables.
	CSV, XLSX string
}

// EditionStatisticsPage is the data of an edition's statistics.
type EditionStatisticsPage struct {
	Series        *rencontres.Series
	Edition       *rencontres.EditionStats
	Prev          *rencontres.EditionStats
	Measures      []StatsMeasure
	CSV, XLSX     string
	Authorities   string
	Record        string
	EditionHref   string
	PrevHref      string
	Registrations int
}

// statsQuery reads the page's query and whether the reader sees the
// editions not held yet.
func statsQuery(r *http.Request, p *Page) (rencontres.StatsQuery, error) {
	v := r.URL.Query()
	for name := range v {
		if !slices.Contains([]string{"series", "measure", "from", "to", "format"}, name) {
			return rencontres.StatsQuery{}, &rencontres.Error{Code: rencontres.EINVALID, Key: "statistics.bad_filter", Field: name,
				Message: fmt.Sprintf("unknown filter %q", name), Args: map[string]any{"Value": name, "Valid": "series, measure, from, to, format"}}
		}
	}
	if f := v.Get("format"); f != "" && export.ContentType(f) == "" {
		return rencontres.StatsQuery{}, &rencontres.Error{Code: rencontres.EINVALID, Key: "statistics.bad_format", Field: "format",
			Message: fmt.Sprintf("unknown format %q", f), Args: map[string]any{"Value": f}}
	}
	q, err := rencontres.ParseStatsQuery(v.Get)
	q.Unpublished = p.Actor.Can(rencontres.ManageEvents, rencontres.Target{})
	return q, err
}

func (s *Site) statistics(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q, err := statsQuery(r, p)
	if err != nil {
		return "", err
	}
	list, err := s.stats.Statistics(r.Context(), q)
	if err != nil {
		return "", err
	}
	if f := exportFormat(r); f != "" {
		return "", export.Send(w, "statistics."+f, f, export.Statistics(export.Reader{P: p.P}, list))
	}
	d := StatisticsPage{Query: q, Measures: rencontres.Measures}
	d.CSV, d.XLSX = exportHrefs(p, r)
	if d.All, err = s.svc.AllSeries(r.Context()); err != nil {
		return "", err
	}
	for _, se := range list {
		v := StatsSeries{Series: se.Series}
		if len(se.Editions) == 0 {
			v.Empty = p.P.T("statistics.no_editions")
		}
		for _, m := range rencontres.Measures {
			if q.Wants(m) && len(se.Editions) > 0 {
				v.Measures = append(v.Measures, acrossEditions(p, se, m))
			}
		}
		d.Series = append(d.Series, v)
	}
	p.Title = p.P.T("statistics.title")
	p.Nav = "statistics"
	p.Data = d
	return "statistics", nil
}

// exportHrefs are the links that download the page's tables as CSV and
// as a workbook: the page's own query, with a format.
func exportHrefs(p *Page, r *http.Request) (csv, xlsx string) {
	v := r.URL.Query()
	href := func(f string) string {
		v.Set("format", f)
		return p.Href(strings.TrimPrefix(r.URL.Path, "/"+string(p.Lang))) + "?" + v.Encode()
	}
	return href("csv"), href("xlsx")
}

// groupsOf are the groups of a measure across editions: for the areas,
// the number of regions and of prefectures; otherwise the rows' keys in
// the order they come.
func groupsOf(m rencontres.Measure, eds []*rencontres.EditionStats) []string {
	switch m {
	case rencontres.MeasureAreas:
		return []string{"fr", "jp"}
	case rencontres.MeasureSessions, rencontres.MeasurePeople:
		return []string{rencontres.RowPeople}
	}
	var keys []string
	for _, e := range eds {
		for _, r := range e.Measure(m).Rows {
			if !slices.Contains(keys, r.Key) {
				keys = append(keys, r.Key)
			}
		}
	}
	if m == rencontres.MeasureKinds {
		slices.SortStableFunc(keys, func(a, b string) int {
			return rencontres.StatKindOrder(a) - rencontres.StatKindOrder(b)
		})
	}
	return keys
}

// valueOf is an edition's number for a group of a measure across
// editions, nil when it has no figure.
func valueOf(b *rencontres.Breakdown, group string) *int {
	if b == nil || b.Source == rencontres.NoFigure {
		return nil
	}
	switch b.Measure {
	case rencontres.MeasureSessions:
		n := b.Total()
		return &n
	case rencontres.MeasureAreas:
		n := 0
		for _, r := range b.Rows {
			if strings.HasPrefix(r.Key, group+"-") {
				n++
			}
		}
		return &n
	}
	n, _ := b.Row(group)
	return &n
}

// groupLabel names a group of a measure across editions.
func groupLabel(p *Page, m rencontres.Measure, g string) string {
	switch {
	case m == rencontres.MeasureAreas && g == "fr":
		return p.P.T("statistics.group.regions")
	case m == rencontres.MeasureAreas:
		return p.P.T("statistics.group.prefectures")
	case m == rencontres.MeasureSessions:
		return p.P.T("statistics.group.seats")
	}
	return export.StatLabel(p.P, m, rencontres.StatRow{Key: g})
}

// editionLabel names an edition in a chart and a table: « 6e (2018) ».
func editionLabel(p *Page, se *rencontres.Series, e *rencontres.EditionStats) string {
	n := p.P.OrdinalText(e.Number)
	if p.Lang == rencontres.French && e.Number == 1 {
		n = "1re" // l’édition: OrdinalText agrees with « Rencontres »
	}
	return p.P.T("statistics.edition_label", "Edition", n, "Year", p.P.Year(e.Year))
}

// acrossEditions draws one measure for every edition of a series.
func acrossEditions(p *Page, se *rencontres.SeriesStats, m rencontres.Measure) StatsMeasure {
	v := StatsMeasure{Measure: m, ID: "chart-" + se.Series.Slug + "-" + string(m), Title: p.P.T("statistics.measure." + string(m))}
	groups := groupsOf(m, se.Editions)
	c := &chart.Bars{ID: v.ID, Title: p.P.T("statistics.chart_title", "Measure", v.Title, "Series", se.Series.Name.In(p.Lang))}
	for _, g := range groups {
		c.Groups = append(c.Groups, groupLabel(p, m, g))
	}
	v.Table.Head = append([]string{p.P.T("statistics.column.edition")}, c.Groups...)
	v.Table.Head = append(v.Table.Head, p.P.T("statistics.column.source"))
	known := 0
	// Only people and authorities by country are recorded for past
	// editions: the other measures list the editions with registrations.
	onlyCounted := m != rencontres.MeasurePeople && m != rencontres.MeasureCountries
	for _, e := range se.Editions {
		b := e.Measure(m)
		if onlyCounted && (b == nil || b.Source == rencontres.NoFigure) {
			continue
		}
		row := chart.Row{Label: editionLabel(p, se.Series, e)}
		if m == rencontres.MeasureCountries && e.Record() {
			row.Label += " — " + recordText(p, e)
		}
		cells := []string{row.Label}
		for _, g := range groups {
			n := valueOf(b, g)
			text := p.P.T("statistics.unknown")
			if n != nil {
				text = p.P.Number(*n)
				known++
			}
			row.Values = append(row.Values, chart.Value{N: n, Text: text})
			cells = append(cells, text)
		}
		src := sourceText(p, b)
		cells = append(cells, src)
		c.Rows = append(c.Rows, row)
		v.Table.Rows = append(v.Table.Rows, cells)
		if b != nil && len(b.Recorded) > 0 {
			v.Notes = append(v.Notes, p.P.T("statistics.recorded_differs", "Edition", editionLabel(p, se.Series, e), "Figures", recordedText(p, m, b.Recorded)))
		}
	}
	if known == 0 {
		v.Empty = p.P.T("statistics.no_figure_series")
		v.Table = StatsTable{}
		return v
	}
	if onlyCounted && len(c.Rows) < len(se.Editions) {
		v.Notes = append(v.Notes, p.P.T("statistics.only_counted"))
	}
	c.Desc = describe(p, c)
	v.Chart = c.SVG()
	return v
}

// recordText says an edition is a record, and whether the secretariat
// recorded it, the figures show it, or both.
func recordText(p *Page, e *rencontres.EditionStats) string {
	switch {
	case e.RecordRecorded && e.RecordComputed:
		return p.P.T("statistics.record_both")
	case e.RecordRecorded:
		return p.P.T("statistics.record_recorded")
	case e.RecordComputed:
		return p.P.T("statistics.record_computed")
	}
	return ""
}

// sourceText says where a figure comes from.
func sourceText(p *Page, b *rencontres.Breakdown) string {
	if b == nil || b.Source == rencontres.NoFigure {
		return p.P.T("statistics.source.none")
	}
	return p.P.T("statistics.source." + string(b.Source))
}

// recordedText writes the recorded rows: « France 22, Japon 14 ».
func recordedText(p *Page, m rencontres.Measure, rows []rencontres.StatRow) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, export.StatLabel(p.P, m, r)+" "+p.P.Number(r.Value))
	}
	return strings.Join(parts, p.P.T("statistics.list_separator"))
}

// describe is the chart's text alternative: every row and its numbers.
func describe(p *Page, c *chart.Bars) string {
	var rows []string
	for _, r := range c.Rows {
		var vals []string
		for i, v := range r.Values {
			if len(c.Groups) > 1 {
				vals = append(vals, c.Groups[i]+" "+v.Text)
			} else {
				vals = append(vals, v.Text)
			}
		}
		rows = append(rows, r.Label+p.P.T("statistics.label_separator")+strings.Join(vals, p.P.T("statistics.list_separator")))
	}
	return p.P.T("statistics.chart_desc", "Rows", strings.Join(rows, p.P.T("statistics.row_separator")))
}

func (s *Site) editionStatistics(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		return "", rencontres.NotFound("edition")
	}
	q, err := statsQuery(r, p)
	if err != nil {
		return "", err
	}
	// The path names the edition: no series nor years besides.
	for _, name := range []string{"series", "from", "to"} {
		if r.URL.Query().Has(name) {
			return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "statistics.bad_filter", Field: name,
				Message: "an edition's page takes no series nor years", Args: map[string]any{"Value": name, "Valid": "measure, format"}}
		}
	}
	// The whole series at once: the edition, and the previous one the
	// reader may see.
	q.Series = r.PathValue("series")
	all, err := s.stats.Statistics(r.Context(), q)
	if err != nil {
		return "", err
	}
	se := all[0].Series
	d := EditionStatisticsPage{Series: se}
	d.CSV, d.XLSX = exportHrefs(p, r)
	for _, x := range all[0].Editions {
		switch {
		case x.Number < n:
			d.Prev = x
		case x.Number == n:
			d.Edition = x
		}
	}
	if d.Edition == nil {
		return "", rencontres.NotFound("edition")
	}
	e := d.Edition
	d.Registrations = e.Registrations
	if f := exportFormat(r); f != "" {
		one := []*rencontres.SeriesStats{{Series: se, Editions: []*rencontres.EditionStats{e}}}
		return "", export.Send(w, fmt.Sprintf("statistics-%s-%d.%s", se.Slug, n, f), f, export.Statistics(export.Reader{P: p.P}, one))
	}
	d.EditionHref = p.Href(fmt.Sprintf("/series/%s/%d", se.Slug, e.Number))
	if d.Prev != nil {
		d.PrevHref = p.Href(fmt.Sprintf("/series/%s/%d/statistics", se.Slug, d.Prev.Number))
	}
	if e.Authorities != nil {
		d.Authorities = p.P.Number(*e.Authorities)
	}
	d.Record = recordText(p, e)
	for _, m := range rencontres.Measures {
		if q.Wants(m) {
			d.Measures = append(d.Measures, oneEdition(p, se, e, d.Prev, m))
		}
	}
	p.Title = p.P.T("statistics.edition_title", "Edition", p.P.EditionTitleText(e.Number, se.Short))
	p.Nav = "series-" + se.Slug
	p.Data = d
	return "edition_statistics", nil
}

// oneEdition draws one measure of an edition, each row beside the same
// row of the previous edition when that one has a figure.
func oneEdition(p *Page, se *rencontres.Series, e, prev *rencontres.EditionStats, m rencontres.Measure) StatsMeasure {
	v := StatsMeasure{Measure: m, ID: "chart-" + string(m), Title: p.P.T("statistics.measure." + string(m))}
	b := e.Measure(m)
	if b == nil || b.Source == rencontres.NoFigure || len(b.Rows) == 0 {
		v.Empty = p.P.T("statistics.no_figure_edition")
		return v
	}
	var pb *rencontres.Breakdown
	if prev != nil {
		if pb = prev.Measure(m); pb != nil && (pb.Source == rencontres.NoFigure || len(pb.Rows) == 0) {
			pb = nil
		}
	}
	c := &chart.Bars{ID: v.ID, Title: p.P.T("statistics.chart_title", "Measure", v.Title, "Series", p.P.EditionTitleText(e.Number, se.Short)),
		Groups: []string{editionLabel(p, se, e)}}
	rows := slices.Clone(b.Rows)
	if pb != nil {
		c.Groups = append(c.Groups, editionLabel(p, se, prev))
		for _, r := range pb.Rows {
			// Sessions are an edition's own: they are not compared.
			if m != rencontres.MeasureSessions && !slices.ContainsFunc(rows, func(x rencontres.StatRow) bool { return x.Key == r.Key }) {
				rows = append(rows, rencontres.StatRow{Key: r.Key, Label: r.Label})
			}
		}
	}
	if m == rencontres.MeasureSessions {
		c.Groups, pb = c.Groups[:1], nil
	}
	v.Table.Head = append([]string{p.P.T("statistics.column.label")}, c.Groups...)
	for _, r := range rows {
		label := export.StatLabel(p.P, m, r)
		row := chart.Row{Label: label}
		cells := []string{label}
		n, _ := b.Row(r.Key)
		row.Values = append(row.Values, chart.Value{N: &n, Text: p.P.Number(n)})
		cells = append(cells, p.P.Number(n))
		if pb != nil {
			pn, _ := pb.Row(r.Key)
			row.Values = append(row.Values, chart.Value{N: &pn, Text: p.P.Number(pn)})
			cells = append(cells, p.P.Number(pn))
		}
		c.Rows = append(c.Rows, row)
		v.Table.Rows = append(v.Table.Rows, cells)
	}
	v.Notes = append(v.Notes, p.P.T("statistics.source_note", "Source", sourceText(p, b)))
	if pb != nil && pb.Source != b.Source {
		v.Notes = append(v.Notes, p.P.T("statistics.prev_source_note", "Edition", editionLabel(p, se, prev), "Source", sourceText(p, pb)))
	}
	if len(b.Recorded) > 0 {
		v.Notes = append(v.Notes, p.P.T("statistics.recorded_differs", "Edition", editionLabel(p, se, e), "Figures", recordedText(p, m, b.Recorded)))
	}
	c.Desc = describe(p, c)
	v.Chart = c.SVG()
	return v
}
