package i18n

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
var enMonths = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var frDays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
var jaDays = [...]string{"日", "月", "火", "水", "木", "金", "土"}
var enDays = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// frDay writes a day of the month as French does: "1er", then "2", "3"…
func frDay(d int) string {
	if d == 1 {
		return "1er"
	}
	return strconv.Itoa(d)
}

// Date formats a day: « 3 octobre 2022 », 2022年10月3日, 3 October 2022.
func (p *Printer) Date(d rencontres.Date) string {
	if d.IsZero() {
		return ""
	}
	switch p.Lang {
	case rencontres.French:
		return fmt.Sprintf("%s %s %d", frDay(d.Day), frMonths[d.Month-1], d.Year)
	case rencontres.Japanese:
		return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day)
	}
	return fmt.Sprintf("%d %s %d", d.Day, enMonths[d.Month-1], d.Year)
}

// Year formats a year standing alone: 2026, 2026年.
func (p *Printer) Year(y int) string {
	if p.Lang == rencontres.Japanese {
		return strconv.Itoa(y) + "年"
	}
	return strconv.Itoa(y)
}

// LongDate formats a day with its weekday, as a letter gives it:
// « lundi 18 septembre 2023 », 2023年9月18日（月）, Monday 18 September 2023.
func (p *Printer) LongDate(d rencontres.Date) string {
	if d.IsZero() {
		return ""
	}
	wd := d.Weekday()
	switch p.Lang {
	case rencontres.French:
		return frDays[wd] + " " + p.Date(d)
	case rencontres.Japanese:
		return p.Date(d) + "（" + jaDays[wd] + "）"
	}
	return enDays[wd] + " " + p.Date(d)
}

// DateRange formats the days of an event: « du 3 au 6 octobre 2022 »,
// 2022年10月3日〜6日, 3–6 October 2022. A single day reads « le 10 octobre
// 2017 ».
func (p *Printer) DateRange(start, end rencontres.Date) string {
	if start.IsZero() {
		return ""
	}
	if end.IsZero() || end == start {
		if p.Lang == rencontres.French {
			return "le " + p.Date(start)
		}
		return p.Date(start)
	}
	sameYear, sameMonth := start.Year == end.Year, start.Year == end.Year && start.Month == end.Month
	switch p.Lang {
	case rencontres.French:
		switch {
		case sameMonth:
			return fmt.Sprintf("du %s au %s", frDay(start.Day), p.Date(end))
		case sameYear:
			return fmt.Sprintf("du %s %s au %s", frDay(start.Day), frMonths[start.Month-1], p.Date(end))
		}
		return fmt.Sprintf("du %s au %s", p.Date(start), p.Date(end))
	case rencontres.Japanese:
		switch {
		case sameMonth:
			return fmt.Sprintf("%s〜%d日", p.Date(start), end.Day)
		case sameYear:
			return fmt.Sprintf("%s〜%d月%d日", p.Date(start), end.Month, end.Day)
		}
		return p.Date(start) + "〜" + p.Date(end)
	}
	switch {
	case sameMonth:
		return fmt.Sprintf("%d–%d %s %d", start.Day, end.Day, enMonths[end.Month-1], end.Year)
	case sameYear:
		return fmt.Sprintf("%d %s – %s", start.Day, enMonths[start.Month-1], p.Date(end))
	}
	return p.Date(start) + " – " + p.Date(end)
}

// TimeRange formats the hours of a meeting in its zone: « de 16h00 à
// 17h30 », 16:00〜17:30, 16:00–17:30. An end on a later day than the start
// says so: « de 23h30 à 1h00 le lendemain », 23:30〜翌日1:00.
func (p *Printer) TimeRange(start, end time.Time) string {
	return p.TimeRangeOn(rencontres.DateOf(start), start, end)
}

