package rencontres

import "testing"

// Every ISO 3166-1 alpha-2 country and nothing else: 249 codes, France
// and Japan first; a kind of French or Japanese authority belongs to its
// country, a city or province to any other.
func TestCountries(t *testing.T) {
	all := Countries()
	if got, want := len(all), 249; got != want {
		t.Errorf("%d countries, want ISO 3166-1's %d", got, want)
	}
	if all[0] != France || all[1] != Japan {
		t.Errorf("first countries %v, want FR, JP", all[:2])
	}
	for c, want := range map[Country]bool{"DE": true, "GB": true, "SS": true, "UK": false, "FX": false, "ZZ": false, "EU": false,
		"XK": false, "de": false, "DEU": false, "276": false, "": false} {
		if got := c.Valid(); got != want {
			t.Errorf("%q valid = %v, want %v", c, got, want)
		}
	}
	for _, c := range []struct {
		kind    OrgKind
		country Country
		want    bool
	}{{Commune, France, true}, {Commune, "DE", false}, {Municipality, Japan, true}, {Municipality, France, false},
		{City, "DE", true}, {City, France, false}, {Province, "IT", true}, {Association, "DE", true}, {Agency, Japan, true}} {
		if got := c.kind.FitsCountry(c.country); got != c.want {
			t.Errorf("%s in %s: %v, want %v", c.kind, c.country, got, c.want)
		}
	}
	o := &Organisation{Kind: Municipality, Country: "DE", Name: Text{"fr": "Fribourg-en-Brisgau"}}
	if p := o.Problems(); len(p) != 1 || p[0].Field != "kind" || p[0].Key != "org_form.kind_country" {
		t.Errorf("a German municipality: %v", p)
	}
	o.Kind = City
	if p := o.Problems(); len(p) != 0 {
		t.Errorf("a German city: %v", p)
	}
}
