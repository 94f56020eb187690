package calendar_test

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/rencontres/rencontres/internal/calendar"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// utcOf reads a DTSTART the way a calendar program does: the clock time,
// its TZID, and the offset that the file's own VTIMEZONE gives for that
// moment; Go's zone database is not consulted.
func utcOf(t *testing.T, cal *ics.Calendar, ev *ics.VEvent) time.Time {
	t.Helper()
	p := ev.GetProperty(ics.ComponentPropertyDtStart)
	tzid := p.ICalParameters["TZID"]
	if len(tzid) != 1 {
		t.Fatalf("DTSTART %q has no TZID", p.Value)
	}
	local, err := time.Parse("20060102T150405", p.Value)
	if err != nil {
		t.Fatal(err)
	}
	var zone *ics.VTimezone
	for _, z := range cal.Timezones() {
		if z.GetProperty(ics.ComponentPropertyTzid).Value == tzid[0] {
			zone = z
		}
	}
	if zone == nil {
		t.Fatalf("no VTIMEZONE %s in the file", tzid[0])
	}
	// The observance in force is the latest whose start is not after the
	// local time.
	var best time.Time
	offset := ""
	for _, c := range zone.Components {
		var base *ics.ComponentBase
		switch o := c.(type) {
		case *ics.Standard:
			base = &o.ComponentBase
		case *ics.Daylight:
			base = &o.ComponentBase
		default:
			continue
		}
		start, err := time.Parse("20060102T150405", base.GetProperty(ics.ComponentPropertyDtStart).Value)
		if err != nil {
			t.Fatal(err)
		}
		if !start.After(local) && !start.Before(best) {
			best, offset = start, base.GetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto)).Value
		}
	}
	if offset == "" {
		t.Fatalf("no observance covers %s", local)
	}
	sign := 1
	if offset[0] == '-' {
		sign = -1
	}
	h, m := int(offset[1]-'0')*10+int(offset[2]-'0'), int(offset[3]-'0')*10+int(offset[4]-'0')
	return local.Add(-time.Duration(sign*(h*60+m)) * time.Minute)
}

// A session at 10:00 in Tokyo is 02:00 in Paris in winter (CET, UTC+1)
// and 03:00 in summer (CEST, UTC+2): the file says 10:00 with TZID
// Asia/Tokyo, and a calendar program in Paris shows it at the right hour.
// Issue 4 words it the other way round; Tokyo is UTC+9 all year.
func TestTokyoSessionSeenFromParis(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2024, 11, 19, 10, 0, 0, 0, tokyo), "02:00 CET"},
		{time.Date(2024, 6, 19, 10, 0, 0, 0, tokyo), "03:00 CEST"},
	} {
		e := &rencontres.Event{ID: 8, Kind: rencontres.EditionEvent, TimeZone: "Asia/Tokyo", Start: rencontres.DateOf(tc.day), End: rencontres.DateOf(tc.day), Status: rencontres.Planned}
		s := &rencontres.Session{ID: 1, Title: rencontres.Text{"fr": "Atelier", "ja": "分科会"}, Start: tc.day, End: tc.day.Add(90 * time.Minute)}
		body, err := calendar.Session(e, "8e Rencontres", s, "Salle A", rencontres.French, "https://rencontres.example.org")
		if err != nil {
			t.Fatal(err)
		}
		text := string(body)
		if !strings.Contains(text, "DTSTART;TZID=Asia/Tokyo:"+tc.day.Format("20060102")+"T100000\r\n") {
			t.Errorf("the file does not say 10:00 in Tokyo:\n%s", text)
		}
		if strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
			t.Error("a line ends without CRLF")
		}
		cal, err := ics.ParseCalendar(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		got := utcOf(t, cal, cal.Events()[0]).In(paris).Format("15:04 MST")
		if got != tc.want {
			t.Errorf("10:00 in Tokyo on %s reads as %s in Paris, want %s", tc.day.Format("2 Jan"), got, tc.want)
		}
	}
}

// The zone's changes of offset are in the file: a Paris session on the
// day after summer time ends is read at the winter offset, one the day
// before at the summer offset.
func TestParisZoneAcrossTheChange(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	before := time.Date(2022, 10, 29, 9, 30, 0, 0, paris)
	after := time.Date(2022, 10, 31, 9, 30, 0, 0, paris)
	e := &rencontres.Event{ID: 7, Kind: rencontres.EditionEvent, TimeZone: "Europe/Paris", Start: rencontres.DateOf(before), End: rencontres.DateOf(after), Status: rencontres.Held}
	sessions := []*rencontres.Session{
		{ID: 1, Title: rencontres.Text{"fr": "Avant"}, Start: before, End: before.Add(time.Hour)},
		{ID: 2, Title: rencontres.Text{"fr": "Après"}, Start: after, End: after.Add(time.Hour)},
	}
	body, err := calendar.Programme(e, "7e Rencontres", sessions, nil, rencontres.French, "https://rencontres.example.org")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want the edition and 2 sessions", len(evs))
	}
	if p := evs[0].GetProperty(ics.ComponentPropertyDtStart); p.Value != "20221029" || p.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("the edition starts %v, want the day 20221029", p)
	}
	for i, want := range []time.Time{before, after} {
		if got := utcOf(t, cal, evs[i+1]); !got.Equal(want) {
			t.Errorf("session %d at %s UTC, want %s", i+1, got, want.UTC())
		}
	}
}
