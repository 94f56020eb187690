package web

import (
	"html/template"
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

// Kind names an organisation's kind in the page's language.
func (p *Page) Kind(k rencontres.OrgKind) string { return p.P.T("kind." + string(k)) }

// CountryName names a country in the page's language.
func (p *Page) CountryName(c rencontres.Country) string {
	switch c {
	case rencontres.France, rencontres.Japan:
		return p.P.T("country." + string(c))
	}
	return string(c)
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
func (p *Page) ZoneName(zone string) string {
	switch zone {
	case "Europe/Paris":
		return p.P.T("zone.paris")
	case "Asia/Tokyo":
		return p.P.T("zone.tokyo")
	}
	return zone
}

// MeetingWhen renders when a meeting takes place in its own zone: « le mardi
// 22 septembre 2020, de 16h00 à 17h30 ».
func (p *Page) MeetingWhen(m *rencontres.Meeting) string {
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	start, end := m.Start.In(loc), m.End.In(loc)
	day := p.P.LongDate(rencontres.DateOf(start))
	if !m.TimeKnown() {
		return p.P.T("meeting.on_day", "Day", day)
	}
	return p.P.T("meeting.when", "Day", day, "Hours", p.P.TimeRange(start, end))
}

// NoTarget is the empty permission target, for templates asking whether
// the reader may do something at all.
func (p *Page) NoTarget() rencontres.Target { return rencontres.Target{} }
