package rencontres

import (
	"slices"
	"testing"
)

// A merge fills the kept record's empty fields and nothing else: names,
// population, coordinates, website and address come from the other record
// only where the kept one has none; languages join, CUF membership is
// or-ed, notes are appended; a reference record records what was filled
// as the secretariat's edit.
func TestFillFrom(t *testing.T) {
	lat, lng := 48.69, 6.18
	keep := &Organisation{Key: "fr-54395", Source: FromReference, Kind: Commune, Country: France, Code: "54395",
		Name: Text{"fr": "Nancy"}, Population: 104000, Languages: []string{"fr"}, Notes: "Appeler le matin."}
	from := &Organisation{Key: "inst-nancy", Source: Local, Kind: Commune, Country: France, Code: "99999",
		Name: Text{"fr": "Ville de Nancy", "ja": "ナンシー市"}, Population: 1, Lat: &lat, Lng: &lng,
		Website: "https://www.nancy.fr", Address: "1 place Stanislas", Languages: []string{"ja", "fr"},
		CUFJapanGroup: true, Notes: "Maire : à confirmer.", ParentKey: "fr-54395"}
	filled := keep.FillFrom(from)
	if want := []string{"name.ja", "coordinates", "website", "address", "languages", "cuf_japan_group", "notes"}; !slices.Equal(filled, want) {
		t.Errorf("filled %v, want %v", filled, want)
	}
	if keep.Name["fr"] != "Nancy" || keep.Population != 104000 || keep.Code != "54395" || keep.ParentKey != "" {
		t.Errorf("a field the kept record had was overwritten: %+v", keep)
	}
	if keep.Name["ja"] != "ナンシー市" || keep.Lat == nil || *keep.Lat != lat || keep.Website != "https://www.nancy.fr" ||
		keep.Address != "1 place Stanislas" || !slices.Equal(keep.Languages, []string{"fr", "ja"}) || !keep.CUFJapanGroup {
		t.Errorf("empty fields not filled: %+v", keep)
	}
	if want := "Appeler le matin.\n\n— inst-nancy\nMaire : à confirmer."; keep.Notes != want {
		t.Errorf("notes = %q, want %q", keep.Notes, want)
	}
	if v, ok := keep.Reference["website"]; !ok || v != "" || len(keep.Reference) != 3 {
		t.Errorf("reference values = %v, want name.ja, coordinates and website empty in the reference data", keep.Reference)
	}
	// Merging the same again fills nothing: the notes are not repeated.
	if again := keep.FillFrom(from); len(again) != 0 {
		t.Errorf("a second fill gave %v", again)
	}
	// A record of the secretariat's takes the official code it lacks.
	local := &Organisation{Key: "inst-x", Source: Local, Name: Text{"fr": "X"}}
	if got := local.FillFrom(from); !slices.Contains(got, "code") || local.Code != "99999" || local.Reference != nil {
		t.Errorf("local fill = %v, code %q, reference %v", got, local.Code, local.Reference)
	}
}
