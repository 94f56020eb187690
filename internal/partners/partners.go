// Package partners ranks the authorities of the other country as partners
// for an authority and says why, in words (issue 17). It holds no SQL and
// no HTTP: the store gathers what it knows of each authority into an
// Authority, Rank scores the candidates with the Weights, and Say puts a
// reason in the reader's language. docs/partners.md gives the formula.
package partners

import (
	"cmp"
	"math"
	"slices"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Authority is what the suggestions know of one authority.
type Authority struct {
	ID         int64
	Key        string
	Country    rencontres.Country
	Kind       rencontres.OrgKind
	Name       rencontres.Text
	Population int64
	// Lat and Lng are its position when Located.
	Lat, Lng float64
	Located  bool
	// Seeks and Offers are theme keys of its cooperation profile.
	Seeks, Offers []string
	// SDGs are the goals of the practices it presented in the library;
	// Practices how many it presented.
	SDGs      []int
	Practices int
	// Editions are the editions its delegations took part in; Workshops
	// the workshops ("edition/seq") it presented a practice at.
	Editions  []int64
	Workshops []string
	// Twins are the ids of the authorities it has a partnership with.
	Twins []int64
}

// Edition names an edition in the reasons.
type Edition struct {
	Number int             `json:"number"`
	Series rencontres.Text `json:"series"` // the series' short name
}

// Workshop names a workshop of an edition in the reasons.
type Workshop struct {
	Edition Edition         `json:"edition"`
	Title   rencontres.Text `json:"title"`
}

// Names are what the reasons name beside the authorities: the editions
// by id and the workshops by "edition/seq" (seq from 1), as in Authority.
type Names struct {
	Editions  map[int64]Edition
	Workshops map[string]Workshop
}

// Weights are the part of each reason in the score: data, so that the
// secretariat's wishes change a table, not the code (docs/partners.md).
type Weights struct {
	// SharedTheme counts per theme both name (sought or offered) that is
	// not already counted as complementary.
	SharedTheme float64
	// Complement counts per theme one seeks and the other offers, each way.
	Complement float64
	// SharedSDG counts per goal both presented practices on.
	SharedSDG float64
	// SameKind is given once for authorities of the same level.
	SameKind float64
	// Size is given times the ratio of the smaller population to the
	// larger, when that ratio is at least SizeRatio.
	Size      float64
	SizeRatio float64
	// Practices counts per practice the candidate presented, up to
	// PracticesCap.
	Practices    float64
	PracticesCap int
	// SameEdition and SameWorkshop count per edition both took part in
	// and per workshop both presented at.
	SameEdition  float64
	SameWorkshop float64
	// TwinsTwin is given once when the candidate is twinned with an
	// authority that shares a twin with the reader's authority.
	TwinsTwin float64
	// NearTwin is given times (1 − d/NearKm) when the candidate lies d km
	// from one of the authority's twins, d under NearKm.
	NearTwin float64
	NearKm   float64
}

// DefaultWeights are the weights the product uses.
var DefaultWeights = Weights{
	SharedTheme: 2, Complement: 3, SharedSDG: 2,
	SameKind: 1, Size: 2, SizeRatio: 0.5,
	Practices: 0.5, PracticesCap: 4,
	SameEdition: 1, SameWorkshop: 2,
	TwinsTwin: 2, NearTwin: 3, NearKm: 100,
}

// The kinds of reason, as the API gives them.
const (
	SharedTheme  = "shared_theme"
	OffersSought = "offers_sought" // the candidate offers what the authority seeks
	SeeksOffered = "seeks_offered" // the candidate seeks what the authority offers
	SharedSDG    = "shared_sdg"
	SameKind     = "same_kind"
	Size         = "size"
	Practices    = "practices"
	SameEdition  = "same_edition"
	SameWorkshop = "same_workshop"
	TwinsTwin    = "twins_twin"
	NearTwin     = "near_twin"
)

// weak reasons alone do not make a suggestion: every commune of France is
// a commune of a size.
var weak = map[string]bool{SameKind: true, Size: true}

// Rank scores every candidate for a and returns the best limit, best
// first; candidates of a's own country, a itself and a's partners are left
// out, as are those with only weak reasons. byID gives the authorities a
// reason may name (twins and their twins).
func Rank(a *Authority, candidates []*Authority, byID map[int64]*Authority, names Names, w Weights, limit int) []*rencontres.Suggestion {
	twinned := map[int64]bool{a.ID: true}
	for _, t := range a.Twins {
		twinned[t] = true
	}
	var out []*rencontres.Suggestion
	for _, c := range candidates {
		if c.Country == a.Country || twinned[c.ID] {
			continue
		}
		reasons := Reasons(a, c, byID, names, w)
		strong := false
		score := 0.0
		for _, r := range reasons {
			score += r.Weight
			strong = strong || !weak[r.Kind]
		}
		if !strong {
			continue
		}
		out = append(out, &rencontres.Suggestion{Org: &rencontres.Organisation{ID: c.ID, Key: c.Key, Kind: c.Kind, Country: c.Country, Name: c.Name, Population: c.Population},
			Score: math.Round(score*100) / 100, Reasons: reasons})
	}
	slices.SortStableFunc(out, func(x, y *rencontres.Suggestion) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		return cmp.Compare(x.Org.Key, y.Org.Key)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Reasons are the reasons c suits a, heaviest first.
func Reasons(a, c *Authority, byID map[int64]*Authority, names Names, w Weights) []rencontres.SuggestionReason {
	var rs []rencontres.SuggestionReason
	add := func(kind string, weight float64, args map[string]any) {
		if weight > 0 {
			rs = append(rs, rencontres.SuggestionReason{Kind: kind, Key: "suggestion." + kind, Args: args, Weight: math.Round(weight*100) / 100})
		}
	}
	offered := intersect(a.Seeks, c.Offers)
	sought := intersect(a.Offers, c.Seeks)
	add(OffersSought, w.Complement*float64(len(offered)), map[string]any{"Themes": offered})
	add(SeeksOffered, w.Complement*float64(len(sought)), map[string]any{"Themes": sought})
	var shared []string
	for _, t := range intersect(union(a.Seeks, a.Offers), union(c.Seeks, c.Offers)) {
		if !slices.Contains(offered, t) && !slices.Contains(sought, t) {
			shared = append(shared, t)
		}
	}
	add(SharedTheme, w.SharedTheme*float64(len(shared)), map[string]any{"Themes": shared})
	sdgs := intersect(a.SDGs, c.SDGs)
	add(SharedSDG, w.SharedSDG*float64(len(sdgs)), map[string]any{"SDGs": sdgs})
	if eds := intersect(a.Editions, c.Editions); len(eds) > 0 {
		named := []Edition{}
		for _, id := range eds {
			if e, ok := names.Editions[id]; ok {
				named = append(named, e)
			}
		}
		add(SameEdition, w.SameEdition*float64(len(eds)), map[string]any{"Count": len(eds), "Editions": named})
	}
	if ws := intersect(a.Workshops, c.Workshops); len(ws) > 0 {
		named := []Workshop{}
		for _, k := range ws {
			if x, ok := names.Workshops[k]; ok {
				named = append(named, x)
			}
		}
		add(SameWorkshop, w.SameWorkshop*float64(len(ws)), map[string]any{"Count": len(ws), "Workshops": named})
	}
	if c.Practices > 0 {
		add(Practices, w.Practices*float64(min(c.Practices, w.PracticesCap)), map[string]any{"Count": c.Practices})
	}
	if via, twin := twinsTwin(a, c, byID); via != nil {
		add(TwinsTwin, w.TwinsTwin, map[string]any{"Via": via.Name, "Twin": twin.Name})
	}
	if twin, km := nearestTwin(a, c, byID); twin != nil && km < w.NearKm {
		add(NearTwin, w.NearTwin*(1-km/w.NearKm), map[string]any{"Twin": twin.Name, "Org": a.Name, "Km": int(math.Round(km))})
	}
	if SameLevel(a.Kind, c.Kind) {
		add(SameKind, w.SameKind, map[string]any{"Kind": string(a.Kind), "Other": string(c.Kind)})
	}
	if a.Population > 0 && c.Population > 0 {
		ratio := float64(min(a.Population, c.Population)) / float64(max(a.Population, c.Population))
		if ratio >= w.SizeRatio {
			add(Size, w.Size*ratio, map[string]any{"Population": a.Population, "OtherPopulation": c.Population})
		}
	}
	slices.SortStableFunc(rs, func(x, y rencontres.SuggestionReason) int { return cmp.Compare(y.Weight, x.Weight) })
	return rs
}

// twinsTwin finds a twin of c's that shares a twin with a: the first
// (smallest id) such pair, so that the reason is the same every time.
func twinsTwin(a, c *Authority, byID map[int64]*Authority) (via, twin *Authority) {
	for _, t := range sortedIDs(a.Twins) {
		tw := byID[t]
		if tw == nil {
			continue
		}
		for _, x := range sortedIDs(c.Twins) {
			if x == a.ID || x == t {
				continue
			}
			if slices.Contains(tw.Twins, x) && byID[x] != nil {
				return byID[x], tw
			}
		}
	}
	return nil, nil
}

// nearestTwin is a's twin nearest to c, and how far, in km.
func nearestTwin(a, c *Authority, byID map[int64]*Authority) (*Authority, float64) {
	if !c.Located {
		return nil, 0
	}
	var best *Authority
	bestKm := math.Inf(1)
	for _, t := range sortedIDs(a.Twins) {
		tw := byID[t]
		if tw == nil || !tw.Located || tw.Country != c.Country {
			continue
		}
		if d := Distance(tw.Lat, tw.Lng, c.Lat, c.Lng); d < bestKm {
			best, bestKm = tw, d
		}
	}
	return best, bestKm
}

// Distance is the great-circle distance in km between two points.
func Distance(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// level groups the kinds of authority that stand at the same level in
// both countries: a commune and a 市町村, a département and a 県.
func level(k rencontres.OrgKind) string {
	switch k {
	case rencontres.Commune, rencontres.Municipality, rencontres.SpecialWard, rencontres.Ward, rencontres.City, rencontres.EPCI:
		return "local"
	case rencontres.Departement, rencontres.Prefecture, rencontres.Region, rencontres.Province:
		return "regional"
	}
	return ""
}

// SameLevel reports whether two kinds of authority stand at the same level.
func SameLevel(a, b rencontres.OrgKind) bool {
	return level(a) != "" && level(a) == level(b)
}

func intersect[T cmp.Ordered](a, b []T) []T {
	out := []T{}
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func sortedIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
