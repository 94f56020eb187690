package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The participation statistics are counted in Go from one pass over the
// registrations of a series' editions: a series has a few editions of a
// few hundred people each, and the newcomers of an edition depend on
// every earlier one.

// statReg is one registration that counts: a confirmed seat, whoever holds
// it (an erased person's registration stays, anonymised, and counts).
type statReg struct {
	eventID   int64
	orgKey    string
	elected   bool
	checkedIn bool
}

// Statistics implements rencontres.StatisticsService.
func (s *Store) Statistics(ctx context.Context, q rencontres.StatsQuery) ([]*rencontres.SeriesStats, error) {
	var series []*rencontres.Series
	if q.Series != "" {
		se, err := s.Series(ctx, q.Series)
		if err != nil {
			return nil, err
		}
		series = []*rencontres.Series{se}
	} else {
		all, err := s.AllSeries(ctx)
		if err != nil {
			return nil, err
		}
		series = all
	}
	var out []*rencontres.SeriesStats
	for _, se := range series {
		st, err := s.seriesStats(ctx, se, q)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// seriesStats counts the statistics of one series' editions.
func (s *Store) seriesStats(ctx context.Context, se *rencontres.Series, q rencontres.StatsQuery) (*rencontres.SeriesStats, error) {
	eds, err := s.Editions(ctx, rencontres.EditionFilter{Series: se.Slug})
	if err != nil {
		return nil, err
	}
	if q.Number != 0 && !slices.ContainsFunc(eds, func(e *rencontres.Edition) bool { return e.Number == q.Number && q.Visible(e.Status) }) {
		return nil, rencontres.NotFound("edition")
	}
	out := &rencontres.SeriesStats{Series: se}
	if len(eds) == 0 {
		return out, nil
	}
	byID := map[int64]*rencontres.Edition{}
	for _, e := range eds {
		byID[e.ID] = e
	}
	regs, err := s.statRegistrations(ctx, byID)
	if err != nil {
		return nil, err
	}
	orgs := map[string]*rencontres.Organisation{}
	var keys []string
	for _, r := range regs {
		if !slices.Contains(keys, r.orgKey) {
			keys = append(keys, r.orgKey)
		}
	}
	// The organisations, then their parents up to the region or
	// prefecture, a level at a time.
	for level := 0; level < 4 && len(keys) > 0; level++ {
		if err := s.loadOrgs(ctx, orgs, keys); err != nil {
			return nil, err
		}
		keys = keys[:0]
		for _, o := range orgs {
			if o.ParentKey != "" && orgs[o.ParentKey] == nil && !slices.Contains(keys, o.ParentKey) {
				keys = append(keys, o.ParentKey)
			}
		}
	}
	sessions, err := s.statSessions(ctx, byID)
	if err != nil {
		return nil, err
	}
	byEvent := map[int64][]statReg{}
	for _, r := range regs {
		byEvent[r.eventID] = append(byEvent[r.eventID], r)
	}
	// seen are the authorities that came to an edition held before the
	// one being counted (editions are in order of number).
	seen := map[string]bool{}
	var all, held []*rencontres.EditionStats
	for _, e := range eds {
		st := editionStats(e, byEvent[e.ID], orgs, seen, sessions[e.ID])
		for i := range st.Measures {
			if st.Measures[i].Rows == nil {
				st.Measures[i].Rows = []rencontres.StatRow{} // an empty list, not null
			}
		}
		if e.Status == rencontres.Held {
			held = append(held, st)
			for _, r := range byEvent[e.ID] {
				seen[r.orgKey] = true
			}
		}
		all = append(all, st)
	}
	rencontres.MarkRecords(held)
	for i, e := range eds {
		switch {
		case !q.Visible(e.Status),
			q.Number != 0 && e.Number != q.Number,
			q.From != 0 && e.Year < q.From,
			q.To != 0 && e.Year > q.To:
			continue
		}
		st := all[i]
		if len(q.Measures) > 0 {
			st.Measures = slices.DeleteFunc(st.Measures, func(b rencontres.Breakdown) bool { return !q.Wants(b.Measure) })
		}
		out.Editions = append(out.Editions, st)
	}
	return out, nil
}

// statRegistrations reads the registrations that count: confirmed seats.
// Withdrawn registrations and the waiting list do not count; erased
// people's registrations, anonymised, do.
func (s *Store) statRegistrations(ctx context.Context, byID map[int64]*rencontres.Edition) ([]statReg, error) {
	ids, in := inList(byID)
	rows, err := s.reader().QueryContext(ctx, `SELECT r.event_id, o.key, r.elected, CASE WHEN r.checked_in_at IS NULL THEN 0 ELSE 1 END
		FROM registrations r JOIN delegations d ON d.id = r.delegation_id JOIN organisations o ON o.id = d.org_id
		WHERE r.status = 'confirmed' AND r.event_id IN `+in+` ORDER BY r.event_id, r.id`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []statReg
	for rows.Next() {
		var r statReg
		var checked int
		if err := rows.Scan(&r.eventID, &r.orgKey, &r.elected, &checked); err != nil {
			return nil, err
		}
		r.checkedIn = checked == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// statSessions counts, for each edition, the confirmed seats of each
// session that took choices, in the programme's order.
func (s *Store) statSessions(ctx context.Context, byID map[int64]*rencontres.Edition) (map[int64][]rencontres.StatRow, error) {
	ids, in := inList(byID)
	rows, err := s.reader().QueryContext(ctx, `SELECT p.edition_id, p.id, p.title, COUNT(*)
		FROM registration_choices c JOIN registrations r ON r.id = c.registration_id JOIN programme_sessions p ON p.id = c.session_id
		WHERE c.status = 'confirmed' AND r.status = 'confirmed' AND p.edition_id IN `+in+`
		GROUP BY p.edition_id, p.id, p.title, p.starts_at ORDER BY p.edition_id, p.starts_at, p.id`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]rencontres.StatRow{}
	for rows.Next() {
		var ed, id int64
		var row rencontres.StatRow
		if err := rows.Scan(&ed, &id, &row.Label, &row.Value); err != nil {
			return nil, err
		}
		row.Key = strconv.FormatInt(id, 10)
		out[ed] = append(out[ed], row)
	}
	return out, rows.Err()
}

// editionStats counts one edition's measures from its registrations when
// it has some, else from its recorded figures.
func editionStats(e *rencontres.Edition, regs []statReg, orgs map[string]*rencontres.Organisation, seen map[string]bool, sessions []rencontres.StatRow) *rencontres.EditionStats {
	f := e.Figures
	st := &rencontres.EditionStats{Series: e.SeriesSlug, Number: e.Number, Year: e.Year, Status: e.Status, Registrations: len(regs),
		RecordRecorded: f.Record, Note: f.Note}
	var recPeople, recCountries []rencontres.StatRow
	if f.People != nil {
		recPeople = []rencontres.StatRow{{Key: rencontres.RowPeople, Value: *f.People}}
	}
	if f.AuthoritiesFR != nil || f.AuthoritiesJP != nil {
		if f.AuthoritiesFR != nil {
			recCountries = append(recCountries, rencontres.StatRow{Key: string(rencontres.France), Value: *f.AuthoritiesFR})
		}
		if f.AuthoritiesJP != nil {
			recCountries = append(recCountries, rencontres.StatRow{Key: string(rencontres.Japan), Value: *f.AuthoritiesJP})
		}
	}
	if len(regs) == 0 {
		// Only people and authorities by country are recorded; the other
		// measures have no figure.
		for _, m := range rencontres.Measures {
			b := rencontres.Breakdown{Measure: m}
			switch {
			case m == rencontres.MeasurePeople && recPeople != nil:
				b.Source, b.Rows = rencontres.FromRecorded, recPeople
			case m == rencontres.MeasureCountries && recCountries != nil:
				b.Source, b.Rows = rencontres.FromRecorded, recCountries
				st.Authorities, st.AuthoritiesSource = f.Authorities(), rencontres.FromRecorded
				if st.Authorities == nil {
					n := 0
					for _, r := range recCountries {
						n += r.Value
					}
					st.Authorities = &n
				}
			}
			st.Measures = append(st.Measures, b)
		}
		return st
	}

	// From the registrations: each organisation once per edition.
	people, checked, elected := 0, 0, 0
	var delegations []*rencontres.Organisation
	for _, r := range regs {
		people++
		if r.checkedIn {
			checked++
		}
		if r.elected {
			elected++
		}
		if o := orgs[r.orgKey]; o != nil && !slices.Contains(delegations, o) {
			delegations = append(delegations, o)
		}
	}
	peopleRows := []rencontres.StatRow{{Key: rencontres.RowPeople, Value: people}}
	if checked > 0 {
		peopleRows = append(peopleRows, rencontres.StatRow{Key: rencontres.RowCheckedIn, Value: checked})
	}
	counts := map[string]int{}
	var countries, kinds, areas []rencontres.StatRow
	add := func(rows *[]rencontres.StatRow, key string, label rencontres.Text) {
		for i := range *rows {
			if (*rows)[i].Key == key {
				(*rows)[i].Value++
				return
			}
		}
		*rows = append(*rows, rencontres.StatRow{Key: key, Label: label, Value: 1})
	}
	authorities, newcomers, returning := 0, 0, 0
	for _, o := range delegations {
		if !o.Kind.IsAuthority() {
			counts[rencontres.RowOther]++
			continue
		}
		authorities++
		add(&countries, string(o.Country), nil)
		add(&kinds, rencontres.StatKind(o), nil)
		if a := areaOf(orgs, o); a != nil {
			add(&areas, a.Key, a.Name)
		} else {
			add(&areas, rencontres.RowOther, nil)
		}
		if seen[o.Key] {
			returning++
		} else {
			newcomers++
		}
	}
	// Fixed orders: France then Japan, kinds in the product's order, areas
	// by number then name.
	slices.SortStableFunc(countries, func(a, b rencontres.StatRow) int { return countryOrder(a.Key) - countryOrder(b.Key) })
	if n := counts[rencontres.RowOther]; n > 0 {
		countries = append(countries, rencontres.StatRow{Key: rencontres.RowOther, Value: n})
	}
	slices.SortStableFunc(kinds, func(a, b rencontres.StatRow) int {
		return rencontres.StatKindOrder(a.Key) - rencontres.StatKindOrder(b.Key)
	})
	slices.SortStableFunc(areas, func(a, b rencontres.StatRow) int {
		switch {
		case a.Key == rencontres.RowOther:
			return 1
		case b.Key == rencontres.RowOther:
			return -1
		case a.Value != b.Value:
			return b.Value - a.Value
		}
		return strings.Compare(a.Key, b.Key)
	})
	src := rencontres.FromRegistrations
	st.Authorities, st.AuthoritiesSource = &authorities, src
	differ := func(rec, got []rencontres.StatRow) []rencontres.StatRow {
		if slices.EqualFunc(rec, got, func(a, b rencontres.StatRow) bool { return a.Key == b.Key && a.Value == b.Value }) {
			return nil
		}
		return rec
	}
	st.Measures = []rencontres.Breakdown{
		{Measure: rencontres.MeasurePeople, Source: src, Rows: peopleRows, Recorded: differ(recPeople, peopleRows[:1])},
		{Measure: rencontres.MeasureCountries, Source: src, Rows: countries, Recorded: differ(recCountries, countries)},
		{Measure: rencontres.MeasureKinds, Source: src, Rows: kinds},
		{Measure: rencontres.MeasureAreas, Source: src, Rows: areas},
		{Measure: rencontres.MeasureFunctions, Source: src, Rows: []rencontres.StatRow{
			{Key: rencontres.RowElected, Value: elected}, {Key: rencontres.RowOfficer, Value: people - elected}}},
		{Measure: rencontres.MeasureReturning, Source: src, Rows: []rencontres.StatRow{
			{Key: rencontres.RowNewcomer, Value: newcomers}, {Key: rencontres.RowReturning, Value: returning}}},
		{Measure: rencontres.MeasureSessions, Source: src, Rows: sessions},
	}
	return st
}

// countryOrder puts France, then Japan, then the other countries.
func countryOrder(c string) int {
	switch rencontres.Country(c) {
	case rencontres.France:
		return 0
	case rencontres.Japan:
		return 1
	}
	return 2
}
