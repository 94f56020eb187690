// Package geo draws the outlines of France and Japan for the twinning map:
// it decodes the TopoJSON of world-atlas (Natural Earth), keeps the parts
// of each country the map shows, simplifies them, and projects places into
// each country's panel with a Lambert conformal conic projection.
package geo

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Point is a position in degrees, longitude first as GeoJSON writes it.
type Point [2]float64

// Ring is a closed line of points; Polygon is an outer ring and its holes.
type (
	Ring    []Point
	Polygon []Ring
)

// topology is the part of a TopoJSON topology the map reads.
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Type       string     `json:"type"`
		Geometries []geometry `json:"geometries"`
	} `json:"objects"`
}

type geometry struct {
	Type string          `json:"type"`
	ID   json.RawMessage `json:"id"`
	Arcs json.RawMessage `json:"arcs"`
}

// Topology is a decoded TopoJSON topology: its arcs in degrees, and its
// objects' geometries.
type Topology struct {
	arcs    []Ring
	objects map[string][]geometry
}

// DecodeTopology reads a TopoJSON topology. Quantized arcs (with a
// transform) are delta-encoded: each position after the first is the
// difference from the one before, in units of the transform's scale.
func DecodeTopology(data []byte) (*Topology, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q, want Topology", t.Type)
	}
	out := &Topology{arcs: make([]Ring, len(t.Arcs)), objects: map[string][]geometry{}}
	for i, arc := range t.Arcs {
		r := make(Ring, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform == nil {
				r[j] = Point(p)
				continue
			}
			x, y = x+p[0], y+p[1]
			r[j] = Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		out.arcs[i] = r
	}
	for name, o := range t.Objects {
		out.objects[name] = o.Geometries
	}
	return out, nil
}

// Polygons returns the polygons of the geometry of an object whose id is
// id (world-atlas numbers countries by ISO 3166-1: 250 France, 392 Japan).
func (t *Topology) Polygons(object, id string) ([]Polygon, error) {
	for _, g := range t.objects[object] {
		if strings.Trim(string(g.ID), `"`) != id {
			continue
		}
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("topojson: %s %s: %w", object, id, err)
			}
			p, err := t.polygon(rings)
			if err != nil {
				return nil, err
			}
			return []Polygon{p}, nil
		case "MultiPolygon":
			var polys [][][]int
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("topojson: %s %s: %w", object, id, err)
			}
			out := make([]Polygon, 0, len(polys))
			for _, rings := range polys {
				p, err := t.polygon(rings)
				if err != nil {
					return nil, err
				}
				out = append(out, p)
			}
			return out, nil
		default:
			return nil, fmt.Errorf("topojson: %s %s is a %s, not a polygon", object, id, g.Type)
		}
	}
	return nil, fmt.Errorf("topojson: no geometry %q in object %q", id, object)
}

func (t *Topology) polygon(rings [][]int) (Polygon, error) {
	p := make(Polygon, 0, len(rings))
	for _, arcs := range rings {
		var r Ring
		for k, a := range arcs {
			rev := a < 0
			if rev {
				a = ^a // ~a: the arc a, walked backwards
			}
			if a >= len(t.arcs) {
				return nil, fmt.Errorf("topojson: arc %d of %d", a, len(t.arcs))
			}
			arc := t.arcs[a]
			for j := range arc {
				q := arc[j]
				if rev {
					q = arc[len(arc)-1-j]
				}
				// Each arc after the first starts where the one before ended.
				if k > 0 && j == 0 {
					continue
				}
				r = append(r, q)
			}
		}
		p = append(p, r)
	}
	return p, nil
}
