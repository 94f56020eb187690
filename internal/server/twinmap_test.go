package server

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/rencontres/rencontres/internal/twinmap"
)

// located counts the partnerships whose sides both have a position, and
// gives the position of every side that has one.
func located(t *testing.T, st *store.Store, keep func(p *rencontres.Partnership) bool) (int, map[string][2]float64) {
	t.Helper()
	all, err := st.AllPartnerships(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n, at := 0, map[string][2]float64{}
	for _, p := range all {
		if !keep(p) {
			continue
		}
		both := true
		for _, o := range []*rencontres.Organisation{p.OrgA, p.OrgB} {
			if o.Lat == nil {
				both = false
				continue
			}
			at[o.Key] = [2]float64{*o.Lng, *o.Lat}
		}
		if both {
			n++
		}
	}
	return n, at
}

// checkGeoJSON holds a document to RFC 7946 as the map writes it: a
// FeatureCollection of Features, each a Point of one position or a
// LineString of two, positions [longitude, latitude] within range and equal
// to the authority's, and properties of a closed set for each kind of
// feature. It returns the features by geometry type.
func checkGeoJSON(t *testing.T, body []byte, at map[string][2]float64) map[string][]map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc["type"] != "FeatureCollection" || len(doc) != 2 {
		t.Fatalf("members %v, want type and features only", doc)
	}
	features, ok := doc["features"].([]any)
	if !ok {
		t.Fatal("features is not an array")
	}
	position := func(v any) [2]float64 {
		pos, ok := v.([]any)
		if !ok || len(pos) != 2 {
			t.Fatalf("position %v: want [lng, lat]", v)
		}
		lng, ok1 := pos[0].(float64)
		lat, ok2 := pos[1].(float64)
		if !ok1 || !ok2 || lng < -180 || lng > 180 || lat < -90 || lat > 90 {
			t.Fatalf("position %v out of range", v)
		}
		return [2]float64{lng, lat}
	}
	allowed := map[string][]string{
		"Point":      {"feature", "key", "name", "country", "organisation_kind", "partnerships"},
		"LineString": {"feature", "id", "kind", "kind_name", "year", "year_ended", "state", "a", "b", "a_name", "b_name"},
	}
	names := func(v any) {
		m, ok := v.(map[string]any)
		if !ok || len(m) != 3 || m["fr"] == "" || m["ja"] == "" || m["en"] == "" || m["fr"] == nil || m["ja"] == nil || m["en"] == nil {
			t.Errorf("names %v: want fr, ja and en", v)
		}
	}
	out := map[string][]map[string]any{}
	for _, raw := range features {
		f := raw.(map[string]any)
		if f["type"] != "Feature" || f["id"] == nil {
			t.Fatalf("feature %v", f)
		}
		g := f["geometry"].(map[string]any)
		props := f["properties"].(map[string]any)
		typ, _ := g["type"].(string)
		for k := range props {
			if !slices.Contains(allowed[typ], k) {
				t.Errorf("%s has property %q, not one of %v", typ, k, allowed[typ])
			}
		}
		switch typ {
		case "Point":
			if pos := position(g["coordinates"]); pos != at[props["key"].(string)] {
				t.Errorf("%s at %v, want [lng, lat] %v", props["key"], pos, at[props["key"].(string)])
			}
			names(props["name"])
		case "LineString":
			line := g["coordinates"].([]any)
			if len(line) != 2 {
				t.Fatalf("line of %d positions", len(line))
			}
			if position(line[0]) != at[props["a"].(string)] || position(line[1]) != at[props["b"].(string)] {
				t.Errorf("partnership %v: line %v does not join its sides", props["id"], line)
			}
			names(props["a_name"])
			names(props["b_name"])
			names(props["kind_name"])
			if !rencontres.PartnershipKind(props["kind"].(string)).Valid() || !rencontres.PartnershipState(props["state"].(string)).Valid() {
				t.Errorf("partnership %v: kind %v state %v", props["id"], props["kind"], props["state"])
			}
		default:
			t.Fatalf("geometry %q", typ)
		}
		out[typ] = append(out[typ], props)
	}
	return out
}

