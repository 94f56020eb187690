package rencontres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// PartnershipState says where a partnership stands, as its authorities
// report it in the état des lieux.
type PartnershipState string

// The states of a partnership.
const (
	StateActive    PartnershipState = "active"
	StateDormant   PartnershipState = "dormant"
	StateEnded     PartnershipState = "ended"
	StateInProject PartnershipState = "in_project"
)

// PartnershipStates lists every state, in the order forms offer them.
var PartnershipStates = []PartnershipState{StateActive, StateDormant, StateInProject, StateEnded}

// Valid reports whether s is one of PartnershipStates.
func (s PartnershipState) Valid() bool { return slices.Contains(PartnershipStates, s) }

// MaxReportText bounds what a contact writes of last exchanges or current
// projects, in characters: a few paragraphs, as the Point Japon asks.
const MaxReportText = 4000

func checkReportText(field, s string) error {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxReportText {
		return &Error{Code: EINVALID, Key: "partnership_error.text_too_long", Field: field,
			Message: fmt.Sprintf("at most %d characters", MaxReportText), Args: map[string]any{"Max": MaxReportText}}
	}
	return nil
}

// Agreement is the signed agreement of a partnership, stored with it.
type Agreement struct {
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Uploaded    time.Time `json:"uploaded"`
}

// Label is the name of a partnership's kind for a reader: the free label
// of an agreement of kind other, else "" (the catalogue names the others).
func (p *Partnership) Label(l Lang) string {
	if p.Kind == OtherAgreement {
		return p.KindLabel.In(l)
	}
	return ""
}

// Decade is the decade the partnership was signed in (1980 for 1988), 0
// when the year is unknown.
func (p *Partnership) Decade() int {
	if p.Year == 0 {
		return 0
	}
	return p.Year / 10 * 10
}

// Involves reports whether the organisation of the key is one side.
func (p *Partnership) Involves(key string) bool { return key != "" && (p.A == key || p.B == key) }

// PartnershipReport is one answer of an authority to the état des lieux
// for one of its partnerships: the state it reports, its last exchanges and
// current projects, who wrote it and when, and when the secretariat
// reviewed it.
type PartnershipReport struct {
	ID              int64            `json:"id"`
	PartnershipID   int64            `json:"partnership_id"`
	OrgKey          string           `json:"organisation"`
	State           PartnershipState `json:"state"`
	LastExchanges   string           `json:"last_exchanges"`
	CurrentProjects string           `json:"current_projects"`
	AuthorID        int64            `json:"-"`
	Author          string           `json:"author,omitempty"`
	Created         time.Time        `json:"created"`
	Reviewed        *time.Time       `json:"reviewed,omitempty"`
	ReviewedBy      string           `json:"reviewed_by,omitempty"`
}

// Validate checks a report, every fault at once.
func (r *PartnershipReport) Validate() error {
	var errs []error
	if !r.State.Valid() {
		errs = append(errs, &Error{Code: EINVALID, Key: "partnership_error.bad_state", Field: "state", Message: fmt.Sprintf("unknown state %q", r.State)})
	}
	errs = append(errs, checkReportText("last_exchanges", r.LastExchanges), checkReportText("current_projects", r.CurrentProjects))
	return Join(errs...)
}

// PartnershipFilter selects partnerships of the whole network. A country
// or an area matches either side.
type PartnershipFilter struct {
	Country Country
	Kind    PartnershipKind
	// Area is the key of a region or a prefecture.
	Area   string
	Decade int
	State  PartnershipState
}

// Facet is one value of a filter with the number of partnerships it would
// select among those the other filters keep.
type Facet struct {
	Value string
	Count int
	// Org is the region or prefecture of an area's facet.
	Org *Organisation
}

// PartnershipFacets are the values of each filter with their counts.
type PartnershipFacets struct {
	Country, Kind, Area, Decade, State []Facet
}

// matches reports whether p passes f, leaving out the filter named skip
// so that a filter's own counts show what choosing another value gives.
func (f PartnershipFilter) matches(p *Partnership, skip string) bool {
	country := func(o *Organisation) bool { return o != nil && o.Country == f.Country }
	area := func(o *Organisation) bool { return o != nil && o.Key == f.Area }
	switch {
	case skip != "country" && f.Country != "" && !country(p.OrgA) && !country(p.OrgB):
		return false
	case skip != "kind" && f.Kind != "" && p.Kind != f.Kind:
		return false
	case skip != "area" && f.Area != "" && !area(p.AreaA) && !area(p.AreaB):
		return false
	case skip != "decade" && f.Decade != 0 && p.Decade() != f.Decade:
		return false
	case skip != "state" && f.State != "" && p.State != f.State:
		return false
	}
	return true
}

