// Package calendar writes iCalendar (RFC 5545) files of events and their
// programme sessions. Times are written as clock times of the event's zone,
// with TZID and a VTIMEZONE built from Go's zone database, so that a
// calendar program shows 10:00 in Tokyo as 03:00 in Paris in winter and
// 02:00 in summer.
package calendar

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Item is one entry of a calendar.
type Item struct {
	UID         string
	Summary     string
	Description string
	Location    string
	URL         string
	Start, End  time.Time
	// AllDay items have days, not hours: Start is the first day and End
	// the day after the last, as RFC 5545 counts them.
	AllDay    bool
	Cancelled bool
}

// Write returns the calendar of items, all in zone, named name.
func Write(name, zone string, items []Item, stamp time.Time) ([]byte, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		return nil, fmt.Errorf("calendar: unknown time zone %q", zone)
	}
	cal := ics.NewCalendarFor("Rencontres")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(zone)
	var from, to time.Time
	for _, it := range items {
		if from.IsZero() || it.Start.Before(from) {
			from = it.Start
		}
		if it.End.After(to) {
			to = it.End
		}
	}
	if len(items) > 0 {
		addZone(cal, loc, from, to)
	}
	const local = "20060102T150405"
	for _, it := range items {
		ev := cal.AddEvent(it.UID)
		ev.SetDtStampTime(stamp)
		if it.AllDay {
			ev.SetAllDayStartAt(it.Start)
			ev.SetAllDayEndAt(it.End)
		} else {
			ev.SetProperty(ics.ComponentPropertyDtStart, it.Start.In(loc).Format(local), ics.WithTZID(zone))
			ev.SetProperty(ics.ComponentPropertyDtEnd, it.End.In(loc).Format(local), ics.WithTZID(zone))
		}
		ev.SetSummary(it.Summary)
		if it.Description != "" {
			ev.SetDescription(it.Description)
		}
		if it.Location != "" {
			ev.SetLocation(it.Location)
		}
		if it.URL != "" {
			ev.SetURL(it.URL)
		}
		if it.Cancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return []byte(cal.Serialize(ics.WithNewLineWindows)), nil
}

// addZone adds the VTIMEZONE of loc: the observance in force a year
// before the first item, and each change of offset until the last, so that
// the file stands on its own whatever the calendar program knows of zones.
func addZone(cal *ics.Calendar, loc *time.Location, from, to time.Time) {
	tz := cal.AddTimezone(loc.String())
	t0 := from.AddDate(-1, 0, 0)
	first := change{At: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}
	first.Name, first.To = t0.In(loc).Zone()
	first.From, first.DST = first.To, t0.In(loc).IsDST()
	if before := changes(loc, t0.AddDate(-1, 0, 0), t0); len(before) > 0 {
		first = before[len(before)-1]
	}
	for _, c := range append([]change{first}, changes(loc, t0, to.Add(24*time.Hour))...) {
		base := ics.ComponentBase{}
		// DTSTART of an observance is the local time before the change.
		base.SetProperty(ics.ComponentPropertyDtStart, c.At.In(time.FixedZone("", c.From)).Format("20060102T150405"))
		base.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offsetString(c.From))
		base.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offsetString(c.To))
		base.AddProperty(ics.ComponentProperty(ics.PropertyTzname), c.Name)
		if c.DST {
			tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: base})
		} else {
			tz.Components = append(tz.Components, &ics.Standard{ComponentBase: base})
		}
	}
}

// change is a change of a zone's offset.
type change struct {
	At       time.Time
	From, To int // offsets east of UTC, in seconds
	Name     string
	DST      bool
}

// changes lists the changes of offset of loc between from and to, each
// found to the minute.
func changes(loc *time.Location, from, to time.Time) []change {
	var out []change
	for day := from; day.Before(to); day = day.Add(24 * time.Hour) {
		next := day.Add(24 * time.Hour)
		_, o1 := day.In(loc).Zone()
		n2, o2 := next.In(loc).Zone()
		if o1 == o2 {
			continue
		}
		lo, hi := day, next
		for hi.Sub(lo) > time.Minute {
			mid := lo.Add(hi.Sub(lo) / 2)
			if _, o := mid.In(loc).Zone(); o == o1 {
				lo = mid
			} else {
				hi = mid
			}
		}
		out = append(out, change{At: hi.Truncate(time.Minute), From: o1, To: o2, Name: n2, DST: next.In(loc).IsDST()})
	}
	return out
}

func offsetString(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds/60%60)
}

// EventItem is the calendar entry of an event.
func EventItem(e *rencontres.Event, title string, lang rencontres.Lang, url, host string) Item {
	it := Item{UID: fmt.Sprintf("event-%d@%s", e.ID, host), Summary: title, URL: url,
		Location:  strings.TrimSpace(strings.Join(nonEmpty(e.Venue.In(lang), e.Address), ", ")),
		Cancelled: e.Status == rencontres.Cancelled}
	if e.TimeKnown() {
		it.Start, it.End = e.StartsAt(), e.EndsAt()
	} else {
		it.AllDay = true
		it.Start, it.End = e.Start.Time(time.UTC), e.End.Time(time.UTC).AddDate(0, 0, 1)
	}
	return it
}

// SessionItem is the calendar entry of a programme session.
func SessionItem(s *rencontres.Session, lang rencontres.Lang, room, url, host string) Item {
	return Item{UID: fmt.Sprintf("session-%d@%s", s.ID, host), Summary: s.Title.In(lang), Description: s.Description.In(lang),
		Location: room, URL: url, Start: s.Start, End: s.End}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// Programme is the calendar of an event: the event itself, then each of its
// sessions, titled and described in lang. base is the site's address, for
// the links back.
func Programme(e *rencontres.Event, title string, sessions []*rencontres.Session, rooms map[int64]string, lang rencontres.Lang, base string) ([]byte, error) {
	host := hostOf(base)
	page := fmt.Sprintf("%s/%s/events/%d/programme", base, lang, e.ID)
	var items []Item
	if !e.Start.IsZero() {
		items = append(items, EventItem(e, title, lang, page, host))
	}
	for _, s := range sessions {
		items = append(items, SessionItem(s, lang, rooms[s.RoomID], fmt.Sprintf("%s#session-%d", page, s.ID), host))
	}
	return Write(title, e.TimeZone, items, time.Now())
}

// Session is the calendar of one session.
func Session(e *rencontres.Event, title string, s *rencontres.Session, room string, lang rencontres.Lang, base string) ([]byte, error) {
	page := fmt.Sprintf("%s/%s/events/%d/programme#session-%d", base, lang, e.ID, s.ID)
	it := SessionItem(s, lang, room, page, hostOf(base))
	it.Summary = s.Title.In(lang) + " — " + title
	return Write(it.Summary, e.TimeZone, []Item{it}, time.Now())
}

func hostOf(base string) string {
	h := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	if i := strings.IndexAny(h, "/"); i >= 0 {
		h = h[:i]
	}
	return h
}
