package twinmap

import (
	"cmp"
	"slices"
	"sync"

	"github.com/rencontres/rencontres/internal/geo"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The map's size in SVG units: France on the left, Japan on the right,
// each panel PanelWidth wide, Gap apart; the SVG scales to the page.
const (
	PanelWidth = 400
	Gap        = 40
	margin     = 12
)

// Layout is the two panels, projected once from the embedded outlines.
type Layout struct {
	Panels        []*geo.Panel
	Width, Height float64
}

var (
	layoutOnce sync.Once
	layout     *Layout
	layoutErr  error
)

// TheLayout returns the map's panels, made on first use.
func TheLayout() (*Layout, error) {
	layoutOnce.Do(func() {
		o, err := geo.Embedded()
		if err != nil {
			layoutErr = err
			return
		}
		l := &Layout{}
		x := 0.0
		for _, c := range geo.Countries {
			p := geo.NewPanel(c, o.Countries[c.Code], x, 0, PanelWidth, margin)
			l.Panels = append(l.Panels, p)
			l.Height = max(l.Height, p.Height)
			x += PanelWidth + Gap
		}
		l.Width = x - Gap
		// Centre the shorter panel vertically.
		for i, p := range l.Panels {
			if p.Height < l.Height {
				l.Panels[i] = geo.NewPanel(p.Country, o.Countries[p.Code], p.X, (l.Height-p.Height)/2, PanelWidth, margin)
			}
		}
		layout = l
	})
	return layout, layoutErr
}

// Panel returns the panel of a country, nil for another country.
func (l *Layout) Panel(c rencontres.Country) *geo.Panel {
	for _, p := range l.Panels {
		if p.Code == string(c) {
			return p
		}
	}
	return nil
}

// Place says where an authority is drawn.
type Place int

// Where an authority can be.
const (
	Placed   Place = iota // in its country's panel
	Outside               // it has a position, outside the drawn part (overseas, far islands) or in a third country
	Unplaced              // it has no position yet
)

// Locate says where an organisation is drawn and, when it is, its position
// on the map.
func (l *Layout) Locate(o *rencontres.Organisation) (Place, float64, float64) {
	if o == nil || o.Lat == nil || o.Lng == nil {
		return Unplaced, 0, 0
	}
	p := l.Panel(o.Country)
	if p == nil || !p.Shown(*o.Lat, *o.Lng) {
		return Outside, 0, 0
	}
	x, y := p.Project(*o.Lat, *o.Lng)
	return Placed, x, y
}

// Point is an authority on the map, or the authorities of one region or
// prefecture drawn as one when there are too many to draw each.
type Point struct {
	X, Y float64
	Org  *rencontres.Organisation
	// Area is set on an aggregated point; Orgs is how many it stands for.
	Area *rencontres.Organisation
	Orgs int
	// Partnerships counts those of the selection it takes part in.
	Partnerships int
}

// Line is a partnership between two points, or on an aggregated map all
// those of one kind between two areas.
type Line struct {
	X1, Y1, X2, Y2 float64
	Kind           rencontres.PartnershipKind
	P              *rencontres.Partnership
	Count          int
}

// Map is what is drawn for a selection of partnerships.
type Map struct {
	*Layout
	Points []*Point
	Lines  []*Line
	// Aggregated is set when the authorities were too many to draw each:
	// points are regions and prefectures, lines pairs of them.
	Aggregated bool
	// Unplaced are the authorities of the selection with no position, by
	// name; Outside counts those outside the drawn part (overseas
	// departments, far islands, third countries). NotDrawn counts the
	// partnerships without a line: a side unplaced or outside.
	Unplaced []*rencontres.Organisation
	Outside  int
	NotDrawn int
	Kinds    []rencontres.PartnershipKind
}

// MaxPoints is the number of authorities above which the map draws regions
// and prefectures instead, so that the page stays small and readable.
const MaxPoints = 400

// Build draws partnerships: a point for each authority, a line for each
// partnership whose sides are both drawn.
func Build(l *Layout, list []*rencontres.Partnership) *Map {
	m := &Map{Layout: l}
	type placed struct {
		pt  *Point
		ok  bool
		org *rencontres.Organisation
	}
	seen := map[string]*placed{}
	unplaced := map[string]*rencontres.Organisation{}
	locate := func(o *rencontres.Organisation) *placed {
		if o == nil {
			return &placed{}
		}
		if s := seen[o.Key]; s != nil {
			return s
		}
		s := &placed{org: o}
		switch where, x, y := l.Locate(o); where {
		case Placed:
			s.pt, s.ok = &Point{X: x, Y: y, Org: o, Orgs: 1}, true
			m.Points = append(m.Points, s.pt)
		case Outside:
			m.Outside++
		default:
			unplaced[o.Key] = o
		}
		seen[o.Key] = s
		return s
	}
	kinds := map[rencontres.PartnershipKind]bool{}
	for _, p := range list {
		a, b := locate(p.OrgA), locate(p.OrgB)
		if a.ok {
			a.pt.Partnerships++
		}
		if b.ok {
			b.pt.Partnerships++
		}
		if !a.ok || !b.ok {
			m.NotDrawn++
			continue
		}
		kinds[p.Kind] = true
		m.Lines = append(m.Lines, &Line{X1: a.pt.X, Y1: a.pt.Y, X2: b.pt.X, Y2: b.pt.Y, Kind: p.Kind, P: p, Count: 1})
	}
	for _, k := range rencontres.PartnershipKinds {
		if kinds[k] {
			m.Kinds = append(m.Kinds, k)
		}
	}
	for _, o := range unplaced {
		m.Unplaced = append(m.Unplaced, o)
	}
	slices.SortFunc(m.Unplaced, func(a, b *rencontres.Organisation) int {
		return cmp.Or(cmp.Compare(a.Country, b.Country), cmp.Compare(rencontres.FoldSearch(a.Name.In(rencontres.French)), rencontres.FoldSearch(b.Name.In(rencontres.French))), cmp.Compare(a.Key, b.Key))
	})
	if len(m.Points) > MaxPoints {
		m.aggregate(list)
	}
	return m
}

// aggregate replaces the points by one per region or prefecture, at the
// mean of its authorities' positions, and the lines by one per pair of
// areas and kind, counting its partnerships.
func (m *Map) aggregate(list []*rencontres.Partnership) {
	m.Aggregated = true
	byOrg := map[string]*Point{}
	for _, pt := range m.Points {
		byOrg[pt.Org.Key] = pt
	}
	areas := map[string]*Point{}
	var order []*Point
	areaOf := map[string]*Point{}
	add := func(o, area *rencontres.Organisation) {
		pt := byOrg[o.Key]
		if pt == nil || areaOf[o.Key] != nil {
			return
		}
		key := o.Key // an authority outside any area stands alone
		if area != nil {
			key = area.Key
		}
		ap := areas[key]
		if ap == nil {
			ap = &Point{Area: area}
			if area == nil {
				ap.Org = o
			}
			areas[key] = ap
			order = append(order, ap)
		}
		ap.X += pt.X
		ap.Y += pt.Y
		ap.Orgs++
		ap.Partnerships += pt.Partnerships
		areaOf[o.Key] = ap
	}
	for _, p := range list {
		if p.OrgA != nil {
			add(p.OrgA, p.AreaA)
		}
		if p.OrgB != nil {
			add(p.OrgB, p.AreaB)
		}
	}
	for _, ap := range order {
		ap.X /= float64(ap.Orgs)
		ap.Y /= float64(ap.Orgs)
	}
	// One line per pair of areas, whatever the kinds, coloured by the
	// kind most of its partnerships have: by kind, 5,000 partnerships
	// would still draw thousands of lines.
	type pair struct{ a, b *Point }
	lines := map[pair]*Line{}
	byKind := map[pair]map[rencontres.PartnershipKind]int{}
	var out []*Line
	for _, ln := range m.Lines {
		a, b := areaOf[ln.P.A], areaOf[ln.P.B]
		key := pair{a, b}
		if byKind[key] == nil {
			byKind[key] = map[rencontres.PartnershipKind]int{}
		}
		byKind[key][ln.Kind]++
		if l := lines[key]; l != nil {
			l.Count++
			continue
		}
		l := &Line{X1: a.X, Y1: a.Y, X2: b.X, Y2: b.Y, Kind: ln.Kind, P: ln.P, Count: 1}
		lines[key] = l
		out = append(out, l)
	}
	for key, l := range lines {
		for _, k := range rencontres.PartnershipKinds {
			if byKind[key][k] > byKind[key][l.Kind] {
				l.Kind = k
			}
		}
	}
	m.Points, m.Lines = order, out
}

// BuildPoints draws authorities without lines: an edition's map of those
// that took part.
func BuildPoints(l *Layout, orgs []*rencontres.Organisation) *Map {
	m := &Map{Layout: l}
	for _, o := range orgs {
		switch where, x, y := l.Locate(o); where {
		case Placed:
			m.Points = append(m.Points, &Point{X: x, Y: y, Org: o, Orgs: 1})
		case Outside:
			m.Outside++
		default:
			m.Unplaced = append(m.Unplaced, o)
		}
	}
	return m
}
