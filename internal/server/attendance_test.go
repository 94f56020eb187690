package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// sessionsOf returns an edition's sessions by kind and French title.
func (f *fixture) sessionsOf(t *testing.T, eventID int64) map[string]*rencontres.Session {
	t.Helper()
	sessions, err := f.st.Sessions(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*rencontres.Session{}
	for _, s := range sessions {
		out[string(s.Kind)+" "+s.Title.In(rencontres.French)] = s
	}
	return out
}

// The attendance list of the 7th edition's technical visit, from the demo's
// registrations, through the API (JSON and CSV) and the secretariat's
// pages; a withdrawal gives the first waiting person a seat on the list.
func TestAttendance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		sec := rencontres.Secretariat
		sessions := f.sessionsOf(t, f.edition)
		visit := sessions["visit Visite technique\u00a0: le Grand Site Sainte-Victoire"]
		plenary := sessions["plenary Séance d’ouverture"]
		if visit == nil || plenary == nil {
			t.Fatalf("the 7th edition's visit or opening is missing: %v", sessions)
		}
		api := fmt.Sprintf("/api/v1/events/%d/sessions/%d/attendance", f.edition, visit.ID)

		// Who chose the visit, from the store: those with a seat and those
		// waiting, in their order.
		regs, err := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.edition, SessionID: visit.ID})
		if err != nil {
			t.Fatal(err)
		}
		waitingIDs := map[int]int64{} // by place, from 1
		seated := 0
		for _, r := range regs {
			for _, c := range r.Choices {
				if c.SessionID != visit.ID {
					continue
				}
				if c.Status == rencontres.Confirmed {
					seated++
				} else if c.Status == rencontres.Waitlisted {
					waitingIDs[c.Position] = r.ID
				}
			}
		}
		if seated != visit.Capacity || len(waitingIDs) == 0 {
			t.Fatalf("the demo's visit has %d seated of %d and %d waiting; want it full with people waiting", seated, visit.Capacity, len(waitingIDs))
		}

		code, b, _ := f.call(t, sec, "GET", api, nil)
		if code != 200 {
			t.Fatalf("attendance: %d %s", code, b)
		}
		a := decodeAs[rencontres.Attendance](t, b)
		if a.Capacity != visit.Capacity || len(a.Seated) != seated || len(a.Waiting) != len(waitingIDs) || a.Session.ID != visit.ID {
			t.Errorf("attendance: capacity %d, %d seated, %d waiting; want %d, %d, %d", a.Capacity, len(a.Seated), len(a.Waiting), visit.Capacity, seated, len(waitingIDs))
		}
		var names []string
		for _, p := range a.Seated {
			names = append(names, rencontres.FoldSearch(p.FamilyName+" "+p.GivenName))
			if p.Seat != rencontres.Confirmed || p.Place != 0 {
				t.Errorf("seated %s: seat %s place %d", p.Email, p.Seat, p.Place)
			}
		}
		if !slices.IsSorted(names) {
			t.Errorf("the seated are not in the order of their names: %v", names)
		}
		for i, p := range a.Waiting {
			if p.Place != i+1 || p.Seat != rencontres.Waitlisted || p.ID != waitingIDs[i+1] {
				t.Errorf("waiting #%d: %s place %d seat %s, want id %d place %d", i+1, p.Email, p.Place, p.Seat, waitingIDs[i+1], i+1)
			}
		}

		// CSV: the registrations' columns after the seat, seated first,
		// Japanese names intact.
		code, b, h := f.call(t, sec, "GET", api+"?format=csv", nil)
		if code != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("csv: %d %s", code, h.Get("Content-Type"))
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(rows[0][:4], ","), "seat,session_waitlist_position,id,status"; got != want {
			t.Errorf("csv header starts %s, want %s", got, want)
		}
		if len(rows) != 1+seated+len(waitingIDs) || rows[1][0] != "confirmed" || rows[seated+1][0] != "waitlisted" || rows[seated+1][1] != "1" {
			t.Errorf("csv rows: %v", rows)
		}
		if !bytes.Contains(b, []byte(a.Waiting[0].NameJa)) && !bytes.Contains(b, []byte(a.Waiting[0].FamilyName)) {
			t.Errorf("csv lacks the first waiting person %s", a.Waiting[0].Email)
		}

		// Refused to all but the secretariat; a session nobody chooses has
		// no list of its own, and says so.
		for _, role := range []rencontres.Role{rencontres.AuthorityContact, rencontres.CommitteeMember, rencontres.Participant} {
			if code, _, _ := f.call(t, role, "GET", api, nil); code != 403 {
				t.Errorf("%s reading the attendance: %d, want 403", role, code)
			}
		}
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/api/v1/events/%d/sessions/%d/attendance?lang=fr", f.edition, plenary.ID), nil)
		if e := decodeAs[apiError](t, b); code != 404 || e.Error.Field != "session" || !strings.Contains(e.Error.Message, "ne se choisit pas") {
			t.Errorf("a plenary's attendance: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "GET", api+"?format=pdf", nil); code != 400 {
			t.Errorf("an unknown format: %d %s", code, b)
		}

		// The page, in French and in Japanese: the visit's time in the
		// event's zone, its seats, names in both scripts, a column to sign.
		page := fmt.Sprintf("/fr/events/%d/sessions/%d/attendance", f.edition, visit.ID)
		code, b, _ = f.call(t, sec, "GET", page, nil)
		body := string(b)
		mori := "<span lang=\"ja-Latn\">Kenji MORI</span> <span class=\"other-script\" lang=\"ja\">森 健二</span>"
		for _, want := range []string{"Liste de présence — Visite technique\u00a0: le Grand Site Sainte-Victoire", "le jeudi 6 octobre 2022, de 9h00 à 12h30 (heure de Paris)",
			fmt.Sprintf("%d / %d places prises", seated, visit.Capacity), mori, "Kumamoto (<span lang=\"ja\">熊本市</span>)", ">Signature</th>",
			fmt.Sprintf("Liste d’attente (%d)", len(waitingIDs)), "Sans salle"} {
			if !strings.Contains(body, want) {
				t.Errorf("the French attendance page (%d) lacks %q", code, want)
			}
		}
		code, b, _ = f.call(t, sec, "GET", strings.Replace(page, "/fr/", "/ja/", 1), nil)
		if body := string(b); code != 200 || !strings.Contains(body, "森 健二 <span class=\"other-script\" lang=\"ja-Latn\">Kenji MORI</span>") ||
			!strings.Contains(body, "2022年10月6日（木） 09:00〜12:30（パリ時間）") || !strings.Contains(body, ">署名</th>") {
			t.Errorf("the Japanese attendance page (%d) lacks the name, time or signature column", code)
		}
		code, b, h = f.call(t, sec, "GET", page+"?format=csv", nil)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || !bytes.HasPrefix(b, []byte("\ufeffPlace à la session,")) {
			t.Errorf("the page's CSV: %d %s", code, h.Get("Content-Disposition"))
		}
		if code, _, _ := f.call(t, sec, "GET", fmt.Sprintf("/fr/events/%d/sessions/%d/attendance", f.edition, plenary.ID), nil); code != 404 {
			t.Errorf("a plenary's attendance page: %d, want 404", code)
		}

		// Every list, room by room, then the visit, which has no room.
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/en/events/%d/attendance", f.edition), nil)
		body = string(b)
		var at []int
		for _, title := range []string{"Economy workshop", "Society workshop", "Environment workshop", "Technical visit"} {
			at = append(at, strings.Index(body, "\">"+title))
		}
		if code != 200 || strings.Count(body, `<section class="sheet"`) != 4 || !slices.IsSorted(at) || slices.Contains(at, -1) {
			t.Errorf("every list: %d, %d sheets, titles at %v", code, strings.Count(body, `<section class="sheet"`), at)
		}

		// A seated person withdraws: the first waiting gets the seat and
		// the list says so; the others move up.
		if code, b, _ := f.call(t, sec, "DELETE", fmt.Sprintf("/api/v1/events/%d/registrations/%d", f.edition, a.Seated[0].ID), nil); code != 200 {
			t.Fatalf("withdraw: %d %s", code, b)
		}
		_, b, _ = f.call(t, sec, "GET", api, nil)
		after := decodeAs[rencontres.Attendance](t, b)
		promoted := slices.IndexFunc(after.Seated, func(p rencontres.Attendee) bool { return p.ID == waitingIDs[1] })
		if promoted < 0 || len(after.Seated) != seated || len(after.Waiting) != len(waitingIDs)-1 {
			t.Errorf("after a withdrawal: %d seated (first waiting among them: %v), %d waiting", len(after.Seated), promoted >= 0, len(after.Waiting))
		}
		if len(after.Waiting) > 0 && (after.Waiting[0].ID != waitingIDs[2] || after.Waiting[0].Place != 1) {
			t.Errorf("after a withdrawal the list starts with %d at place %d, want %d at 1", after.Waiting[0].ID, after.Waiting[0].Place, waitingIDs[2])
		}
	})
}
