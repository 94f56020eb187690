package letter_test

import (
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// nb writes the no-break spaces of an expected text as "~", which no
// letter here contains, so that the expected text stays readable.
func nb(s string) string { return strings.ReplaceAll(s, "~", "\u00a0") }

// invitation8 is the default template, which is seed 001, signed by a
// fictitious chair.
func invitation8(lang rencontres.Lang) letter.Template {
	t := letter.Default(lang)
	switch lang {
	case rencontres.Japanese:
		t.Signatories = []letter.Signatory{{Name: "山田 花子", Function: []string{"一般財団法人自治体国際化協会パリ事務所長"}}}
	default:
		t.Signatories = []letter.Signatory{{Name: "Claire DUVAL", Function: []string{
			"Adjointe au Maire déléguée aux", "Relations internationales de Villeneuve-sur-Loire,", "Présidente du Comité de pilotage français"}}}
	}
	return t
}

// The 8th edition's invitation (seed 001) in French, exactly: place and
// date, « Objet : », « Madame, Monsieur, », the ordinal, the meeting's day
// with its weekday and hours, the closing formula repeating the
// salutation, « PJ : », and a no-break space wherever French puts one.
func TestRenderFrenchSeed001(t *testing.T) {
	tpl, d := invitation8(rencontres.French), seed001()
	l, err := letter.Render(&tpl, &d)
	if err != nil {
		t.Fatal(err)
	}
	want := nb(`Ville de Villeneuve-sur-Loire

Paris, le 11~juillet 2023

Objet~: première réunion du comité de pilotage large français — invitation

Madame, Monsieur,

J’ai le plaisir de vous inviter à la réunion suivante~: première réunion du comité de pilotage large français.

Les 8es Rencontres franco-japonaises de la coopération décentralisée se tiendront du 18 au 21~novembre 2024, à Shizuoka. Ces Rencontres biennales ont été initiées à Nancy en octobre 2008, à l’occasion de la commémoration des 150 ans des relations diplomatiques franco-japonaises. Placées sous l’égide du ministère de l’Europe et des Affaires étrangères français et du ministère de l’Intérieur et des Communications japonais, elles sont co-organisées par Cités Unies France et CLAIR Paris.

La réunion aura lieu~:

le lundi 18~septembre 2023, de 16h30 à 18h00,
Cité des Sciences et de l’Industrie, Paris.

Elle permettra de présenter la ville hôte et de faire le point sur le programme prévisionnel des Rencontres. Ce sera également l’occasion de recueillir les suggestions des collectivités territoriales concernant notamment les ateliers et les thématiques proposés.

Toutes les collectivités souhaitant participer aux 8es Rencontres franco-japonaises de la coopération décentralisée sont conviées à cette réunion~: veuillez nous répondre avant le 4~septembre 2023 par le bulletin de participation en ligne~: https://rencontres.example.org/fr/r/7KQ2M9XW4P

Je compte sur votre participation et vous prie d’agréer, Madame, Monsieur, l’expression de ma haute considération.

Claire DUVAL
Adjointe au Maire déléguée aux
Relations internationales de Villeneuve-sur-Loire,
Présidente du Comité de pilotage français

PJ~:
–~Ordre du jour prévisionnel
–~8es Rencontres franco-japonaises de la coopération décentralisée~: proposition du programme et des thèmes
`)
	if got := letter.Text(l); got != want {
		t.Errorf("French letter:\n%s\nwant:\n%s\nfirst difference at byte %d", got, want, firstDiff(got, want))
	}
	if len(l.Missing) != 0 {
		t.Errorf("missing %v, want none", l.Missing)
	}
	// The ordinal is raised and plural: 8, then a superscript « es ».
	title := find(l, letter.KindParagraph, "Les 8").Lines[0]
	if got, want := runs(title), "Les 8^{es} Rencontres"; !strings.HasPrefix(got, nb(want)) {
		t.Errorf("edition's runs %q, want the prefix %q", got, nb(want))
	}
	// The meeting's lines are bold, as in the seed.
	for _, line := range find(l, letter.KindParagraph, "le lundi").Lines {
		for _, r := range line {
			if r.Style&letter.Bold == 0 {
				t.Errorf("meeting line run %q is not bold", r.Text)
			}
		}
	}
}

// The same letter in Japanese, in the era: 令和5年7月11日, the addressee
// with 御中 (an authority without a person), the sender, 拝啓 with the
// season's greeting, indented paragraphs, 敬具 before 記 … 以上.
func TestRenderJapaneseSeed001(t *testing.T) {
	tpl, d := invitation8(rencontres.Japanese), seed001()
	tpl.Era = true
	l, err := letter.Render(&tpl, &d)
	if err != nil {
		t.Fatal(err)
	}
	want := `令和5年7月11日

ヴィルヌーヴ＝シュル＝ロワール市 御中

一般財団法人自治体国際化協会パリ事務所長
山田 花子

フランス側第1回拡大運営委員会のご案内

拝啓　盛夏の候、貴職におかれましてはますますご清栄のこととお慶び申し上げます。平素より格別のご高配を賜り、厚く御礼申し上げます。

　さて、第8回日仏自治体交流会議は、令和6年11月18日〜21日に静岡市において開催されることとなりました。

　つきましては、下記のとおりフランス側第1回拡大運営委員会を開催いたしますので、ご案内申し上げます。本会議では、開催都市をご紹介し、プログラム案についてご説明するとともに、分科会のテーマ等について皆様のご意見を伺います。

　ご多忙のところ誠に恐縮ですが、ぜひご出席くださいますようお願い申し上げます。

敬具

記

・日時：令和5年9月18日（月）　16:30〜18:00（パリ時間）
・会場：シテ・デ・シアンス・エ・ド・ランデュストリー（パリ）
・回答期限：令和5年9月4日
・出欠のご回答：https://rencontres.example.org/fr/r/7KQ2M9XW4P

以上

添付資料
・会議次第（案）
・第8回日仏自治体交流会議プログラム及びテーマ案
`
	if got := letter.Text(l); got != want {
		t.Errorf("Japanese letter:\n%s\nwant:\n%s\nfirst difference at byte %d", got, want, firstDiff(got, want))
	}
	if got, want := find(l, letter.KindCentre).Lines[0].String(), "記"; got != want {
		t.Errorf("centred block %q, want %q", got, want)
	}
	if got, want := find(l, letter.KindRight, "以上").Lines[0].String(), "以上"; got != want {
		t.Errorf("flush-right block %q, want %q", got, want)
	}
}

// Dates in the Western calendar unless the era is asked for; 令和元年 for
// the era's first year; no 拝啓 without the frame.
func TestJapaneseDates(t *testing.T) {
	for _, tc := range []struct {
		date  rencontres.Date
		era   bool
		frame bool
		want  string
	}{
		{rencontres.Date{Year: 2023, Month: 7, Day: 11}, false, true, "2023年7月11日"},
		{rencontres.Date{Year: 2023, Month: 7, Day: 11}, true, true, "令和5年7月11日"},
		{rencontres.Date{Year: 2019, Month: 5, Day: 1}, true, false, "令和元年5月1日"},
		{rencontres.Date{Year: 2019, Month: 4, Day: 30}, true, false, "平成31年4月30日"},
	} {
		tpl, d := invitation8(rencontres.Japanese), seed001()
		tpl.Era, tpl.Frame, d.Date = tc.era, tc.frame, tc.date
		l, err := letter.Render(&tpl, &d)
		if err != nil {
			t.Fatal(err)
		}
		text := letter.Text(l)
		if got := find(l, letter.KindDate).Lines[0].String(); got != tc.want {
			t.Errorf("%v era=%v: date line %q, want %q", tc.date, tc.era, got, tc.want)
		}
		if got := strings.Contains(text, "拝啓") && strings.Contains(text, "敬具"); got != tc.frame {
			t.Errorf("frame=%v: 拝啓…敬具 present=%v", tc.frame, got)
		}
	}
}

// The addressee and the salutation follow the recipient: « Madame la
// Maire » for a mayor, « Madame » for a deputy mayor, « Madame,
// Monsieur » when the civility is unknown; a romanised Japanese name is
// Given FAMILY in French and 森 健二 様 in Japanese.
func TestRecipient(t *testing.T) {
	mori := letter.Recipient{Civility: "m", GivenName: "Kenji", FamilyName: "Mori", NameJa: "森 健二",
		Function: rencontres.Text{"fr": "Maire de Kumamoto", "ja": "市長"}, Authority: rencontres.Text{"fr": "Ville de Kumamoto", "ja": "熊本市"}}
	for _, tc := range []struct {
		lang       rencontres.Lang
		rc         letter.Recipient
		salutation string
		address    string
	}{
		{rencontres.French, letter.Recipient{}, "Madame, Monsieur,", ""},
		{rencontres.French, letter.Recipient{Civility: "mme", GivenName: "Hélène", FamilyName: "Marchand", Function: rencontres.Text{"fr": "Maire de Villeneuve-sur-Loire"}},
			"Madame la Maire,", "Madame Hélène MARCHAND\nMaire de Villeneuve-sur-Loire"},
		{rencontres.French, letter.Recipient{Civility: "mme", GivenName: "Hélène", FamilyName: "Marchand", Function: rencontres.Text{"fr": "Adjointe au maire"}},
			"Madame,", "Madame Hélène MARCHAND\nAdjointe au maire"},
		{rencontres.French, letter.Recipient{Civility: "m", FamilyName: "Roux", Function: rencontres.Text{"fr": "Président du conseil départemental"}},
			"Monsieur le Président,", "Monsieur ROUX\nPrésident du conseil départemental"},
		{rencontres.French, letter.Recipient{Civility: "mme", Function: rencontres.Text{"fr": "Présidente, Comité de jumelage"}},
			"Madame la Présidente,", "Madame\nPrésidente, Comité de jumelage"},
		{rencontres.French, mori, "Monsieur le Maire,", "Monsieur Kenji MORI\nMaire de Kumamoto\nVille de Kumamoto"},
		{rencontres.English, mori, "Dear Mr Mori,", "Mr Kenji MORI\nMaire de Kumamoto\nVille de Kumamoto"},
		{rencontres.Japanese, mori, "", "熊本市\n市長　森 健二 様"},
		{rencontres.Japanese, letter.Recipient{GivenName: "Hélène", FamilyName: "Marchand"}, "", "Hélène MARCHAND 様"},
	} {
		tpl, d := invitation8(tc.lang), seed001()
		d.Recipient = tc.rc
		l, err := letter.Render(&tpl, &d)
		if err != nil {
			t.Fatal(err)
		}
		if tc.salutation != "" {
			if got := find(l, letter.KindSalutation).Lines[0].String(); got != tc.salutation {
				t.Errorf("%s %+v: salutation %q, want %q", tc.lang, tc.rc, got, tc.salutation)
			}
		}
		var got string
		if b := find(l, letter.KindAddress); b != nil {
			got = lines(b)
		}
		if got != tc.address {
			t.Errorf("%s %+v: address %q, want %q", tc.lang, tc.rc, got, tc.address)
		}
	}
}

// A template's own salutation wins over the derived one, and the fields
// it names are filled.
func TestTemplateSalutation(t *testing.T) {
	tpl, d := invitation8(rencontres.French), seed001()
	tpl.Salutation = "Cher {{recipient.given_name}},"
	d.Recipient = letter.Recipient{Civility: "m", GivenName: "Kenji", FamilyName: "Mori"}
	l, err := letter.Render(&tpl, &d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := find(l, letter.KindSalutation).Lines[0].String(), "Cher Kenji,"; got != want {
		t.Errorf("salutation %q, want %q", got, want)
	}
}

// find returns the first block of a kind (whose text starts with prefix,
// if given), or nil.
func find(l *letter.Letter, k letter.Kind, prefix ...string) *letter.Block {
	for i, b := range l.Blocks {
		if b.Kind != k {
			continue
		}
		if len(prefix) > 0 && (len(b.Lines) == 0 || !strings.HasPrefix(b.Lines[0].String(), prefix[0])) {
			continue
		}
		return &l.Blocks[i]
	}
	return nil
}

func lines(b *letter.Block) string {
	var s []string
	for _, l := range b.Lines {
		s = append(s, l.String())
	}
	return strings.Join(s, "\n")
}

// runs shows a line's styles: [b]bold[/b], ^{superscript}.
func runs(l letter.Line) string {
	var b strings.Builder
	for _, r := range l {
		s := r.Text
		if r.Style&letter.Sup != 0 {
			s = "^{" + s + "}"
		}
		if r.Style&letter.Bold != 0 {
			s = "[b]" + s + "[/b]"
		}
		b.WriteString(s)
	}
	return b.String()
}

func firstDiff(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