// FilterPartnerships returns the partnerships f selects, in the order
// given, and the counts of every filter's values. It is the rule the
// store's paged list keeps in SQL (store.PartnershipPage and
// PartnershipFacets), which its tests compare with it; it is for lists
// already held whole.
func FilterPartnerships(all []*Partnership, f PartnershipFilter) ([]*Partnership, PartnershipFacets) {
	var out []*Partnership
	for _, p := range all {
		if f.matches(p, "") {
			out = append(out, p)
		}
	}
	count := func(skip string, values func(p *Partnership) []string) []Facet {
		n := map[string]int{}
		for _, p := range all {
			if !f.matches(p, skip) {
				continue
			}
			seen := map[string]bool{}
			for _, v := range values(p) {
				if v != "" && !seen[v] {
					seen[v] = true
					n[v]++
				}
			}
		}
		var facets []Facet
		for v, c := range n {
			facets = append(facets, Facet{Value: v, Count: c})
		}
		slices.SortFunc(facets, func(a, b Facet) int { return cmp.Compare(a.Value, b.Value) })
		return facets
	}
	var fc PartnershipFacets
	fc.Country = count("country", func(p *Partnership) []string { return []string{orgCountry(p.OrgA), orgCountry(p.OrgB)} })
	fc.Kind = count("kind", func(p *Partnership) []string { return []string{string(p.Kind)} })
	fc.Decade = count("decade", func(p *Partnership) []string {
		if p.Decade() == 0 {
			return nil
		}
		return []string{strconv.Itoa(p.Decade())}
	})
	fc.State = count("state", func(p *Partnership) []string { return []string{string(p.State)} })
	areas := map[string]*Organisation{}
	fc.Area = count("area", func(p *Partnership) []string {
		var keys []string
		for _, a := range []*Organisation{p.AreaA, p.AreaB} {
			if a != nil {
				areas[a.Key] = a
				keys = append(keys, a.Key)
			}
		}
		return keys
	})
	for i := range fc.Area {
		fc.Area[i].Org = areas[fc.Area[i].Value]
	}
	// Areas read in their country, then by name.
	slices.SortFunc(fc.Area, func(a, b Facet) int {
		return cmp.Or(cmp.Compare(a.Org.Country, b.Org.Country), cmp.Compare(a.Org.Name.In(French), b.Org.Name.In(French)))
	})
	return out, fc
}

func orgCountry(o *Organisation) string {
	if o == nil {
		return ""
	}
	return string(o.Country)
}

// SurveyStatus is where an authority stands in the état des lieux.
type SurveyStatus string

// The statuses of the état des lieux.
const (
	NotAnswered SurveyStatus = "not_answered"
	ToReview    SurveyStatus = "to_review"
	Reviewed    SurveyStatus = "reviewed"
)

// SurveyStatuses lists the statuses in the order the page shows them.
var SurveyStatuses = []SurveyStatus{NotAnswered, ToReview, Reviewed}

// SurveyRow is one authority in the état des lieux: its partnerships, its
// answers and where it stands.
type SurveyRow struct {
	Org          *Organisation
	Partnerships int
	// Answered is when it last answered, zero when it never did.
	Answered time.Time
	Status   SurveyStatus
	// Reports are its answers, newest first.
	Reports []*PartnershipReport
}

// PartnershipService reads and writes the partnerships of the network and
// their état des lieux.
type PartnershipService interface {
	Partnership(ctx context.Context, id int64) (*Partnership, error)
	// AllPartnerships lists every partnership with both sides and their
	// areas filled in, most recent first.
	AllPartnerships(ctx context.Context) ([]*Partnership, error)
	// CreatePartnership refuses the same pair and kind twice, in either
	// order, naming the one that exists.
	CreatePartnership(ctx context.Context, p *Partnership) error
	UpdatePartnership(ctx context.Context, p *Partnership) error
	SavePartnershipAgreement(ctx context.Context, id int64, name string, data []byte, by int64) error
	PartnershipAgreement(ctx context.Context, id int64) (*Agreement, []byte, error)
	// ReportPartnership records an authority's answer and makes its state,
	// last exchanges and current projects the partnership's.
	ReportPartnership(ctx context.Context, r *PartnershipReport) error
	ReviewPartnershipReport(ctx context.Context, id, by int64, at time.Time) error
	PartnershipReports(ctx context.Context, partnershipID int64) ([]*PartnershipReport, error)
	PartnershipSurvey(ctx context.Context, country Country) ([]*SurveyRow, error)
}

// MessageKey is the catalogue's key of the kind's name: "other" is a
// plural form's name in the catalogues, so that kind's key is
// partnership.other_agreement.
func (k PartnershipKind) MessageKey() string {
	if k == OtherAgreement {
		return "partnership.other_agreement"
	}
	return "partnership." + string(k)
}
