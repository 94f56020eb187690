package rencontres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The library of good practices (issue 15): every proposal whose decision
// is accepted (for its workshop or another) and released by the
// secretariat, of every edition and series, public and searchable in any
// script. A Practice is the public view of such a proposal: no contact,
// answers, reviews or notes.

// PracticePageSize is how many practices a page of the library lists.
const PracticePageSize = 20

// PracticeCountBound is how far a search of the library counts its
// matches: beyond it, "more than PracticeCountBound practices".
const PracticeCountBound = 1000

// Total reads the number of matches LibraryService.Practices returned for
// f: a search counts up to PracticeCountBound+1, so that a broad query
// answers as fast as a narrow one; beyond the bound it returns the bound
// and lowerBound true. A listing without a query counts exactly.
func (f PracticeFilter) Total(total int) (n int, lowerBound bool) {
	if strings.TrimSpace(f.Query) != "" && total > PracticeCountBound {
		return PracticeCountBound, true
	}
	return total, false
}

// PracticeOrg is an authority of a practice, with what the filters read.
type PracticeOrg struct {
	Key     string          `json:"key"`
	Name    Text            `json:"name"`
	Role    ProposalOrgRole `json:"role"`
	Country Country         `json:"country"`
	Kind    OrgKind         `json:"kind"`
}

// PracticeEdition is the edition a practice's call belongs to.
type PracticeEdition struct {
	ID     int64  `json:"event_id"`
	Series string `json:"series"`
	Short  Text   `json:"series_short_name"`
	Number int    `json:"number"`
	Year   int    `json:"year"`
}

// PracticeSession is the programme session where a practice was
// presented, its instants in UTC and the zone of its event.
type PracticeSession struct {
	ID       int64     `json:"id"`
	Title    Text      `json:"title"`
	Starts   time.Time `json:"starts_at"`
	Ends     time.Time `json:"ends_at"`
	TimeZone string    `json:"time_zone"`
}

// Practice is an accepted, released proposal as the public reads it.
type Practice struct {
	ID      int64         `json:"id"`
	Title   Text          `json:"title"`
	Summary Text          `json:"summary"`
	SDGs    []int         `json:"sdgs"`
	Orgs    []PracticeOrg `json:"organisations"`
	// Edition is nil when the call's event belongs to no edition.
	Edition *PracticeEdition `json:"edition,omitempty"`
	// Workshop is the number of the edition's workshop (1 the first), 0
	// when none; WorkshopTitle its title.
	Workshop      int                `json:"workshop,omitempty"`
	WorkshopTitle Text               `json:"workshop_title,omitempty"`
	Session       *PracticeSession   `json:"session,omitempty"`
	Documents     []ProposalDocument `json:"documents"`
	Released      time.Time          `json:"released_at"`
	// Presenters are who present it, on the practice's own page.
	Presenters []PracticePresenter `json:"presenters,omitempty"`
}

// PracticePresenter is a practice's presenter as the public reads it:
// their name, function and authority, not their account.
type PracticePresenter struct {
	Person   string `json:"person"`
	Function Text   `json:"function,omitempty"`
	OrgKey   string `json:"organisation,omitempty"`
}

// Lead is the authority that proposed the practice.
func (p *Practice) Lead() *PracticeOrg {
	for i := range p.Orgs {
		if p.Orgs[i].Role == LeadProposer {
			return &p.Orgs[i]
		}
	}
	return nil
}

// OtherLang returns the language a reader of lang sees second: Japanese for
// French and English readers, French for Japanese ones.
func OtherLang(lang Lang) Lang {
	if lang == Japanese {
		return French
	}
	return Japanese
}

// PracticeFilter selects practices. Zero fields select all.
type PracticeFilter struct {
	// Query: every word must start a word of the practice's title or
	// summary in any language, or of one of its authorities' names in any
	// form (kanji, kana, romaji, French), folded by FoldSearch; in kanji
	// and kana, any part of a word.
	Query   string
	SDG     int
	Country Country
	Kind    OrgKind
	// Series and Number name an edition; Workshop (1 the first) needs one.
	Series   string
	Number   int
	Workshop int
	// From and To bound the edition's year.
	From, To int
	// OrgKey selects the practices of an authority, whatever its role.
	OrgKey string
	// Page is 1 for the first page; Limit the page's size
	// (PracticePageSize when 0).
	Page  int
	Limit int
}

// Edition returns the filter's edition as "series/number", "" when none.
func (f *PracticeFilter) Edition() string {
	if f.Series == "" {
		return ""
	}
	return f.Series + "/" + strconv.Itoa(f.Number)
}

