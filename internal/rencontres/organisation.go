package rencontres

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Country is an ISO 3166-1 alpha-2 code in upper case.
type Country string

// The countries of the Rencontres franco-japonaises.
const (
	France Country = "FR"
	Japan  Country = "JP"
)

// OrgKind says what an organisation is. Local authorities of both countries
// and the institutions that organise or support the Rencontres share one
// directory, since they play the same roles in an event.
type OrgKind string

// The kinds of organisation.
const (
	Commune      OrgKind = "commune"
	EPCI         OrgKind = "epci"
	Departement  OrgKind = "departement"
	Region       OrgKind = "region"
	Prefecture   OrgKind = "prefecture"
	Municipality OrgKind = "municipality" // 市町村
	SpecialWard  OrgKind = "special_ward" // 特別区, Tokyo's 23 wards
	Ward         OrgKind = "ward"         // 行政区 of a designated city
	Institution  OrgKind = "institution"  // CUF, CLAIR, ministries, agencies
	// The kinds of the institutions the secretariat records itself: they
	// are in no reference data.
	Association       OrgKind = "association"
	ChamberOfCommerce OrgKind = "chamber_of_commerce"
	// IntlAssociation is a prefectural or municipal international
	// association (国際交流協会).
	IntlAssociation OrgKind = "intl_association"
	Ministry        OrgKind = "ministry"
	Agency          OrgKind = "agency" // CLAIR, Japan Foundation, Business France…
	OtherKind       OrgKind = "other_kind"
	// City and Province are the local authorities of countries other
	// than France and Japan, which no reference data describes: a city,
	// town or municipality, and a region, province or state.
	City     OrgKind = "city"
	Province OrgKind = "province"
)

// OrgKinds lists every kind, for validation and filters.
var OrgKinds = []OrgKind{Commune, EPCI, Departement, Region, Prefecture, Municipality, SpecialWard, Ward, Institution,
	Association, ChamberOfCommerce, IntlAssociation, Ministry, Agency, OtherKind, City, Province}

// IsAuthority reports whether the kind is a local authority rather than an
// institution.
func (k OrgKind) IsAuthority() bool {
	switch k {
	case Commune, EPCI, Departement, Region, Prefecture, Municipality, SpecialWard, Ward, City, Province:
		return true
	}
	return false
}

// Organisation is a local authority or an institution.
type Organisation struct {
	ID int64 `json:"-"`
	// Key is the stable public identifier: "fr-13001" (INSEE code),
	// "jp-431001" (local-government code with its check digit), "fr-dep-13",
	// "inst-cuf". It survives re-imports and moves between databases.
	Key     string  `json:"key"`
	Kind    OrgKind `json:"kind"`
	Country Country `json:"country"`
	// Code is the official code: INSEE for French communes, departments and
	// regions, SIREN for EPCIs, the 6-digit 全国地方公共団体コード in Japan.
	Code string `json:"code,omitempty"`
	// Name holds the name per language: French or Hepburn romaji under fr and
	// en, kanji under ja.
	Name Text `json:"name"`
	// Kana is the reading of a Japanese name in hiragana.
	Kana       string   `json:"kana,omitempty"`
	ParentID   int64    `json:"-"`
	ParentKey  string   `json:"parent,omitempty"`
	Population int64    `json:"population,omitempty"`
	Lat        *float64 `json:"lat,omitempty"`
	Lng        *float64 `json:"lng,omitempty"`
	Website    string   `json:"website,omitempty"`
	// Address is the postal address, as printed on an envelope.
	Address string `json:"address,omitempty"`
	// Languages are the codes (fr, ja, en…) of the languages its
	// international-relations service speaks.
	Languages []string `json:"languages,omitempty"`
	// CUFJapanGroup: a member of Cités Unies France's Japan country group.
	CUFJapanGroup bool `json:"cuf_japan_group"`
	// Notes are the secretariat's own; never shown to anyone else.
	Notes  string    `json:"notes,omitempty"`
	Source OrgSource `json:"source,omitempty"`
	// Reference holds, for each field the secretariat changed on a record
	// of the reference data, the value the reference data gives (see
	// RefFields): the page shows it beside the local value.
	Reference map[string]string `json:"reference,omitempty"`
	Created   time.Time         `json:"created,omitzero"`
	Updated   time.Time         `json:"updated,omitzero"`
}

