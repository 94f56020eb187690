package web

import (
	"html/template"
	"regexp"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// OrgName renders an organisation's name in the page's language, followed
// by its name in the other script where it has one, marked with its own
// language so that screen readers pronounce it right: « Kumamoto (熊本市) »,
// 熊本市（Kumamoto）.
func (p *Page) OrgName(o *rencontres.Organisation) template.HTML {
	if o == nil {
		return ""
	}
	main := o.Name.In(p.Lang)
	var other string
	var otherLang rencontres.Lang
	if p.Lang == rencontres.Japanese {
		other, otherLang = o.Name.In(rencontres.French), rencontres.French
	} else if o.Name.Has(rencontres.Japanese) {
		other, otherLang = o.Name[rencontres.Japanese], rencontres.Japanese
	}
	out := template.HTMLEscapeString(main)
	if other != "" && other != main {
		open, close := " (", ")"
		if p.Lang == rencontres.Japanese {
			open, close = "（", "）"
		}
		out += open + `<span lang="` + string(otherLang) + `">` + template.HTMLEscapeString(other) + `</span>` + close
	}
	return template.HTML(out)
}

// PersonName renders a registered person's name as the reader's language
// writes it (DisplayName), followed by the name in the other script where
// there is one, each marked with its language so that screen readers
// pronounce it right: « Kenji MORI 森 健二 », « 森 健二 Kenji MORI ».
func (p *Page) PersonName(r *rencontres.Registration) template.HTML {
	latinLang := "fr"
	if r.Country == rencontres.Japan {
		latinLang = "ja-Latn"
	}
	latin := template.HTMLEscapeString(r.DisplayName(rencontres.French))
	ja := template.HTMLEscapeString(r.NameJa)
	switch {
	case r.NameJa == "":
		return template.HTML(`<span lang="` + latinLang + `">` + latin + `</span>`)
	case p.Lang == rencontres.Japanese:
		return template.HTML(ja + ` <span class="other-script" lang="` + latinLang + `">` + latin + `</span>`)
	}
	return template.HTML(`<span lang="` + latinLang + `">` + latin + `</span> <span class="other-script" lang="ja">` + ja + `</span>`)
}

// Kind names an organisation's kind in the page's language.
func (p *Page) Kind(k rencontres.OrgKind) string { return p.P.T("kind." + string(k)) }

// CountryName names a country in the page's language: France and Japan
// as the catalogues do, any other as the Unicode CLDR does.
func (p *Page) CountryName(c rencontres.Country) string {
	switch c {
	case rencontres.France, rencontres.Japan:
		return p.P.T("country." + string(c))
	}
	return rencontres.CountryName(c, p.Lang)
}

// StatusName names an edition's status.
func (p *Page) StatusName(s rencontres.Status) string { return p.P.T("status." + string(s)) }

// EditionHref is the path of an edition's page.
func (p *Page) EditionHref(e *rencontres.Edition) string {
	return p.Href("/series/" + e.SeriesSlug + "/" + strconv.Itoa(e.Number))
}

// OrgHref is the path of an organisation's page.
func (p *Page) OrgHref(key string) string { return p.Href("/organisations/" + key) }

// ZoneName names a time zone as readers know it: « heure de Paris ».
func (p *Page) ZoneName(zone string) string { return p.P.ZoneName(zone) }

// EventWhen renders when an event takes place in its own zone: « le mardi
// 22 septembre 2020, de 16h00 à 17h30 », or its days when the hours are not
// known.
func (p *Page) EventWhen(e *rencontres.Event) string {
	switch {
	case e.Start.IsZero():
		return p.P.T("event.no_dates")
	case e.Start != e.End:
		return p.P.DateRange(e.Start, e.End)
	case !e.TimeKnown():
		return p.P.T("meeting.on_day", "Day", p.P.LongDate(e.Start))
	}
	return p.P.T("meeting.when", "Day", p.P.LongDate(e.Start), "Hours", p.P.TimeRange(e.StartsAt(), e.EndsAt()))
}

// EventWhenZoned is EventWhen followed by the event's zone as the reader's
// language writes it: « le mardi 22 septembre 2020, de 16h00 à 17h30
// (heure de Paris) », 2020年9月22日（火） 16:00〜17:30（パリ時間）.
func (p *Page) EventWhenZoned(e *rencontres.Event) string {
	if e.Start.IsZero() {
		return p.EventWhen(e)
	}
	return p.P.InZone(p.EventWhen(e), e.TimeZone)
}

// EventTitle is an event's title: an edition's is made from its series and
// number, « 7<sup>e</sup> Rencontres », unless one was typed for it in the
// reader's language.
func (p *Page) EventTitle(e *rencontres.Event) template.HTML {
	if e.Kind == rencontres.EditionEvent && !e.Title.Has(p.Lang) {
		return p.P.EditionTitle(e.Number, e.SeriesShort)
	}
	return p.Typo(e.Title.In(p.Lang))
}

// EventTitleText is an event's title as plain text, for page titles and
// headings: « 7e Rencontres franco-japonaises », or a meeting's own title.
func (p *Page) EventTitleText(e *rencontres.Event) string {
	if e.Kind == rencontres.EditionEvent && !e.Title.Has(p.Lang) {
		return p.P.EditionTitleText(e.Number, e.SeriesShort)
	}
	return e.Title.In(p.Lang)
}

// EventHref is the path of an event's page: an edition's is its archive
// page.
func (p *Page) EventHref(e *rencontres.Event) string {
	if e.Kind == rencontres.EditionEvent {
		return p.Href("/series/" + e.Series + "/" + strconv.Itoa(e.Number))
	}
	return p.Href("/events/" + strconv.FormatInt(e.ID, 10))
}

// EndDay names the day a session shown in another zone ends on, when it
// is not the day it starts: « le lendemain », 翌日.
func (p *Page) EndDay(start, end time.Time) string {
	return p.P.DayOf(rencontres.DateOf(start), end)
}

// NoTarget is the empty permission target, for templates asking whether
// the reader may do something at all.
func (p *Page) NoTarget() rencontres.Target { return rencontres.Target{} }

// frOrdinal finds the abbreviated ordinals of French text: 1er, 1re, 3e,
// 7es.
var frOrdinal = regexp.MustCompile(`\b(\d+)(ers?|res?|es?)\b`)

// Typo escapes a text for a heading and sets it as French typography
// wants: the letters of an ordinal in superscript, « 7<sup>e</sup>
// Rencontres », as the letters print them. Other languages are only
// escaped.
func (p *Page) Typo(s string) template.HTML {
	out := template.HTMLEscapeString(s)
	if p.Lang == rencontres.French {
		out = frOrdinal.ReplaceAllString(out, "$1<sup>$2</sup>")
	}
	return template.HTML(out)
}

// Heading is the page's title as its main heading shows it (Typo).
func (p *Page) Heading() template.HTML { return p.Typo(p.Title) }

// ClockText writes a time of day kept as "09:30" as the reader's language
// prints it: 9h30, 9:30.
func (p *Page) ClockText(clock string) string {
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return clock
	}
	return p.P.Clock(t)
}

// Colon is the colon between a label and its value as each language sets
// it: a no-break space before it in French (« Présidence : »), the
// full-width colon with no space after it in Japanese (委員長：), a colon
// and a space in English.
func (p *Page) Colon() string {
	switch p.Lang {
	case rencontres.French:
		return "\u00a0: "
	case rencontres.Japanese:
		return "："
	}
	return ": "
}