// The GeoJSON of the map on both databases: every partnership whose sides
// have a position as a line between them, each authority as a point;
// filters as on the page; a filter naming nothing known answered 400 with
// every fault in the reader's language.
func TestPartnershipsGeoJSON(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		code, body, h := f.call(t, rencontres.Public, "GET", "/api/v1/partnerships.geojson", nil)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/geo+json") {
			t.Fatalf("GET: %d %s", code, h.Get("Content-Type"))
		}
		want, at := located(t, st, func(*rencontres.Partnership) bool { return true })
		got := checkGeoJSON(t, body, at)
		if len(got["LineString"]) != want || want < 10 {
			t.Errorf("%d lines, want %d (the demo's partnerships with both sides placed)", len(got["LineString"]), want)
		}
		if len(got["Point"]) != len(at) {
			t.Errorf("%d points, want %d", len(got["Point"]), len(at))
		}

		_, body, _ = f.call(t, rencontres.Public, "GET", "/api/v1/partnerships.geojson?kind=jumelage&from=1980&to=1990", nil)
		want, at = located(t, st, func(p *rencontres.Partnership) bool {
			return p.Kind == rencontres.Jumelage && p.Year >= 1980 && p.Year <= 1990
		})
		got = checkGeoJSON(t, body, at)
		if len(got["LineString"]) != want || want == 0 {
			t.Errorf("twinnings of the 1980s: %d lines, want %d", len(got["LineString"]), want)
		}
		for _, l := range got["LineString"] {
			if y := l["year"].(float64); l["kind"] != "jumelage" || y < 1980 || y > 1990 {
				t.Errorf("filtered out: %v", l)
			}
		}

		var e struct {
			Error struct {
				Code   string `json:"code"`
				Errors []struct{ Field, Message string }
			} `json:"error"`
		}
		code, body, _ = f.call(t, rencontres.Public, "GET", "/api/v1/partnerships.geojson?lang=fr&country=XX&kind=mariage&from=2020&to=2000&series=nope&area=jp-999999", nil)
		if err := json.Unmarshal(body, &e); code != 400 || err != nil {
			t.Fatalf("bad filters: %d %s", code, body)
		}
		fields := map[string]string{}
		for _, fe := range e.Error.Errors {
			fields[fe.Field] = fe.Message
		}
		for field, msg := range map[string]string{
			"country": "«\u00a0XX\u00a0» n’est pas un pays des partenariats.",
			"kind":    "«\u00a0mariage\u00a0» n’est pas un type d’accord.",
			"to":      "Les années sont à l’envers\u00a0: de 2020 à 2000.",
			"series":  "«\u00a0nope\u00a0» n’est pas une série.",
			"area":    "«\u00a0jp-999999\u00a0» n’est pas une région ou une préfecture des partenariats.",
		} {
			if !strings.HasPrefix(fields[field], msg) {
				t.Errorf("%s: %q, want %q", field, fields[field], msg)
			}
		}
		code, body, _ = f.call(t, rencontres.Public, "GET", "/api/v1/partnerships.geojson?from=1800", nil, "Accept-Language", "ja")
		if code != 400 || !strings.Contains(string(body), "「1800」は1900年から2100年までの年ではありません。") {
			t.Errorf("a year out of range in Japanese: %d %s", code, body)
		}
		if code, _, _ := f.call(t, rencontres.Public, "GET", "/api/v1/partnerships.geojson?contry=FR", nil); code != 400 {
			t.Errorf("unknown parameter: %d, want 400", code)
		}
	})
}

// mapSVG finds the map drawing of a page and its points: the link of each
// and where its circle is.
type mapPoint struct {
	href, label string
	x, y        float64
}

