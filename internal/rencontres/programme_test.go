package rencontres

import (
	"testing"
	"time"
)

func TestSDGs(t *testing.T) {
	if len(SDGs) != 17 {
		t.Fatalf("%d SDGs, want 17", len(SDGs))
	}
	for i, g := range SDGs {
		if g.Number != i+1 {
			t.Errorf("SDGs[%d] is goal %d", i, g.Number)
		}
		for _, l := range Langs {
			if !g.Name.Has(l) {
				t.Errorf("goal %d has no %s name", g.Number, l)
			}
		}
	}
	if g, _ := SDGByNumber(11); g.Name[Japanese] != "住み続けられるまちづくりを" || g.Name[French] != "Villes et communautés durables" {
		t.Errorf("goal 11 = %v", g.Name)
	}
	for _, n := range []int{0, 18, -1} {
		if _, err := SDGByNumber(n); ErrorCode(err) != EINVALID {
			t.Errorf("SDG %d: %v", n, err)
		}
	}
}

// A session at 10:00 in Tokyo, read in Paris: 01:00 UTC is 02:00 in winter
// (CET, UTC+1) and 03:00 in summer (CEST, UTC+2).
func TestInZone(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2024, 1, 18, 10, 0, 0, 0, tokyo), "2024-01-18 02:00 CET"},
		{time.Date(2024, 7, 18, 10, 0, 0, 0, tokyo), "2024-07-18 03:00 CEST"},
		{time.Date(2024, 11, 18, 10, 0, 0, 0, tokyo), "2024-11-18 02:00 CET"}, // the 8th Rencontres, Shizuoka
	} {
		got, err := InZone(tc.day, "Europe/Paris")
		if err != nil {
			t.Fatal(err)
		}
		if s := got.Format("2006-01-02 15:04 MST"); s != tc.want {
			t.Errorf("%s in Paris = %s, want %s", tc.day, s, tc.want)
		}
	}
	if _, err := InZone(time.Now(), "Europe/Lutece"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown zone: %v", err)
	}
}

func TestSessionValidate(t *testing.T) {
	base := func() *Session {
		start := time.Date(2022, 10, 4, 9, 30, 0, 0, time.UTC)
		return &Session{Kind: RoundTable, Title: Text{French: "Table ronde 1"}, Start: start, End: start.Add(90 * time.Minute),
			SDGs: []int{11, 17}, Speakers: []Speaker{{Person: "Nadia BENSAÏD", Role: "moderator"}}}
	}
	if err := base().Validate(); err != nil {
		t.Fatalf("a valid session is refused: %v", err)
	}
	for name, edit := range map[string]func(*Session){
		"unknown kind":      func(s *Session) { s.Kind = "banquet" },
		"no title":          func(s *Session) { s.Title = nil },
		"ends before start": func(s *Session) { s.End = s.Start.Add(-time.Minute) },
		"ends as it starts": func(s *Session) { s.End = s.Start },
		"lasts two days":    func(s *Session) { s.End = s.Start.Add(48 * time.Hour) },
		"SDG 18":            func(s *Session) { s.SDGs = []int{18} },
		"SDG twice":         func(s *Session) { s.SDGs = []int{11, 11} },
		"nameless speaker":  func(s *Session) { s.Speakers[0].Person = " " },
		"unknown role":      func(s *Session) { s.Speakers[0].Role = "star" },
		"negative capacity": func(s *Session) { s.Capacity = -3 },
	} {
		s := base()
		edit(s)
		if err := s.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	a, b := base(), base()
	b.Start, b.End = a.End, a.End.Add(time.Hour)
	if a.Overlaps(b) || b.Overlaps(a) {
		t.Error("sessions that touch are said to overlap")
	}
	b.Start = a.End.Add(-time.Minute)
	if !a.Overlaps(b) {
		t.Error("sessions sharing a minute are said not to overlap")
	}
}
