package twinmap

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

func place(o *rencontres.Organisation, lat, lng float64) *rencontres.Organisation {
	o.Lat, o.Lng = &lat, &lng
	return o
}

// Past MaxPoints authorities, the map draws one point per region or
// prefecture at the mean of its authorities and one line per pair of
// areas, counting every partnership once.
func TestBuildAggregates(t *testing.T) {
	l, err := TheLayout()
	if err != nil {
		t.Fatal(err)
	}
	areas := []*rencontres.Organisation{
		{Key: "fr-reg-84", Kind: rencontres.Region, Country: rencontres.France},
		{Key: "fr-reg-11", Kind: rencontres.Region, Country: rencontres.France},
		{Key: "jp-430005", Kind: rencontres.Prefecture, Country: rencontres.Japan},
	}
	var list []*rencontres.Partnership
	for i := range 600 {
		a := place(&rencontres.Organisation{Key: fmt.Sprintf("fr-%d", i), Kind: rencontres.Commune, Country: rencontres.France}, 45+float64(i%5)/10, 4+float64(i%7)/10)
		b := place(&rencontres.Organisation{Key: fmt.Sprintf("jp-%d", i), Kind: rencontres.Municipality, Country: rencontres.Japan}, 32.8, 130.7)
		list = append(list, &rencontres.Partnership{ID: int64(i), A: a.Key, B: b.Key, OrgA: a, OrgB: b, AreaA: areas[i%2], AreaB: areas[2],
			Kind: rencontres.PartnershipKinds[i%3]})
	}
	m := Build(l, list)
	if !m.Aggregated || len(m.Points) != 3 || len(m.Lines) != 2 {
		t.Fatalf("aggregated %v: %d points, %d lines, want 3 and 2", m.Aggregated, len(m.Points), len(m.Lines))
	}
	n := 0
	for _, ln := range m.Lines {
		n += ln.Count
	}
	if n != 600 {
		t.Errorf("lines count %d partnerships, want 600", n)
	}
	for _, pt := range m.Points {
		if pt.Area == nil || (pt.Area.Country == rencontres.France) != (pt.X < PanelWidth) {
			t.Errorf("point %+v", pt)
		}
	}
	if svg := m.SVG(Labels{ID: "m", Title: "t", Country: func(rencontres.Country) string { return "c" },
		Name: func(o *rencontres.Organisation) string { return o.Key }, Href: func(o *rencontres.Organisation) string { return "/o/" + o.Key },
		AreaHref: func(a *rencontres.Organisation) string { return "/map?area=" + a.Key },
		Point:    func(pt *Point, name string) string { return name }}); len(svg) > 20000 {
		t.Errorf("the aggregated drawing is %d bytes", len(svg))
	}
}

// Parse refuses what names nothing, all at once, and keeps the rest.
func TestParse(t *testing.T) {
	d := NewData(nil, []*rencontres.Series{{Slug: "raict"}}, nil)
	f, err := d.Parse(url.Values{"kind": {"jumelage"}, "country": {"DE"}, "from": {"2000"}, "to": {"1990"}, "series": {"raict"}})
	e, ok := err.(*rencontres.Error)
	if !ok || len(e.All()) != 2 || f.Kind != rencontres.Jumelage || f.Series != "raict" || f.From != 0 || f.Country != "" {
		t.Errorf("filter %+v, error %v", f, err)
	}
	if _, err := d.Parse(url.Values{"from": {"1990"}, "to": {"1990"}}); err != nil {
		t.Errorf("one year: %v", err)
	}
}
