package letter_test

import (
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// fieldData is seed 001 sent to a person known in both scripts, for a
// meeting held within the 15th RAICT, signed by two.
func fieldData() letter.Data {
	d := seed001()
	d.Recipient = letter.Recipient{Civility: "m", GivenName: "Kenji", FamilyName: "Mori", NameJa: "森 健二",
		Function:  rencontres.Text{"fr": "Maire de Kumamoto", "ja": "熊本市長", "en": "Mayor of Kumamoto"},
		Authority: rencontres.Text{"fr": "Ville de Kumamoto", "ja": "熊本市", "en": "Kumamoto City"}}
	d.Within = letter.Event{Number: 15, Title: rencontres.Text{"fr": "Rencontres de l'action internationale des collectivités territoriales",
		"ja": "自治体国際活動会議", "en": "Meetings on the International Action of Local Authorities"}}
	d.Meeting.Number = 0
	return d
}

// Every field of the palette, alone in a letter's body, in each language.
func TestEveryField(t *testing.T) {
	want := map[string][3]string{ // fr, ja, en
		"recipient.civility":    {"Monsieur", "", "Mr"},
		"recipient.name":        {"Kenji MORI", "森 健二 様", "Kenji MORI"},
		"recipient.given_name":  {"Kenji", "健二", "Kenji"},
		"recipient.family_name": {"MORI", "森", "MORI"},
		"recipient.function":    {"Maire de Kumamoto", "熊本市長", "Mayor of Kumamoto"},
		"recipient.authority":   {"Ville de Kumamoto", "熊本市", "Kumamoto City"},
		"recipient.salutation":  {"Monsieur le Maire", "森様", "Mr Mori"},
		"event.title": {"8es Rencontres franco-japonaises de la coopération décentralisée", "第8回日仏自治体交流会議",
			"8th Franco-Japanese Meetings on Decentralised Cooperation"},
		"event.ordinal":   {"8es", "第8回", "8th"},
		"event.dates":     {"du 18 au 21~novembre 2024", "2024年11月18日〜21日", "18–21 November 2024"},
		"event.day":       {"le lundi 18~novembre 2024", "2024年11月18日（月）", "Monday 18 November 2024"},
		"event.times":     {"[event.times]", "[event.times]", "[event.times]"},
		"event.venue":     {"[event.venue]", "[event.venue]", "[event.venue]"},
		"event.city":      {"Shizuoka", "静岡市", "Shizuoka"},
		"meeting.title":   {"première réunion du comité de pilotage large français", "フランス側第1回拡大運営委員会", "first meeting of the enlarged French steering committee"},
		"meeting.ordinal": {"[meeting.ordinal]", "[meeting.ordinal]", "[meeting.ordinal]"},
		"meeting.dates":   {"le 18~septembre 2023", "2023年9月18日", "18 September 2023"},
		"meeting.day":     {"le lundi 18~septembre 2023", "2023年9月18日（月）", "Monday 18 September 2023"},
		"meeting.times":   {"de 16h30 à 18h00", "16:30〜18:00（パリ時間）", "16:30–18:00"},
		"meeting.venue":   {"Cité des Sciences et de l’Industrie", "シテ・デ・シアンス・エ・ド・ランデュストリー", "Cité des Sciences et de l'Industrie"},
		"meeting.city":    {"Paris", "パリ", "Paris"},
		"meeting.within": {"Cette réunion se tiendra dans le cadre des 15es Rencontres de l’action internationale des collectivités territoriales.",
			"なお、本会議は第15回自治体国際活動会議の一環として開催いたします。",
			"The meeting is held as part of the 15th Meetings on the International Action of Local Authorities."},
		"deadline":     {"4~septembre 2023", "2023年9月4日", "4 September 2023"},
		"link":         {"https://rencontres.example.org/fr/r/7KQ2M9XW4P", "https://rencontres.example.org/fr/r/7KQ2M9XW4P", "https://rencontres.example.org/fr/r/7KQ2M9XW4P"},
		"call.link":    {"[call.link]", "[call.link]", "[call.link]"},
		"signatories":  {"Claire DUVAL et Hiroshi TANAKA", "山田 花子、田中 浩", "Claire DUVAL and Hiroshi TANAKA"},
		"sender.place": {"Paris", "[sender.place]", "Paris"},
		"sender.date":  {"11~juillet 2023", "2023年7月11日", "11 July 2023"},
	}
	if len(want) != len(letter.Fields) {
		t.Errorf("%d fields tested, %d in the palette", len(want), len(letter.Fields))
	}
	for i, lang := range []rencontres.Lang{rencontres.French, rencontres.Japanese, rencontres.English} {
		for _, f := range letter.Fields {
			tpl, d := invitation8(lang), fieldData()
			tpl.Signatories = append(tpl.Signatories, map[rencontres.Lang]letter.Signatory{
				rencontres.French:   {Name: "Hiroshi TANAKA"},
				rencontres.Japanese: {Name: "田中 浩"},
				rencontres.English:  {Name: "Hiroshi TANAKA"},
			}[lang])
			tpl.Body = "«{{" + f.Name + "}}»"
			l, err := letter.Render(&tpl, &d)
			if err != nil {
				t.Fatalf("%s %s: %v", lang, f.Name, err)
			}
			got := ""
			for _, b := range l.Blocks {
				if s := b.Lines; (b.Kind == letter.KindParagraph) && len(s) > 0 && strings.Contains(s[0].String(), "«") {
					got = strings.Trim(strings.TrimPrefix(s[0].String(), "　"), "«»\u00a0\u202f")
				}
			}
			w, ok := want[f.Name]
			if !ok {
				t.Errorf("%s: no expected value; got %q", f.Name, got)
				continue
			}
			if got != nb(w[i]) {
				t.Errorf("%s {{%s}} = %q, want %q", lang, f.Name, got, nb(w[i]))
			}
		}
	}
}