func mapSVG(t *testing.T, body []byte, class string) (points []mapPoint, lines []string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var svg *html.Node
	var walk func(n *html.Node, fn func(*html.Node))
	walk = func(n *html.Node, fn func(*html.Node)) {
		fn(n)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, fn)
		}
	}
	walk(doc, func(n *html.Node) {
		if c, _ := attr(n, "class"); n.Data == "svg" && c == "twinmap" && svg == nil {
			if id, _ := attr(n, "id"); id == class {
				svg = n
			}
		}
	})
	if svg == nil {
		t.Fatalf("no map %s on the page", class)
	}
	walk(svg, func(n *html.Node) {
		switch n.Data {
		case "a":
			href, _ := attr(n, "href")
			label, _ := attr(n, "aria-label")
			pt := mapPoint{href: href, label: label}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Data == "circle" {
					cx, _ := attr(c, "cx")
					cy, _ := attr(c, "cy")
					pt.x, _ = strconv.ParseFloat(cx, 64)
					pt.y, _ = strconv.ParseFloat(cy, 64)
				}
			}
			points = append(points, pt)
		case "line":
			c, _ := attr(n, "class")
			lines = append(lines, c)
		}
	})
	return points, lines
}

// The map page: a point for every authority of the partnerships that has
// a position, where the projection puts it, a link to its page named by
// the authority; a line for each partnership; filters that narrow both;
// bad filters told beside their fields, in the page's language, with the
// map still drawn; the authorities with no position listed for the
// secretariat only.
func TestMapPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		layout, err := twinmap.TheLayout()
		if err != nil {
			t.Fatal(err)
		}
		code, body, _ := f.call(t, rencontres.Public, "GET", "/fr/map", nil)
		if code != 200 {
			t.Fatalf("GET /fr/map: %d", code)
		}
		points, lines := mapSVG(t, body, "twinmap")
		all, _ := st.AllPartnerships(context.Background())
		want := map[string]*rencontres.Organisation{}
		drawn := 0
		for _, p := range all {
			ok := 0
			for _, o := range []*rencontres.Organisation{p.OrgA, p.OrgB} {
				if where, _, _ := layout.Locate(o); where == twinmap.Placed {
					want["/fr/organisations/"+o.Key] = o
					ok++
				}
			}
			if ok == 2 {
				drawn++
			}
		}
		if len(points) != len(want) || len(lines) != drawn || drawn < 10 {
			t.Errorf("%d points and %d lines, want %d and %d", len(points), len(lines), len(want), drawn)
		}
		for _, pt := range points {
			o := want[pt.href]
			if o == nil {
				t.Errorf("point %s is no authority of the partnerships", pt.href)
				continue
			}
			_, x, y := layout.Locate(o)
			if math.Abs(pt.x-x) > 0.06 || math.Abs(pt.y-y) > 0.06 {
				t.Errorf("%s drawn at %g,%g, want %g,%g", o.Key, pt.x, pt.y, x, y)
			}
			if !strings.HasPrefix(pt.label, o.Name.In(rencontres.French)+", ") {
				t.Errorf("%s is named %q", o.Key, pt.label)
			}
		}
		// France's points lie in the left panel, Japan's in the right one.
		for _, pt := range points {
			if left := pt.x < twinmap.PanelWidth; left != (want[pt.href].Country == rencontres.France) {
				t.Errorf("%s in the wrong panel (x = %g)", pt.href, pt.x)
			}
		}
		for _, s := range []string{"Partenariats\u00a0: 12\u00a0;", "1 collectivité n’a pas encore de position"} {
			if !strings.Contains(string(body), s) {
				t.Errorf("the map page lacks %q", s)
			}
		}
		if strings.Contains(string(body), "/manage/organisations/fr-36209/edit") {
			t.Error("the public sees the secretariat's list of authorities to place")
		}
		if _, b, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/map", nil); !strings.Contains(string(b), `href="/fr/manage/organisations/fr-36209/edit"`) {
			t.Error("the secretariat is not given Saint-Valentin to place")
		}

		// Filters narrow the points and the lines alike.
		_, body, _ = f.call(t, rencontres.Public, "GET", "/fr/map?kind=jumelage&series=rencontres-franco-japonaises", nil)
		_, lines = mapSVG(t, body, "twinmap")
		if len(lines) == 0 || len(lines) >= drawn {
			t.Errorf("twinnings of authorities that took part: %d lines of %d", len(lines), drawn)
		}
		for _, c := range lines {
			if c != "k-jumelage" {
				t.Errorf("line %q on a map of twinnings", c)
			}
		}

		// Bad filters: 400, each message beside its field, the map drawn.
		code, body, _ = f.call(t, rencontres.Public, "GET", "/fr/map?kind=mariage&from=2020&to=2000", nil)
		points, _ = mapSVG(t, body, "twinmap")
		if code != 400 || len(points) == 0 {
			t.Errorf("bad filters: %d, %d points", code, len(points))
		}
		for _, s := range []string{`id="map-kind-error">«` + "\u00a0mariage\u00a0» n’est pas un type d’accord.",
			`id="map-to-error">Les années sont à l’envers`, `aria-invalid="true" aria-describedby="map-to-error"`} {
			if !strings.Contains(string(body), s) {
				t.Errorf("the refused filter lacks %q", s)
			}
		}
		if _, body, _ := f.call(t, rencontres.Public, "GET", "/ja/map?from=abc", nil); !strings.Contains(string(body), "「abc」は1900年から2100年までの年ではありません。") {
			t.Error("the Japanese map does not explain a bad year")
		}
		if _, body, _ := f.call(t, rencontres.Public, "GET", "/en/map?country=ZZ", nil); !strings.Contains(string(body), "“ZZ” is not a country of the partnerships.") {
			t.Error("the English map does not explain an unknown country")
		}

		// An edition's page maps the authorities that took part.
		_, body, _ = f.call(t, rencontres.Public, "GET", "/fr/series/rencontres-franco-japonaises/7", nil)
		points, _ = mapSVG(t, body, "edition-map")
		if len(points) == 0 || !slices.ContainsFunc(points, func(p mapPoint) bool { return p.href == "/fr/organisations/fr-13001" }) {
			t.Errorf("the 7th edition's map: %v, want Aix-en-Provence", points)
		}
	})
}