// Values returns the filter as query parameters, without its page: what
// the pages' links and the feed carry.
func (f *PracticeFilter) Values() map[string]string {
	v := map[string]string{}
	put := func(k string, n int) {
		if n != 0 {
			v[k] = strconv.Itoa(n)
		}
	}
	if f.Query != "" {
		v["q"] = f.Query
	}
	put("sdg", f.SDG)
	if f.Country != "" {
		v["country"] = string(f.Country)
	}
	if f.Kind != "" {
		v["kind"] = string(f.Kind)
	}
	if e := f.Edition(); e != "" {
		v["edition"] = e
	}
	put("workshop", f.Workshop)
	put("from", f.From)
	put("to", f.To)
	if f.OrgKey != "" {
		v["organisation"] = f.OrgKey
	}
	return v
}

// PracticeParams are the query parameters ParsePracticeFilter reads.
var PracticeParams = []string{"q", "sdg", "country", "kind", "edition", "workshop", "from", "to", "organisation", "page"}

// ParsePracticeFilter reads a filter from query parameters, the same for
// the pages and the API, and returns every fault at once, each naming its
// parameter. Whether the edition and workshop exist, and whether the page
// is past the last, the store tells (Practices).
func ParsePracticeFilter(q map[string][]string) (PracticeFilter, error) {
	get := func(k string) string {
		if vs := q[k]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	var f PracticeFilter
	var errs []error
	num := func(k string, lo, hi int) int {
		s := get(k)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			errs = append(errs, paramError(k, "error.param_range", "Min", lo, "Max", hi))
			return 0
		}
		return n
	}
	f.Query = get("q")
	if err := CheckSearch(f.Query); err != nil {
		errs = append(errs, err)
		f.Query = ""
	}
	if s := get("sdg"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > len(SDGs) {
			errs = append(errs, paramError("sdg", "error.param_sdg", "Value", s))
		} else {
			f.SDG = n
		}
	}
	if c := get("country"); c != "" {
		if len(c) != 2 || c != strings.ToUpper(c) {
			errs = append(errs, paramError("country", "error.param_country", "Value", c))
		} else {
			f.Country = Country(c)
		}
	}
	if k := OrgKind(get("kind")); k != "" {
		if !k.Valid() {
			errs = append(errs, paramError("kind", "error.param_kind", "Value", string(k)))
		} else {
			f.Kind = k
		}
	}
	if e := get("edition"); e != "" {
		slug, n, ok := strings.Cut(e, "/")
		number, err := strconv.Atoi(n)
		if !ok || slug == "" || err != nil || number < 1 {
			errs = append(errs, paramError("edition", "error.param_edition", "Value", e))
		} else {
			f.Series, f.Number = slug, number
		}
	}
	f.Workshop = num("workshop", 1, 100)
	if f.Workshop != 0 && f.Series == "" {
		errs = append(errs, paramError("workshop", "error.param_workshop_edition"))
		f.Workshop = 0
	}
	f.From, f.To = num("from", 1900, 2200), num("to", 1900, 2200)
	if f.From != 0 && f.To != 0 && f.From > f.To {
		errs = append(errs, paramError("to", "error.param_years", "From", f.From, "To", f.To))
	}
	f.OrgKey = get("organisation")
	f.Page = num("page", 1, 100000)
	if len(errs) > 0 {
		return f, Join(errs...)
	}
	return f, nil
}

// paramError is a refused query parameter, its message key given its
// arguments in pairs.
func paramError(field, key string, args ...any) error {
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	return &Error{Code: EINVALID, Key: key, Field: field,
		Message: fmt.Sprintf("parameter %q is not valid (%s %v)", field, key, args), Args: m}
}

// PageError is the fault of a page past the last of pages.
func PageError(page, pages int) error {
	return paramError("page", "error.param_page", "Page", page, "Pages", pages)
}

// LibraryService reads the library (store/practice.go).
type LibraryService interface {
	// Practices lists the practices f selects, newest released first,
	// with their total (see PracticeFilter.Total); an unknown edition or workshop, or a page past
	// the last, is an EINVALID error naming its parameter.
	Practices(ctx context.Context, f PracticeFilter) ([]*Practice, int, error)
	// Practice returns an accepted, released practice; ENOTFOUND for any
	// other proposal.
	Practice(ctx context.Context, id int64) (*Practice, error)
	// PracticeDocument returns a document of an accepted, released
	// practice with its data.
	PracticeDocument(ctx context.Context, practiceID, id int64) (*ProposalDocument, []byte, error)
}
