package twinmap

import (
	"strconv"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// FeatureCollection is a GeoJSON document (RFC 7946).
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
}

// Feature is one authority (a Point) or one partnership (a LineString).
// Positions are [longitude, latitude] in degrees, WGS 84.
type Feature struct {
	Type       string     `json:"type"`
	ID         string     `json:"id"`
	Geometry   Geometry   `json:"geometry"`
	Properties Properties `json:"properties"`
}

// Geometry is a Point (one position) or a LineString (two).
type Geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// Names are a name in the three languages of the site.
type Names struct {
	FR string `json:"fr"`
	JA string `json:"ja"`
	EN string `json:"en"`
}

// NamesOf gives a text in the three languages, each falling back as pages
// do.
func NamesOf(t rencontres.Text) Names {
	return Names{FR: t.In(rencontres.French), JA: t.In(rencontres.Japanese), EN: t.In(rencontres.English)}
}

// Properties are a feature's: an authority's key, names, country, kind and
// number of partnerships of the selection; a partnership's id, kind and its
// names, years, state and both sides.
type Properties struct {
	Feature string `json:"feature"` // authority or partnership
	// An authority's.
	Key          string             `json:"key,omitempty"`
	Name         *Names             `json:"name,omitempty"`
	Country      rencontres.Country `json:"country,omitempty"`
	OrgKind      rencontres.OrgKind `json:"organisation_kind,omitempty"`
	Partnerships int                `json:"partnerships,omitempty"`
	// A partnership's.
	ID        int64                       `json:"id,omitempty"`
	Kind      rencontres.PartnershipKind  `json:"kind,omitempty"`
	KindName  *Names                      `json:"kind_name,omitempty"`
	Year      int                         `json:"year,omitempty"`
	YearEnded int                         `json:"year_ended,omitempty"`
	State     rencontres.PartnershipState `json:"state,omitempty"`
	A         string                      `json:"a,omitempty"`
	B         string                      `json:"b,omitempty"`
	AName     *Names                      `json:"a_name,omitempty"`
	BName     *Names                      `json:"b_name,omitempty"`
}

// GeoJSON gives partnerships as features: every side that has a position
// as a Point (overseas ones too: GeoJSON is not bound to the drawn
// panels), then every partnership whose sides both have one as a
// LineString from side a to side b. kindName names a kind in a language.
func GeoJSON(list []*rencontres.Partnership, kindName func(k rencontres.PartnershipKind, l rencontres.Lang) string) FeatureCollection {
	fc := FeatureCollection{Type: "FeatureCollection", Features: []Feature{}}
	at := func(o *rencontres.Organisation) ([2]float64, bool) {
		if o == nil || o.Lat == nil || o.Lng == nil {
			return [2]float64{}, false
		}
		return [2]float64{*o.Lng, *o.Lat}, true
	}
	points := map[string]*Feature{}
	var order []string
	for _, p := range list {
		for _, o := range []*rencontres.Organisation{p.OrgA, p.OrgB} {
			pos, ok := at(o)
			if !ok {
				continue
			}
			if f := points[o.Key]; f != nil {
				f.Properties.Partnerships++
				continue
			}
			n := NamesOf(o.Name)
			points[o.Key] = &Feature{Type: "Feature", ID: "organisation/" + o.Key,
				Geometry:   Geometry{Type: "Point", Coordinates: pos},
				Properties: Properties{Feature: "authority", Key: o.Key, Name: &n, Country: o.Country, OrgKind: o.Kind, Partnerships: 1}}
			order = append(order, o.Key)
		}
	}
	for _, k := range order {
		fc.Features = append(fc.Features, *points[k])
	}
	for _, p := range list {
		a, okA := at(p.OrgA)
		b, okB := at(p.OrgB)
		if !okA || !okB {
			continue
		}
		kn := Names{FR: kindName(p.Kind, rencontres.French), JA: kindName(p.Kind, rencontres.Japanese), EN: kindName(p.Kind, rencontres.English)}
		if p.Kind == rencontres.OtherAgreement && len(p.KindLabel) > 0 {
			kn = NamesOf(p.KindLabel)
		}
		an, bn := NamesOf(p.OrgA.Name), NamesOf(p.OrgB.Name)
		fc.Features = append(fc.Features, Feature{Type: "Feature", ID: "partnership/" + strconv.FormatInt(p.ID, 10),
			Geometry: Geometry{Type: "LineString", Coordinates: [][2]float64{a, b}},
			Properties: Properties{Feature: "partnership", ID: p.ID, Kind: p.Kind, KindName: &kn, Year: p.Year, YearEnded: p.YearEnded,
				State: p.State, A: p.A, B: p.B, AName: &an, BName: &bn}})
	}
	return fc
}
