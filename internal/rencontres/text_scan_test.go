package rencontres

import (
	"encoding/json"
	"maps"
	"testing"
)

// TestScanFlatTextAgreesWithJSON checks that Text's fast scan reads what
// json.Unmarshal reads, and leaves to it what it does not read itself.
func TestScanFlatTextAgreesWithJSON(t *testing.T) {
	fast := 0
	for _, in := range []string{
		`{}`, ` { } `, `{"fr":"École","ja":"学校の省エネ改修"}`, `{"fr" : "a" , "en":""}`, "{\"fr\":\"a\"}\n",
		`{"fr":"a","fr":"b"}`, `{"fr":"« guillemets »"}`, `{"fr":"l\u2019énergie"}`, `{"fr":"a\"b"}`, `{"fr":"a\nb"}`,
		"{\"fr\":\"a\x01b\"}", "{\"fr\":\"\xff\"}", `{"fr":1}`, `{"fr":"a",}`, `{"fr":"a"} x`, `{"fr":"a"`, `{"fr"}`, `[]`, ``, `null`, `{"fr":null}`,
	} {
		var want map[Lang]string
		werr := json.Unmarshal([]byte(in), &want)
		var got Text
		gerr := got.Scan([]byte(in))
		if (werr == nil) != (gerr == nil) || (werr == nil && !maps.Equal(map[Lang]string(got), want)) {
			t.Errorf("%q: scanned %v (%v), json reads %v (%v)", in, got, gerr, want, werr)
		}
		if _, ok := parseFlatText(in); ok {
			fast++
		}
	}
	if fast < 7 {
		t.Errorf("the fast scan read %d inputs of the ordinary form", fast)
	}
}
