package geo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
)

// Country is one panel of the map: the part of a country drawn, and how
// its places are projected.
type Country struct {
	// Code is the ISO 3166-1 alpha-2 code, ID the numeric one world-atlas
	// keys its countries by.
	Code, ID string
	// Keep reports whether a polygon, by its centre, is drawn: metropolitan
	// France and Corsica; Japan without the Ogasawara and other far
	// Pacific islands, which would leave the panel mostly sea.
	Keep func(c Point) bool
	// Lambert conformal conic: two standard parallels, the origin.
	Lat1, Lat2, Lat0, Lng0 float64
}

// Countries are the two panels, France then Japan. France's parallels and
// origin are those of Lambert-93, its official projection; Japan's are
// chosen the same way for its extent (Okinawa to Hokkaidō).
var Countries = []Country{
	{Code: "FR", ID: "250", Lat1: 44, Lat2: 49, Lat0: 46.5, Lng0: 3,
		Keep: func(c Point) bool { return c[0] > -6 && c[0] < 10 && c[1] > 41 && c[1] < 52 }},
	{Code: "JP", ID: "392", Lat1: 30, Lat2: 42, Lat0: 36, Lng0: 136,
		Keep: func(c Point) bool { return c[1] >= 30 || c[0] < 132 && c[1] >= 24 }},
}

// Shown reports whether a place of the country lies in the part the map
// draws: a commune of Guadeloupe or Ogasawara's villages do not.
func (c Country) Shown(lat, lng float64) bool { return c.Keep(Point{lng, lat}) }

// Outlines are the simplified rings of each country, by code, longitude
// and latitude in degrees, as Extract makes them from world-atlas.
type Outlines struct {
	Source    string            `json:"source"`
	Countries map[string][]Ring `json:"countries"`
}

//go:embed outlines.json
var outlinesJSON []byte

// Embedded returns the outlines shipped with the program (made by Extract
// from world-atlas 2.0.2, see the test that checks them).
func Embedded() (*Outlines, error) {
	var o Outlines
	if err := json.Unmarshal(outlinesJSON, &o); err != nil {
		return nil, fmt.Errorf("geo: outlines.json: %w", err)
	}
	return &o, nil
}

// Tolerance is how far, in degrees (about 2 km), a simplified outline may
// stray from Natural Earth's; islands smaller than MinArea square degrees
// (about 30 km²) are left out.
const (
	Tolerance = 0.02
	MinArea   = 0.003
)

// Extract reads the countries of world-atlas's countries-50m.json, keeps
// what each panel draws, simplifies each outer ring (holes are dropped:
// there are none worth drawing at this size) and rounds to 1/1000 degree.
func Extract(topojson []byte) (*Outlines, error) {
	t, err := DecodeTopology(topojson)
	if err != nil {
		return nil, err
	}
	out := &Outlines{Source: "world-atlas 2.0.2 countries-50m.json (Natural Earth)", Countries: map[string][]Ring{}}
	for _, c := range Countries {
		polys, err := t.Polygons("countries", c.ID)
		if err != nil {
			return nil, err
		}
		rings := []Ring{}
		for _, p := range polys {
			if len(p) == 0 || math.Abs(area(p[0])) < MinArea || !c.Keep(centre(p[0])) {
				continue
			}
			r := Simplify(p[0], Tolerance)
			for i := range r {
				r[i] = Point{math.Round(r[i][0]*1000) / 1000, math.Round(r[i][1]*1000) / 1000}
			}
			if len(r) >= 4 {
				rings = append(rings, r)
			}
		}
		out.Countries[c.Code] = rings
	}
	return out, nil
}

// area is a ring's signed area in square degrees (shoelace).
func area(r Ring) float64 {
	var a float64
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return a / 2
}

// centre is the middle of a ring's bounding box.
func centre(r Ring) Point {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range r {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	return Point{(minX + maxX) / 2, (minY + maxY) / 2}
}

// Simplify keeps the points of a ring that Douglas–Peucker keeps at the
// tolerance, the first and last always.
func Simplify(r Ring, tol float64) Ring {
	if len(r) < 3 {
		return append(Ring(nil), r...)
	}
	keep := make([]bool, len(r))
	keep[0], keep[len(r)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(r) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, at := 0.0, -1
		for i := s.a + 1; i < s.b; i++ {
			if d := segDist(r[i], r[s.a], r[s.b]); d > far {
				far, at = d, i
			}
		}
		if at >= 0 && far > tol {
			keep[at] = true
			stack = append(stack, span{s.a, at}, span{at, s.b})
		}
	}
	// A closed ring starts and ends on one point: the farthest point from
	// it is kept first (segDist measures from a point when a = b).
	var out Ring
	for i, k := range keep {
		if k {
			out = append(out, r[i])
		}
	}
	return out
}

// segDist is the distance from p to the segment ab.
func segDist(p, a, b Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	if dx == 0 && dy == 0 {
		return math.Hypot(p[0]-a[0], p[1]-a[1])
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / (dx*dx + dy*dy)
	t = max(0, min(1, t))
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}
