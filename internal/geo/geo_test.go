package geo

import (
	"math"
	"strings"
	"testing"
)

// A square of two arcs, quantized and delta-encoded, the second walked
// backwards (~1): the ring comes back in degrees, closed, each shared
// point once.
func TestDecodeTopology(t *testing.T) {
	topo := `{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[10,40]},
		"arcs":[[[0,0],[2,0],[0,4]],[[0,0],[0,4],[2,0]]],
		"objects":{"countries":{"type":"GeometryCollection","geometries":[
			{"type":"Polygon","id":"250","arcs":[[0,-2]]},
			{"type":"MultiPolygon","id":"392","arcs":[[[0,-2]],[[0,-2]]]}]}}}`
	tp, err := DecodeTopology([]byte(topo))
	if err != nil {
		t.Fatal(err)
	}
	polys, err := tp.Polygons("countries", "250")
	if err != nil || len(polys) != 1 {
		t.Fatalf("%v %v", polys, err)
	}
	want := Ring{{10, 40}, {11, 40}, {11, 41}, {10, 41}, {10, 40}}
	if got := polys[0][0]; len(got) != len(want) {
		t.Fatalf("ring %v, want %v", got, want)
	} else {
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("ring %v, want %v", got, want)
			}
		}
	}
	if polys, err := tp.Polygons("countries", "392"); err != nil || len(polys) != 2 {
		t.Errorf("multipolygon: %d, %v", len(polys), err)
	}
	if _, err := tp.Polygons("countries", "999"); err == nil {
		t.Error("an unknown id gave no error")
	}
	for _, bad := range []string{`{"type":"Feature"}`, `{"type":"Topology","arcs":[],"objects":{"c":{"geometries":[{"type":"Polygon","id":1,"arcs":[[5]]}]}}}`} {
		tp, err := DecodeTopology([]byte(bad))
		if err == nil {
			_, err = tp.Polygons("c", "1")
		}
		if err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}

// Douglas–Peucker drops the points within the tolerance and keeps a
// closed ring's shape.
func TestSimplify(t *testing.T) {
	r := Ring{{0, 0}, {1, 0.001}, {2, 0}, {2, 2}, {1, 2.001}, {0, 2}, {0, 0}}
	got := Simplify(r, 0.01)
	if len(got) != 5 {
		t.Errorf("simplified to %v, want the square's 5 points", got)
	}
}

// The projection puts places where the map expects them: Paris north of
// Marseille and west of Strasbourg, Sapporo north-east of Naha, inside
// their panels; the outline paths are closed.
func TestPanels(t *testing.T) {
	o, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	fr := NewPanel(Countries[0], o.Countries["FR"], 0, 0, 400, 10)
	jp := NewPanel(Countries[1], o.Countries["JP"], 440, 0, 400, 10)
	px, py := fr.Project(48.85, 2.35)
	mx, my := fr.Project(43.30, 5.38)
	sx, _ := fr.Project(48.58, 7.75)
	if !(py < my && px < sx && px < mx) {
		t.Errorf("Paris %g,%g Marseille %g,%g Strasbourg x %g", px, py, mx, my, sx)
	}
	for _, p := range []struct {
		panel    *Panel
		lat, lng float64
	}{{fr, 48.85, 2.35}, {fr, 43.3, 5.38}, {jp, 43.06, 141.35}, {jp, 26.21, 127.68}} {
		x, y := p.panel.Project(p.lat, p.lng)
		if x < p.panel.X || x > p.panel.X+p.panel.Width || y < p.panel.Y || y > p.panel.Y+p.panel.Height || math.IsNaN(x) {
			t.Errorf("%g,%g at %g,%g, outside its panel", p.lat, p.lng, x, y)
		}
	}
	if !Countries[0].Shown(48.85, 2.35) || Countries[0].Shown(16.25, -61.58) || Countries[1].Shown(27.09, 142.19) || !Countries[1].Shown(26.21, 127.68) {
		t.Error("Paris and Naha are drawn, Guadeloupe and Chichijima are not")
	}
	for _, p := range []*Panel{fr, jp} {
		if !strings.HasPrefix(p.Path, "M") || !strings.HasSuffix(p.Path, "Z") || strings.Count(p.Path, "M") != strings.Count(p.Path, "Z") {
			t.Errorf("%s path is not closed rings: %.60s…", p.Code, p.Path)
		}
	}
}
