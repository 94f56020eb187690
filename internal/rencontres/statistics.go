package rencontres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Measure is one of the participation statistics.
type Measure string

// The measures, in the order the pages show them.
const (
	// MeasurePeople: people registered (confirmed seats, row "people"), and of them
	// those checked in; or the number of participants recorded.
	MeasurePeople Measure = "people"
	// MeasureCountries: authorities by country.
	MeasureCountries Measure = "countries"
	// MeasureKinds: authorities by kind (commune, department, region,
	// municipality, prefecture…).
	MeasureKinds Measure = "kinds"
	// MeasureAreas: authorities by the region or prefecture they are, or
	// lie in.
	MeasureAreas Measure = "areas"
	// MeasureFunctions: people by function, elected officials and
	// officers (as each registration says).
	MeasureFunctions Measure = "functions"
	// MeasureReturning: authorities at their first edition of the series
	// and those that came to an earlier one.
	MeasureReturning Measure = "returning"
	// MeasureSessions: people holding a seat at each session that takes
	// choices (workshops, visits).
	MeasureSessions Measure = "sessions"
)

// Measures lists every measure.
var Measures = []Measure{MeasurePeople, MeasureCountries, MeasureKinds, MeasureAreas, MeasureFunctions, MeasureReturning, MeasureSessions}

// FigureSource says where an edition's figure for a measure comes from.
type FigureSource string

// Sources of a figure.
const (
	// FromRegistrations: counted from the registrations the product holds.
	FromRegistrations FigureSource = "registrations"
	// FromRecorded: the figure recorded for a past edition (Figures).
	FromRecorded FigureSource = "recorded"
	// NoFigure: neither exists.
	NoFigure FigureSource = ""
)

// Row keys of the measures that have fixed rows.
const (
	RowPeople    = "people"
	RowCheckedIn = "checked_in"
	RowElected   = "elected"
	RowOfficer   = "officer"
	RowNewcomer  = "newcomer"
	RowReturning = "returning"
	// RowOther gathers the organisations that are not local
	// authorities (institutions, associations) in the countries
	// measure, and what lies in no region or prefecture in the areas.
	RowOther = "other"
)

// StatRow is one line of a measure: a key (a country, a kind, an area's
// organisation key, a session id, or one of the Row… constants), its name
// in each language when it is not a fixed word, and its number.
type StatRow struct {
	Key   string `json:"key"`
	Label Text   `json:"label,omitempty"`
	Value int    `json:"value"`
}

// Breakdown is an edition's figure for one measure: its rows and where
// they come from. Recorded holds the recorded figure's rows when the
// figure comes from registrations and the edition also has recorded
// figures that say otherwise, so that a page can show both.
type Breakdown struct {
	Measure  Measure      `json:"measure"`
	Source   FigureSource `json:"source"`
	Rows     []StatRow    `json:"rows"`
	Recorded []StatRow    `json:"recorded,omitempty"`
}

// Row returns the value of the row of key, and whether it exists.
func (b *Breakdown) Row(key string) (int, bool) {
	if b == nil {
		return 0, false
	}
	for _, r := range b.Rows {
		if r.Key == key {
			return r.Value, true
		}
	}
	return 0, false
}

// Total is the sum of the rows.
func (b *Breakdown) Total() int {
	n := 0
	if b != nil {
		for _, r := range b.Rows {
			n += r.Value
		}
	}
	return n
}

// EditionStats are an edition's participation statistics.
type EditionStats struct {
	Series string `json:"series"`
	Number int    `json:"number"`
	Year   int    `json:"year"`
	Status Status `json:"status"`
	// Registrations is the number of registrations counted (confirmed,
	// erased people included); 0 when the edition has none.
	Registrations int `json:"registrations"`
	// Authorities is the edition's number of authorities, from the
	// registrations or the recorded figures (nil: unknown).
	Authorities       *int         `json:"authorities,omitempty"`
	AuthoritiesSource FigureSource `json:"authorities_source"`
	// RecordRecorded is the record flag the secretariat recorded;
	// RecordComputed is set when the edition's number of authorities is
	// above every earlier edition's of the series that has one.
	RecordRecorded bool        `json:"record_recorded"`
	RecordComputed bool        `json:"record_computed"`
	Note           Text        `json:"note,omitempty"`
	Measures       []Breakdown `json:"measures"`
}

// Measure returns the breakdown of a measure, nil when absent.
func (e *EditionStats) Measure(m Measure) *Breakdown {
	for i := range e.Measures {
		if e.Measures[i].Measure == m {
			return &e.Measures[i]
		}
	}
	return nil
}

// Record reports whether the edition is a record, recorded or computed.
func (e *EditionStats) Record() bool { return e.RecordRecorded || e.RecordComputed }

// SeriesStats are the statistics of a series' editions, oldest first.
type SeriesStats struct {
	Series   *Series         `json:"series"`
	Editions []*EditionStats `json:"editions"`
}