// TimeRangeOn formats hours shown next to the day named day, saying of the
// start and of the end when it falls on the day after or the day before:
// the hours of a Paris meeting read in Tokyo, « de 23h30 à 1h00 le
// lendemain », 23:30〜翌日1:00, 23:30–01:00 the next day; those of a Tokyo
// morning read in Paris, « de 23h00 la veille à 1h00 », 前日23:00〜1:00. A
// time further away names its own day.
func (p *Printer) TimeRangeOn(day rencontres.Date, start, end time.Time) string {
	from, to := p.dayOf(day, start), p.dayOf(day, end)
	switch p.Lang {
	case rencontres.French:
		return fmt.Sprintf("de %dh%02d%s à %dh%02d%s", start.Hour(), start.Minute(), suffix(from), end.Hour(), end.Minute(), suffix(to))
	case rencontres.Japanese:
		return from + start.Format("15:04") + "〜" + to + end.Format("15:04")
	}
	if from == "" && to == "" {
		return start.Format("15:04") + "–" + end.Format("15:04")
	}
	return start.Format("15:04") + suffix(from) + " – " + end.Format("15:04") + suffix(to)
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// DayOf names the day of t against day, as a timetable adds it after an
// hour: nothing when it is that day, « le lendemain », « la veille », 翌日,
// 前日, the next day…
func (p *Printer) DayOf(day rencontres.Date, t time.Time) string { return p.dayOf(day, t) }

// dayOf names the day of t against day: nothing when it is that day, « le
// lendemain », « la veille », 翌日, 前日…, else the date itself.
func (p *Printer) dayOf(day rencontres.Date, t time.Time) string {
	d := rencontres.DateOf(t)
	if day.IsZero() || d == day {
		return ""
	}
	next := rencontres.DateOf(day.Time(time.UTC).AddDate(0, 0, 1))
	prev := rencontres.DateOf(day.Time(time.UTC).AddDate(0, 0, -1))
	words := map[rencontres.Lang][2]string{
		rencontres.French:   {"le lendemain", "la veille"},
		rencontres.Japanese: {"翌日", "前日"},
		rencontres.English:  {"the next day", "the day before"},
	}[p.Lang]
	switch d {
	case next:
		return words[0]
	case prev:
		return words[1]
	}
	switch p.Lang {
	case rencontres.French:
		return "le " + p.Date(d)
	case rencontres.Japanese:
		return fmt.Sprintf("%d月%d日", d.Month, d.Day)
	}
	return "on " + p.Date(d)
}

// Ordinal returns an edition's ordinal as HTML: 7<sup>e</sup>,
// 1<sup>res</sup> (the Rencontres are feminine and plural), 第7回, 7th.
func (p *Printer) Ordinal(n int) template.HTML {
	switch p.Lang {
	case rencontres.French:
		suffix := "e"
		if n == 1 {
			suffix = "res"
		}
		return template.HTML(fmt.Sprintf("%d<sup>%s</sup>", n, suffix))
	case rencontres.Japanese:
		return template.HTML(fmt.Sprintf("第%d回", n))
	}
	return template.HTML(strconv.Itoa(n) + englishSuffix(n))
}

// OrdinalText is Ordinal as plain text, for titles and attributes: « 7e »,
// « 1res », 第7回, 7th.
func (p *Printer) OrdinalText(n int) string {
	switch p.Lang {
	case rencontres.French:
		if n == 1 {
			return "1res"
		}
		return strconv.Itoa(n) + "e"
	case rencontres.Japanese:
		return fmt.Sprintf("第%d回", n)
	}
	return strconv.Itoa(n) + englishSuffix(n)
}

func englishSuffix(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// EditionTitle names an edition of a series: « 7e Rencontres
// franco-japonaises », 第7回日仏自治体交流会議, 7th Franco-Japanese Meetings.
func (p *Printer) EditionTitle(n int, seriesShort rencontres.Text) template.HTML {
	name := template.HTMLEscapeString(seriesShort.In(p.Lang))
	if p.Lang == rencontres.Japanese {
		return p.Ordinal(n) + template.HTML(name)
	}
	return p.Ordinal(n) + " " + template.HTML(name)
}

// EditionTitleText is EditionTitle as plain text.
func (p *Printer) EditionTitleText(n int, seriesShort rencontres.Text) string {
	if p.Lang == rencontres.Japanese {
		return p.OrdinalText(n) + seriesShort.In(p.Lang)
	}
	return p.OrdinalText(n) + " " + seriesShort.In(p.Lang)
}

// Number formats an integer with the language's grouping: 1 500 (with a
// no-break space), 1,500. A nil pointer is an unknown number: empty.
func (p *Printer) Number(n any) string {
	switch v := n.(type) {
	case *int:
		if v == nil {
			return ""
		}
		n = *v
	case *int64:
		if v == nil {
			return ""
		}
		n = *v
	}
	return p.num.Sprintf("%d", n)
}

// Quote puts a title between the language's quotation marks: « … » with
// no-break spaces inside in French, 「…」 in Japanese, “…” in English.
func (p *Printer) Quote(s string) string {
	switch p.Lang {
	case rencontres.French:
		return "«\u00a0" + s + "\u00a0»"
	case rencontres.Japanese:
		return "「" + s + "」"
	}
	return "“" + s + "”"
}

func newNumberPrinter(l rencontres.Lang) *message.Printer {
	return message.NewPrinter(language.MustParse(string(l)))
}

// Clock formats a time of day as a timetable prints it: 9h30, 9:30, 9:30.
func (p *Printer) Clock(t time.Time) string {
	if p.Lang == rencontres.French {
		return fmt.Sprintf("%dh%02d", t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute())
}

// DateTime formats an instant on the clock of its own zone, naming the
// zone: « lundi 4 septembre 2026 à 23h59 (heure de Paris) ».
func (p *Printer) DateTime(t time.Time) string {
	zone := t.Location().String()
	switch zone {
	case "Europe/Paris":
		zone = p.T("zone.paris")
	case "Asia/Tokyo":
		zone = p.T("zone.tokyo")
	}
	return p.T("datetime", "Day", p.LongDate(rencontres.DateOf(t)), "Clock", p.Clock(t), "Zone", zone)
}

// OrdinalPlural is OrdinalText for a plural noun, which French ordinals
// agree with: « les 8es Rencontres », « les 1res Rencontres ». Other
// languages write it as OrdinalText.
func (p *Printer) OrdinalPlural(n int) string {
	if p.Lang == rencontres.French {
		if n == 1 {
			return "1res"
		}
		return strconv.Itoa(n) + "es"
	}
	return p.OrdinalText(n)
}

// Rank returns a rank in a list of preferences as HTML, masculine in
// French (« choix » is): 1<sup>er</sup>, 2<sup>e</sup>; 第1, 第2; 1st, 2nd.
// The word ranked follows it in the catalogue: « 1er choix », 第1希望.
func (p *Printer) Rank(n int) template.HTML {
	switch p.Lang {
	case rencontres.French:
		if n == 1 {
			return "1<sup>er</sup>"
		}
		return template.HTML(strconv.Itoa(n) + "<sup>e</sup>")
	case rencontres.Japanese:
		return template.HTML("第" + strconv.Itoa(n))
	}
	return template.HTML(strconv.Itoa(n) + englishSuffix(n))
}

// WithHTML translates a message whose one argument is HTML made here (an
// ordinal with its superscript): the message's own text is escaped, the
// argument kept as it is.
func (p *Printer) WithHTML(id, name string, arg template.HTML) template.HTML {
	const mark = "\x00"
	before, after, _ := strings.Cut(p.T(id, name, mark), mark)
	return template.HTML(template.HTMLEscapeString(before)) + arg + template.HTML(template.HTMLEscapeString(after))
}
