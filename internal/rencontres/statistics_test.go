package rencontres

import (
	"net/url"
	"slices"
	"testing"
)

func TestParseStatsQuery(t *testing.T) {
	for _, c := range []struct {
		query  string
		fields []string // the fields at fault, in order
		want   StatsQuery
	}{
		{query: "", want: StatsQuery{}},
		{query: "series=raict&number=15&measure=people,+countries,people&from=2017&to=2024",
			want: StatsQuery{Series: "raict", Number: 15, Measures: []Measure{MeasurePeople, MeasureCountries}, From: 2017, To: 2024}},
		{query: "measure=people,colour", fields: []string{"measure"}},
		{query: "from=2020&to=2010", fields: []string{"to"}},
		{query: "from=2020&to=2020", want: StatsQuery{From: 2020, To: 2020}},
		{query: "number=3", fields: []string{"number"}},
		{query: "series=raict&number=0", fields: []string{"number"}},
		// Every fault at once.
		{query: "measure=x&from=1800&to=abc", fields: []string{"measure", "from", "to"}},
	} {
		v, _ := url.ParseQuery(c.query)
		got, err := ParseStatsQuery(v.Get)
		var fields []string
		if err != nil {
			for _, e := range err.(*Error).All() {
				fields = append(fields, e.Field)
			}
		}
		if !slices.Equal(fields, c.fields) {
			t.Errorf("%q: faults on %v, want %v (%v)", c.query, fields, c.fields, err)
			continue
		}
		if err == nil && (got.Series != c.want.Series || got.Number != c.want.Number || got.From != c.want.From || got.To != c.want.To ||
			!slices.Equal(got.Measures, c.want.Measures)) {
			t.Errorf("%q: %+v, want %+v", c.query, got, c.want)
		}
	}
}

func TestMarkRecords(t *testing.T) {
	n := func(v int) *int { return &v }
	// The demo's Rencontres: 29, 44, 42, 45, 41, 52, unknown, 54.
	eds := []*EditionStats{{Authorities: n(29)}, {Authorities: n(44)}, {Authorities: n(42)}, {Authorities: n(45)},
		{Authorities: n(41)}, {Authorities: n(52)}, {}, {Authorities: n(54)}, {Authorities: n(54)}}
	MarkRecords(eds)
	var got []bool
	for _, e := range eds {
		got = append(got, e.RecordComputed)
	}
	// The first sets none; an equal number is no record.
	if want := []bool{false, true, false, true, false, true, false, true, false}; !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
}

// A Japanese municipality is counted as a city, a town or a village by the
// last character of its name; other kinds as they are.
func TestStatKind(t *testing.T) {
	for _, c := range []struct {
		o    Organisation
		want string
	}{
		{Organisation{Kind: Municipality, Name: Text{Japanese: "熊本市"}}, KindShi},
		{Organisation{Kind: Municipality, Name: Text{Japanese: "相良町"}}, KindMachi},
		{Organisation{Kind: Municipality, Name: Text{Japanese: "白川村"}}, KindMura},
		{Organisation{Kind: Municipality, Name: Text{French: "Sans nom japonais"}}, string(Municipality)},
		{Organisation{Kind: Prefecture, Name: Text{Japanese: "熊本県"}}, string(Prefecture)},
		{Organisation{Kind: Commune, Name: Text{French: "Tours"}}, string(Commune)},
	} {
		if got := StatKind(&c.o); got != c.want {
			t.Errorf("%v: %s, want %s", c.o.Name, got, c.want)
		}
	}
	if !(StatKindOrder(string(Prefecture)) < StatKindOrder(KindShi) && StatKindOrder(KindShi) < StatKindOrder(KindMachi) &&
		StatKindOrder(KindMura) < StatKindOrder(string(SpecialWard))) {
		t.Error("the municipalities' kinds are not ordered between the prefectures and the wards")
	}
}
