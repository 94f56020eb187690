package geo

import (
	"math"
	"strconv"
	"strings"
)

// Panel is a country drawn into a box of the map: its projection fitted
// to its outline, scaled into Width × Height at (X, Y).
type Panel struct {
	Country
	X, Y, Width, Height float64
	// Path is the outline as SVG path data, in map units.
	Path string
	// n, f, rho0: the cone's constants; scale, offX, offY fit the
	// projected outline into the box.
	n, f, rho0        float64
	scale, offX, offY float64
}

// NewPanel fits a country's outline into a box Width wide at (x, y); its
// height follows from the country's shape.
func NewPanel(c Country, rings []Ring, x, y, width, margin float64) *Panel {
	rad := math.Pi / 180
	p := &Panel{Country: c, X: x, Y: y, Width: width}
	φ1, φ2, φ0 := c.Lat1*rad, c.Lat2*rad, c.Lat0*rad
	t := func(φ float64) float64 { return math.Tan(math.Pi/4 + φ/2) }
	p.n = math.Log(math.Cos(φ1)/math.Cos(φ2)) / math.Log(t(φ2)/t(φ1))
	p.f = math.Cos(φ1) * math.Pow(t(φ1), p.n) / p.n
	p.rho0 = p.f / math.Pow(t(φ0), p.n)
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range rings {
		for _, q := range r {
			px, py := p.raw(q[1], q[0])
			minX, maxX = min(minX, px), max(maxX, px)
			minY, maxY = min(minY, py), max(maxY, py)
		}
	}
	p.scale = (width - 2*margin) / (maxX - minX)
	p.Height = (maxY-minY)*p.scale + 2*margin
	p.offX, p.offY = x+margin-minX*p.scale, y+margin+maxY*p.scale
	var b strings.Builder
	for _, r := range rings {
		for i, q := range r[:len(r)-1] {
			px, py := p.Project(q[1], q[0])
			if i == 0 {
				b.WriteByte('M')
			} else {
				b.WriteByte('L')
			}
			b.WriteString(num(px))
			b.WriteByte(' ')
			b.WriteString(num(py))
		}
		b.WriteByte('Z')
	}
	p.Path = b.String()
	return p
}

// raw is the conic projection, y growing north, in radii of the Earth.
func (p *Panel) raw(lat, lng float64) (float64, float64) {
	rad := math.Pi / 180
	rho := p.f / math.Pow(math.Tan(math.Pi/4+lat*rad/2), p.n)
	θ := p.n * (lng - p.Lng0) * rad
	return rho * math.Sin(θ), p.rho0 - rho*math.Cos(θ)
}

// Project places a position in map units, y growing down as in SVG.
func (p *Panel) Project(lat, lng float64) (x, y float64) {
	rx, ry := p.raw(lat, lng)
	return p.offX + rx*p.scale, p.offY - ry*p.scale
}

// num writes a map coordinate to a tenth of a unit, enough at the sizes
// the map is drawn.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// Num is num for the drawing of points and lines.
func Num(v float64) string { return num(v) }