// Validate checks an organisation before it is stored.
func (o *Organisation) Validate() error {
	switch {
	case o.Key == "":
		return &Error{Code: EINVALID, Key: "error.required", Field: "key", Message: "required"}
	case !o.Kind.Valid():
		return &Error{Code: EINVALID, Key: "error.bad_kind", Field: "kind", Message: fmt.Sprintf("unknown kind %q", o.Kind)}
	case o.Country == "" || len(o.Country) != 2:
		return &Error{Code: EINVALID, Key: "error.bad_country", Field: "country", Message: fmt.Sprintf("country %q: want a two-letter code", o.Country)}
	case o.Population < 0:
		return &Error{Code: EINVALID, Key: "error.negative", Field: "population", Message: "must not be negative"}
	case o.Lat != nil && (*o.Lat < -90 || *o.Lat > 90):
		return &Error{Code: EINVALID, Key: "error.bad_coordinates", Field: "lat", Message: "latitude out of range"}
	case o.Lng != nil && (*o.Lng < -180 || *o.Lng > 180):
		return &Error{Code: EINVALID, Key: "error.bad_coordinates", Field: "lng", Message: "longitude out of range"}
	}
	return o.Name.Validate("name", true)
}

// Valid reports whether k is one of OrgKinds.
func (k OrgKind) Valid() bool {
	for _, v := range OrgKinds {
		if v == k {
			return true
		}
	}
	return false
}

// SearchText returns the lower-case, accent-free, hiragana-folded forms of
// every name of o, so that one substring search finds an authority whether
// it is typed in French, romaji, kanji, katakana or hiragana.
func (o *Organisation) SearchText() string {
	parts := []string{o.Code}
	for _, l := range Langs {
		if s := o.Name[l]; s != "" {
			parts = append(parts, s)
		}
	}
	parts = append(parts, o.Kana)
	return FoldSearch(strings.Join(parts, " "))
}

