package letter

import (
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// show writes a line with its styles visible: ~ for a no-break space,
// ^{…} for a superscript, <…|href> for a link.
func show(l Line) string {
	var b strings.Builder
	for _, r := range l {
		s := strings.ReplaceAll(r.Text, "\u00a0", "~")
		if r.Style&Sup != 0 {
			s = "^{" + s + "}"
		}
		if r.Href != "" {
			s = "<" + s + "|" + r.Href + ">"
		}
		b.WriteString(s)
	}
	return b.String()
}

func TestFrenchTypography(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Objet: Invitation", "Objet~: Invitation"},
		{"la Ville de Aix-en-Provence", "la Ville d’Aix-en-Provence"},
		{"De Orléans à Tours", "D’Orléans à Tours"},
		{"la Ville de Yokohama, de Hambourg, de Tours", "la Ville de Yokohama, de Hambourg, de Tours"},
		{"monde entier", "monde entier"},
		{"Objet : Invitation", "Objet~: Invitation"},
		{"Objet  :  Invitation", "Objet~: Invitation"},
		{"Viendrez-vous ?", "Viendrez-vous~?"},
		{"Viendrez-vous?", "Viendrez-vous~?"},
		{"Quoi?!", "Quoi~?!"},
		{"un ; deux", "un~; deux"},
		{"Bravo !", "Bravo~!"},
		{"de 16h30 à 18h00", "de 16h30 à 18h00"},
		{"à 16:30 précises", "à 16:30 précises"},
		{"« Point Japon »", "«~Point Japon~»"},
		{"«Point Japon»", "«~Point Japon~»"},
		{`un "Point Japon" rapide`, "un «~Point Japon~» rapide"},
		{"le thème : « L'innovation » !", "le thème~: «~L’innovation~»~!"},
		{"l'Industrie, aujourd'hui", "l’Industrie, aujourd’hui"},
		{"8e Rencontres", "8^{e} Rencontres"},
		{"les 8^e Rencontres", "les 8^{e} Rencontres"},
		{"la 1re réunion, le 1er jour, la 1ère fois", "la 1^{re} réunion, le 1^{er} jour, la 1^{re} fois"},
		{"la 3ème édition, les 2nds tours", "la 3^{e} édition, les 2^{nds} tours"},
		{"A8e et 8e9 et 12 ans", "A8e et 8e9 et 12 ans"},
		{"le 18 septembre 2023", "le 18~septembre 2023"},
		{"1 500 personnes, 20 % de plus, 3 km", "1~500 personnes, 20~% de plus, 3~km"},
		{"Ordre du jour - 3e Comité", "Ordre du jour – 3^{e} Comité"},
		{"Et ainsi de suite...", "Et ainsi de suite…"},
		{"voir https://example.org/JAPON-7e-Rencontres?x=1 : merci",
			"voir <https://example.org/JAPON-7e-Rencontres?x=1|https://example.org/JAPON-7e-Rencontres?x=1>~: merci"},
		{"écrire à secretariat@example.org.", "écrire à <secretariat@example.org|mailto:secretariat@example.org>."},
	} {
		if got := show(typeset(Line{{Text: tc.in}}, rencontres.French)); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// Typography looks across runs: a field's value next to the template's
// text, a bold run next to a plain one; each character keeps its style.
func TestFrenchTypographyAcrossRuns(t *testing.T) {
	got := typeset(Line{{Text: "Objet", Style: Bold}, {Text: ": les "}, {Text: "8"}, {Text: "e", Style: Sup}, {Text: " Rencontres !"}}, rencontres.French)
	want := Line{{Text: "Objet", Style: Bold}, {Text: "\u00a0: les 8"}, {Text: "e", Style: Sup}, {Text: " Rencontres\u00a0!"}}
	if show(got) != show(want) || len(got) != len(want) || got[0].Style != Bold {
		t.Errorf("got %q (%d runs), want %q", show(got), len(got), show(want))
	}
}

// Japanese and English text keeps its punctuation; links are found in
// every language.
func TestOtherLanguagesTypography(t *testing.T) {
	for _, tc := range []struct {
		lang     rencontres.Lang
		in, want string
	}{
		{rencontres.Japanese, "日時：2023年9月18日（月）", "日時：2023年9月18日（月）"},
		{rencontres.Japanese, "回答：https://example.org/r/1", "回答：<https://example.org/r/1|https://example.org/r/1>"},
		{rencontres.English, "Subject: the 8e edition?", "Subject: the 8e edition?"},
	} {
		if got := show(typeset(Line{{Text: tc.in}}, tc.lang)); got != tc.want {
			t.Errorf("%s %q: got %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}
