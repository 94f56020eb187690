package rencontres

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestFoldSearch(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Kumamoto", "kumamoto"},
		{"KUMAMOTO", "kumamoto"},
		{"Ｋｕｍａｍｏｔｏ", "kumamoto"}, // full-width letters
		{"クマモト", "くまもと"},
		{"ｸﾏﾓﾄ", "くまもと"}, // half-width katakana
		{"ガ", "が"},       // dakuten survive the fold
		{"パリ", "ぱり"},
		{"Ōsaka", "osaka"},
		{"Compiègne", "compiegne"},
		{"Aix-en-Provence", "aix en provence"},
		{"Saint‐Valentin", "saint valentin"},
		{"L'Haÿ-les-Roses", "l hay les roses"},
		{"  熊本市  ", "熊本市"},
	} {
		if got := FoldSearch(tc.in); got != tc.want {
			t.Errorf("FoldSearch(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTextFallbackAndJSON(t *testing.T) {
	txt := Text{French: "Atelier économie", Japanese: "経済分科会"}
	if got := txt.In(English); got != "Atelier économie" {
		t.Errorf("English falls back to %q, want the French", got)
	}
	if got := (Text{Japanese: "静岡宣言"}).In(French); got != "静岡宣言" {
		t.Errorf("a Japanese-only text in French = %q", got)
	}
	v, err := txt.Value()
	if err != nil {
		t.Fatal(err)
	}
	var back Text
	if err := back.Scan(v); err != nil {
		t.Fatal(err)
	}
	if back[Japanese] != "経済分科会" || len(back) != 2 {
		t.Errorf("round trip = %v", back)
	}
	if err := back.Scan([]byte("{not json")); err == nil {
		t.Error("scanning malformed JSON succeeded")
	}
	if err := (Text{"de": "Werkstatt"}).Validate("title", false); ErrorCode(err) != EINVALID {
		t.Errorf("a German entry validates: %v", err)
	}
}

func TestDateJSON(t *testing.T) {
	var d struct {
		A, B Date
	}
	if err := json.Unmarshal([]byte(`{"A":"2022-10-03","B":null}`), &d); err != nil {
		t.Fatal(err)
	}
	if d.A.String() != "2022-10-03" || !d.B.IsZero() || d.A.Weekday().String() != "Monday" {
		t.Errorf("decoded %+v", d)
	}
	if err := json.Unmarshal([]byte(`{"A":"3 octobre 2022"}`), &d); err == nil {
		t.Error("a French date parsed as YYYY-MM-DD")
	}
	b, _ := json.Marshal(d.B)
	if string(b) != "null" {
		t.Errorf("zero date marshals to %s, want null", b)
	}
}

func seventh() *Edition {
	d := func(s string) Date { v, _ := ParseDate(s); return v }
	return &Edition{Number: 7, Year: 2022, Start: d("2022-10-03"), End: d("2022-10-06"), TimeZone: "Europe/Paris", Status: Held,
		DateChanges: []DateChange{
			{FromStart: d("2020-11-17"), FromEnd: d("2020-11-19"), ToStart: d("2021-10-18"), ToEnd: d("2021-10-21")},
			{FromStart: d("2021-10-18"), FromEnd: d("2021-10-21"), ToStart: d("2022-10-03"), ToEnd: d("2022-10-06")},
		}}
}

func TestEditionValidate(t *testing.T) {
	if err := seventh().Validate(); err != nil {
		t.Fatalf("the 7th edition is refused: %v", err)
	}
	d := func(s string) Date { v, _ := ParseDate(s); return v }
	for _, tc := range []struct {
		name  string
		edit  func(e *Edition)
		field string
	}{
		{"end before start", func(e *Edition) { e.End = d("2022-10-01") }, "end"},
		{"unknown zone", func(e *Edition) { e.TimeZone = "Europe/Lutece" }, "time_zone"},
		{"empty zone", func(e *Edition) { e.TimeZone = "" }, "time_zone"},
		{"held without dates", func(e *Edition) { e.Start, e.End, e.DateChanges = Date{}, Date{}, nil }, "start"},
		{"start outside the year", func(e *Edition) { e.Year = 2021 }, "start"},
		{"only one date", func(e *Edition) { e.End = Date{} }, "end"},
		{"unknown status", func(e *Edition) { e.Status = "maybe" }, "status"},
		{"number zero", func(e *Edition) { e.Number = 0 }, "number"},
		{"changes that do not chain", func(e *Edition) { e.DateChanges[1].FromStart = d("2021-10-19") }, "date_changes[1]"},
		{"changes that do not end on the dates", func(e *Edition) { e.DateChanges = e.DateChanges[:1] }, "date_changes"},
	} {
		e := seventh()
		tc.edit(e)
		err := e.Validate()
		var de *Error
		if !errors.As(err, &de) || de.Code != EINVALID || de.Field != tc.field {
			t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.field)
		}
	}
	planned := &Edition{Number: 9, Year: 2026, TimeZone: "Europe/Paris", Status: Planned}
	if err := planned.Validate(); err != nil {
		t.Errorf("a planned edition without dates is refused: %v", err)
	}
}

func TestOrganisationAndPartnershipValidate(t *testing.T) {
	lat := 95.0
	for _, tc := range []struct {
		o     Organisation
		field string
	}{
		{Organisation{Kind: Commune, Country: France, Name: Text{French: "Nancy"}}, "key"},
		{Organisation{Key: "fr-1", Kind: "village", Country: France, Name: Text{French: "X"}}, "kind"},
		{Organisation{Key: "fr-1", Kind: Commune, Country: "FRA", Name: Text{French: "X"}}, "country"},
		{Organisation{Key: "fr-1", Kind: Commune, Country: France, Name: Text{French: "X"}, Population: -1}, "population"},
		{Organisation{Key: "fr-1", Kind: Commune, Country: France, Name: Text{French: "X"}, Lat: &lat, Lng: &lat}, "lat"},
		{Organisation{Key: "fr-1", Kind: Commune, Country: France}, "name"},
	} {
		var de *Error
		if err := tc.o.Validate(); !errors.As(err, &de) || de.Field != tc.field {
			t.Errorf("%+v: %v, want an error on %s", tc.o, err, tc.field)
		}
	}
	for _, p := range []Partnership{
		{A: "jp-431001", B: "jp-431001", Kind: Jumelage},
		{A: "jp-431001", B: "fr-13001", Kind: "mariage"},
		{A: "jp-431001", B: "fr-13001", Kind: Jumelage, Year: 1850},
		{A: "jp-431001", Kind: Jumelage},
	} {
		if err := p.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v validates", p)
		}
	}
}