// FoldSearch normalises s for substring search: compatibility-normalised
// (full-width letters become ASCII), lower-case, accents and long-vowel
// macrons removed, katakana turned into hiragana, and apostrophes, hyphens
// and spaces made into single spaces. The same fold is applied to the stored
// text and to the query.
func FoldSearch(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			// Combining marks: accents and macrons. Dakuten are kept: they
			// compose back below.
			if r == '\u3099' || r == '\u309A' {
				b.WriteRune(r)
			}
			continue
		case r >= 'ァ' && r <= 'ヶ':
			r -= 'ァ' - 'ぁ'
		case r == '\'' || r == '’' || r == '-' || r == '‐' || r == '・' || unicode.IsSpace(r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimSpace(norm.NFC.String(b.String()))
}

// Partnership is an agreement between two authorities. Who counts a
// twinning depends on who counts (CUF counts more than CLAIR does), so the
// kind of agreement is recorded rather than a single flag. Its state and
// what it is doing now (last exchanges, current projects) are kept by the
// authorities' own contacts (partnership.go).
type Partnership struct {
	ID   int64           `json:"id,omitempty"`
	A    string          `json:"a"` // organisation keys
	B    string          `json:"b"`
	Kind PartnershipKind `json:"kind"`
	// KindLabel names an agreement of kind other (« charte de
	// coopération »).
	KindLabel       Text             `json:"kind_label,omitempty"`
	Year            int              `json:"year,omitempty"`
	YearEnded       int              `json:"year_ended,omitempty"`
	State           PartnershipState `json:"state,omitempty"`
	Note            Text             `json:"note,omitempty"`
	LastExchanges   string           `json:"last_exchanges,omitempty"`
	CurrentProjects string           `json:"current_projects,omitempty"`
	// Agreement describes the signed agreement, when one was uploaded.
	Agreement *Agreement    `json:"agreement,omitempty"`
	Other     *Organisation `json:"-"` // the partner, when listed from one side
	// OrgA and OrgB are both sides, and AreaA and AreaB the region or
	// prefecture each lies in, when listed for the whole network.
	OrgA, OrgB   *Organisation `json:"-"`
	AreaA, AreaB *Organisation `json:"-"`
}

// PartnershipKind is the kind of agreement between two authorities.
type PartnershipKind string

// Kinds of agreement between authorities.
const (
	Jumelage       PartnershipKind = "jumelage"      // twinning, sister cities
	PacteAmitie    PartnershipKind = "pacte_amitie"  // friendship pact, 友好都市
	Convention     PartnershipKind = "convention"    // accord de coopération
	ExchangeCity   PartnershipKind = "exchange_city" // 交流都市
	OtherAgreement PartnershipKind = "other"         // named by KindLabel
)

// PartnershipKinds lists every kind, in the order forms offer them.
var PartnershipKinds = []PartnershipKind{Jumelage, PacteAmitie, Convention, ExchangeCity, OtherAgreement}

// Valid reports whether k is one of PartnershipKinds.
func (k PartnershipKind) Valid() bool {
	for _, v := range PartnershipKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Validate checks a partnership and returns every fault at once (Join).
func (p *Partnership) Validate() error {
	var errs []error
	if p.A == "" {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "a", Message: "both partners are required"})
	}
	if p.B == "" {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "b", Message: "both partners are required"})
	}
	if p.A != "" && p.A == p.B {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.self_partnership", Field: "b", Message: "an authority cannot partner itself"})
	}
	if !p.Kind.Valid() {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_kind", Field: "kind", Message: fmt.Sprintf("unknown kind %q", p.Kind)})
	}
	if p.Kind == OtherAgreement && p.KindLabel.IsZero() {
		errs = append(errs, &Error{Code: EINVALID, Key: "partnership_error.label_required", Field: "kind_label",
			Message: "an agreement of another kind needs its name"})
	}
	if err := p.KindLabel.Validate("kind_label", false); err != nil {
		errs = append(errs, err)
	}
	if p.Year != 0 && (p.Year < 1900 || p.Year > 2100) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_year", Field: "year", Message: fmt.Sprintf("year %d out of range", p.Year)})
	}
	if p.YearEnded != 0 && (p.YearEnded < 1900 || p.YearEnded > 2100) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_year", Field: "year_ended", Message: fmt.Sprintf("year %d out of range", p.YearEnded)})
	} else if p.YearEnded != 0 && p.Year != 0 && p.YearEnded < p.Year {
		errs = append(errs, &Error{Code: EINVALID, Key: "partnership_error.ended_before_signed", Field: "year_ended",
			Message: fmt.Sprintf("ended in %d, before it was signed in %d", p.YearEnded, p.Year),
			Args:    map[string]any{"Ended": p.YearEnded, "Signed": p.Year}})
	}
	if p.State != "" && !p.State.Valid() {
		errs = append(errs, &Error{Code: EINVALID, Key: "partnership_error.bad_state", Field: "state", Message: fmt.Sprintf("unknown state %q", p.State)})
	}
	if err := p.Note.Validate("note", false); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, checkReportText("last_exchanges", p.LastExchanges), checkReportText("current_projects", p.CurrentProjects))
	return Join(errs...)
}

// OrgFilter selects organisations.
type OrgFilter struct {
	Query   string // any name form; folded with FoldSearch
	Country Country
	Kind    OrgKind
	Limit   int
	Offset  int
}

// SearchCountBound is how far a search by name counts its matches: beyond
// it, a search reports "more than SearchCountBound results".
const SearchCountBound = 1000

// Total reads the number of matches OrganisationService.Organisations
// returned for f: a search by name counts up to SearchCountBound+1, so that
// a broad query answers as fast as a narrow one; beyond SearchCountBound it
// returns SearchCountBound and lowerBound true ("more than 1,000"). A
// listing without a query counts exactly.
func (f OrgFilter) Total(total int) (n int, lowerBound bool) {
	if FoldQuery(f.Query) != "" && total > SearchCountBound {
		return SearchCountBound, true
	}
	return total, false
}

// OrganisationService reads and writes the directory.
type OrganisationService interface {
	Organisation(ctx context.Context, key string) (*Organisation, error)
	Organisations(ctx context.Context, f OrgFilter) ([]*Organisation, int, error)
	// UpsertOrganisations creates or updates organisations by key in one
	// transaction: all of them are stored, or none.
	UpsertOrganisations(ctx context.Context, orgs []*Organisation) (created, updated int, err error)
	Partnerships(ctx context.Context, orgKey string) ([]*Partnership, error)
}