// The map's light reading of the partnerships gives what the full one
// gives of every field the map uses.
func TestMapPartnershipsMatchAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		newFixture(t, st)
		ctx := context.Background()
		all, err := st.AllPartnerships(ctx)
		if err != nil {
			t.Fatal(err)
		}
		light, err := st.MapPartnerships(ctx)
		if err != nil || len(light) != len(all) || len(all) < 10 {
			t.Fatalf("%d light, %d full, %v", len(light), len(all), err)
		}
		key := func(o *rencontres.Organisation) string {
			if o == nil {
				return ""
			}
			s := o.Key + "|" + string(o.Kind) + "|" + string(o.Country) + "|" + o.Code + "|" + o.Name.In(rencontres.Japanese) + "|" + o.ParentKey
			if o.Lat != nil {
				s += strconv.FormatFloat(*o.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(*o.Lng, 'f', -1, 64)
			}
			return s
		}
		for i, a := range all {
			b := light[i]
			if a.ID != b.ID || a.Kind != b.Kind || a.Year != b.Year || a.YearEnded != b.YearEnded || a.State != b.State ||
				a.Label(rencontres.French) != b.Label(rencontres.French) || key(a.OrgA) != key(b.OrgA) || key(a.OrgB) != key(b.OrgB) ||
				key(a.AreaA) != key(b.AreaA) || key(a.AreaB) != key(b.AreaB) {
				t.Errorf("partnership %d: full %+v, light %+v", a.ID, a, b)
			}
		}
	})
}
