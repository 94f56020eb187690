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

// A position is checked against its authority's country: a latitude and a
// longitude swapped, or a sign forgotten, is refused; overseas France and
// Okinawa are in.
func TestCoordinatesInCountry(t *testing.T) {
	pos := func(c Country, lat, lng float64) *Organisation {
		return &Organisation{Key: "x", Kind: Commune, Country: c, Name: Text{"fr": "X", "ja": "X"}, Lat: &lat, Lng: &lng}
	}
	for _, c := range []struct {
		o    *Organisation
		want bool
	}{
		{pos(France, 43.53, 5.45), true},       // Aix-en-Provence
		{pos(France, 5.45, 43.53), false},      // swapped: the Indian Ocean
		{pos(France, -20.88, 55.45), true},     // Saint-Denis, La Réunion
		{pos(France, 16.24, -61.53), true},     // Pointe-à-Pitre
		{pos(France, 43.53, -5.45), false},     // sign forgotten: the Atlantic
		{pos(Japan, 32.80, 130.71), true},      // Kumamoto
		{pos(Japan, 26.21, 127.68), true},      // Naha
		{pos(Japan, 130.71, 32.80), false},     // swapped: out of range too
		{pos(Japan, 43.53, 5.45), false},       // Aix given to a Japanese city
		{pos(Country("DE"), 52.5, 13.4), true}, // no box: any position in range
	} {
		c.o.Kind = Commune
		if c.o.Country == Japan {
			c.o.Kind = Municipality
		}
		got := true
		for _, e := range c.o.Problems() {
			if e.Field == "coordinates" {
				got = false
			}
		}
		if got != c.want {
			t.Errorf("%s at %v, %v: accepted %v, want %v", c.o.Country, *c.o.Lat, *c.o.Lng, got, c.want)
		}
	}
}
