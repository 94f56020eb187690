package letter

import (
	"strconv"
	"strings"
	"sync"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// catalogue gives the date and ordinal formats of internal/i18n, loaded
// once: letters use the same « du 18 au 21 novembre 2024 » as the site.
var catalogue = sync.OnceValue(i18n.MustLoad)

// date is a day as the letter's language writes it, in the era when the
// Japanese template asks for it.
func (r *renderer) date(d rencontres.Date) string {
	return r.era(r.p.Date(d), d)
}

// day is a day with its weekday: « le lundi 18 septembre 2023 »,
// 2023年9月18日（月）.
func (r *renderer) day(d rencontres.Date) string {
	s := r.p.LongDate(d)
	if r.lang == rencontres.French && s != "" {
		s = "le " + s
	}
	return r.era(s, d)
}

func (r *renderer) dateRange(start, end rencontres.Date) string {
	return r.era(r.p.DateRange(start, end), start, end)
}

// times are an event's hours on the clock of its zone: « de 16h30 à
// 18h00 », 16:30〜18:00（パリ時間）: a Japanese reader, nine hours ahead,
// is told whose clock it is.
func (r *renderer) times(e *Event) string {
	if e.From.IsZero() || e.To.IsZero() {
		return ""
	}
	from, to := e.From, e.To
	if loc := e.location(); loc != nil {
		from, to = from.In(loc), to.In(loc)
	}
	s := r.p.TimeRange(from, to)
	if r.lang == rencontres.Japanese {
		if z := ZoneName(r.p, e.Zone); z != "" {
			s += "（" + z + "）"
		}
	}
	return s
}

// ZoneName names a time zone as the catalogue does (パリ時間, « heure de
// Paris »), or nothing for a zone it does not name.
func ZoneName(p *i18n.Printer, zone string) string {
	switch zone {
	case "Europe/Paris":
		return p.T("zone.paris")
	case "Asia/Tokyo":
		return p.T("zone.tokyo")
	}
	return ""
}

// ordinal is an edition's number: 8 and a raised « e », 第8回, 8th. In
// French it agrees with the edition's title: « 8es Rencontres »,
// « 1res Rencontres », « 1re Biennale ».
func (r *renderer) ordinal(e *Event) Line {
	n := e.Number
	if n <= 0 {
		return nil
	}
	if r.lang != rencontres.French {
		return text(r.p.OrdinalText(n))
	}
	digits := strconv.Itoa(n)
	suffix := "e"
	switch plural := pluralTitle(e.Title.In(rencontres.French)); {
	case n == 1 && plural:
		suffix = "res"
	case n == 1:
		suffix = "re"
	case plural:
		suffix = "es"
	}
	return Line{{Text: digits}, {Text: suffix, Style: Sup}}
}

// pluralTitle reports whether a French title is a plural noun, which its
// ordinal agrees with: « Rencontres franco-japonaises… », « Assises… ».
func pluralTitle(t string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(t), " ")
	return strings.HasSuffix(first, "s") || strings.HasSuffix(first, "x")
}

// title names an event: an edition with its ordinal (« 8es Rencontres
// franco-japonaises… », 第8回日仏自治体交流会議), a meeting by its title.
func (r *renderer) title(e *Event) Line {
	t := e.Title.In(r.lang)
	if e.Number <= 0 || t == "" {
		return text(t)
	}
	l := r.ordinal(e)
	if r.lang != rencontres.Japanese {
		t = " " + t
	}
	return append(l, Run{Text: t})
}

// within is the sentence that says which event a meeting is held within,
// or nothing: « Cette réunion se tiendra dans le cadre des 11es Rencontres
// de l'action internationale… », なお、本会議は…の一環として開催いたします。
func (r *renderer) within() Line {
	w := &r.d.Within
	title := r.title(w)
	if len(title) == 0 {
		return nil
	}
	switch r.lang {
	case rencontres.Japanese:
		return append(append(Line{{Text: "なお、本会議は"}}, title...), Run{Text: "の一環として開催いたします。"})
	case rencontres.English:
		return append(append(Line{{Text: "The meeting is held as part of the "}}, title...), Run{Text: "."})
	}
	if w.Number > 0 && pluralTitle(w.Title.In(rencontres.French)) {
		return append(append(Line{{Text: "Cette réunion se tiendra dans le cadre des "}}, title...), Run{Text: "."})
	}
	return Line{{Text: "Cette réunion se tiendra dans le cadre de l’événement " + r.p.Quote(title.String()) + "."}}
}

// latinName is Given FAMILY, as French and English documents write any
// name, a romanised Japanese one included.
func (rc *Recipient) latinName() string {
	return strings.TrimSpace(strings.TrimSpace(rc.GivenName) + " " + strings.ToUpper(strings.TrimSpace(rc.FamilyName)))
}

// ownName is the name in the letter's language: Japanese script, family
// name first, for Japanese letters when known; else Given FAMILY.
func (r *renderer) ownName() string {
	rc := &r.d.Recipient
	if r.lang == rencontres.Japanese && rc.NameJa != "" {
		return rc.NameJa
	}
	if n := rc.latinName(); n != "" {
		return n
	}
	return rc.NameJa
}

// name is recipient.name: with 様 in Japanese.
func (r *renderer) name() string {
	n := r.ownName()
	if n != "" && r.lang == rencontres.Japanese {
		n += " 様"
	}
	return n
}

func (r *renderer) givenName() string {
	rc := &r.d.Recipient
	if r.lang == rencontres.Japanese && rc.NameJa != "" {
		if _, given, ok := strings.Cut(rc.NameJa, " "); ok {
			return given
		}
	}
	return rc.GivenName
}

func (r *renderer) familyName() string {
	rc := &r.d.Recipient
	if r.lang == rencontres.Japanese && rc.NameJa != "" {
		family, _, _ := strings.Cut(rc.NameJa, " ")
		return family
	}
	return strings.ToUpper(rc.FamilyName)
}

// civility is recipient.civility: Madame, Monsieur; Ms, Mr; nothing in
// Japanese, where 様 follows the name instead.
func (r *renderer) civility() string {
	forms := map[rencontres.Lang][2]string{rencontres.French: {"Madame", "Monsieur"}, rencontres.English: {"Ms", "Mr"}}[r.lang]
	switch r.d.Recipient.Civility {
	case "mme":
		return forms[0]
	case "m":
		return forms[1]
	}
	return ""
}

// signatories joins the signatories' names: « A et B », A、B.
func (r *renderer) signatories() string {
	var names []string
	for _, s := range r.t.Signatories {
		names = append(names, s.Name)
	}
	sep := map[rencontres.Lang]string{rencontres.French: " et ", rencontres.Japanese: "、", rencontres.English: " and "}[r.lang]
	return strings.Join(names, sep)
}
