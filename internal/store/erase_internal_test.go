package store

import "testing"

// A lone given or family name is blanked out only on the lines that name
// the person, whether lines end with a newline or its JSON escape; the
// address is replaced in any case.
func TestBlank(t *testing.T) {
	id := &identity{userID: 7, email: "c.dumont@example.org"}
	id.addName("Claire DUMONT")
	id.addPart("Claire")
	id.addPart("DUMONT")
	for _, c := range []struct{ in, want string }{
		{"Claire DUMONT — fr-13001\nClaire MARTIN — fr-13001", "— — fr-13001\nClaire MARTIN — fr-13001"},
		{`{"Text":"Bonjour Claire DUMONT,\nMadame DUMONT\nClaire MARTIN"}`, `{"Text":"Bonjour —,\nMadame DUMONT\nClaire MARTIN"}`},
		{`{"To":"C.Dumont@Example.org","Text":"Claire, DUMONT"}`, `{"To":"erased-7@erased.invalid","Text":"—, —"}`},
		{"Claire MARTIN", "Claire MARTIN"},
	} {
		if got := id.blank(c.in); got != c.want {
			t.Errorf("blank(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