// StatsQuery selects statistics: a series and an edition, or editions
// held from one year to another; the measures to give (all when empty).
// Unpublished includes the editions that are not held yet (planned,
// postponed) or cancelled: the secretariat's view.
type StatsQuery struct {
	Series      string
	Number      int
	From, To    int
	Measures    []Measure
	Unpublished bool
}

// Wants reports whether the query asks for measure m.
func (q StatsQuery) Wants(m Measure) bool {
	return len(q.Measures) == 0 || slices.Contains(q.Measures, m)
}

// Visible reports whether an edition of this status is shown to the
// public: held editions only; the others are the secretariat's.
func (q StatsQuery) Visible(s Status) bool { return q.Unpublished || s == Held }

// MeasureNames lists the measures' names, for messages.
func MeasureNames() string {
	names := make([]string, len(Measures))
	for i, m := range Measures {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// ParseStatsQuery reads a query's parameters (series, number, measure,
// from, to) and reports every fault at once: an unknown measure names
// the valid ones; a year range upside down is refused. Whether the series
// or edition exists is the store's to say.
func ParseStatsQuery(get func(string) string) (StatsQuery, error) {
	var q StatsQuery
	var errs []error
	q.Series = strings.TrimSpace(get("series"))
	if v := strings.TrimSpace(get("number")); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_number", Field: "number", Message: "edition number must be 1 or more"})
		case q.Series == "":
			errs = append(errs, &Error{Code: EINVALID, Key: "statistics.number_needs_series", Field: "number", Message: "an edition number needs its series"})
		default:
			q.Number = n
		}
	}
	for _, v := range strings.Split(get("measure"), ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		m := Measure(v)
		if !slices.Contains(Measures, m) {
			errs = append(errs, &Error{Code: EINVALID, Key: "statistics.bad_measure", Field: "measure",
				Message: fmt.Sprintf("unknown measure %q: use one of %s", v, MeasureNames()), Args: map[string]any{"Value": v, "Valid": MeasureNames()}})
			continue
		}
		if !slices.Contains(q.Measures, m) {
			q.Measures = append(q.Measures, m)
		}
	}
	year := func(name string) int {
		v := strings.TrimSpace(get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1900 || n > 2100 {
			errs = append(errs, &Error{Code: EINVALID, Key: "statistics.bad_year", Field: name, Message: fmt.Sprintf("%q is not a year from 1900 to 2100", v), Args: map[string]any{"Value": v}})
			return 0
		}
		return n
	}
	q.From, q.To = year("from"), year("to")
	if q.From != 0 && q.To != 0 && q.From > q.To {
		errs = append(errs, &Error{Code: EINVALID, Key: "statistics.years_upside_down", Field: "to",
			Message: fmt.Sprintf("the range ends (%d) before it starts (%d)", q.To, q.From), Args: map[string]any{"From": q.From, "To": q.To}})
	}
	return q, Join(errs...)
}

// StatisticsService computes the participation statistics.
type StatisticsService interface {
	// Statistics gives, for each series the query names (every series
	// when none), the statistics of its editions the query selects. An
	// unknown series or edition is ENOTFOUND; so is an edition the query
	// may not see.
	Statistics(ctx context.Context, q StatsQuery) ([]*SeriesStats, error)
}

// MarkRecords sets RecordComputed on the editions, oldest first, whose
// number of authorities is above that of every earlier one that has a
// number: the first edition with a number sets no record, having nothing
// to beat.
func MarkRecords(eds []*EditionStats) {
	best := -1
	for _, e := range eds {
		e.RecordComputed = false
		if e.Authorities == nil {
			continue
		}
		if best >= 0 && *e.Authorities > best {
			e.RecordComputed = true
		}
		best = max(best, *e.Authorities)
	}
}

// The kinds of authority the statistics count: the directory's kinds, a
// Japanese municipality told as a city (市), a town (町) or a village (村)
// by the last character of its name, as CLAIR counts them.
const (
	KindShi   = "municipality_shi"
	KindMachi = "municipality_machi"
	KindMura  = "municipality_mura"
)

// StatKind is the kind an organisation is counted under.
func StatKind(o *Organisation) string {
	if o.Kind == Municipality {
		name := []rune(o.Name[Japanese])
		if len(name) > 0 {
			switch name[len(name)-1] {
			case '市':
				return KindShi
			case '町':
				return KindMachi
			case '村':
				return KindMura
			}
		}
	}
	return string(o.Kind)
}

// StatKindOrder orders the kinds of the statistics: the directory's order,
// a Japanese municipality's three kinds where the municipality stands.
func StatKindOrder(k string) int { return slices.Index(statKinds, k) }

var statKinds = func() []string {
	var out []string
	for _, k := range OrgKinds {
		if k == Municipality {
			out = append(out, KindShi, KindMachi, KindMura)
		}
		out = append(out, string(k))
	}
	return out
}()
