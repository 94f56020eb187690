package server

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// call sends a request as role, with a JSON body when body is not nil, and
// returns the status and the body read back.
func (f *fixture) call(t *testing.T, role rencontres.Role, method, path string, body any, header ...string) (int, []byte, http.Header) {
	t.Helper()
	var r io.Reader
	if b, ok := body.([]byte); ok {
		r = bytes.NewReader(b)
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c := f.session(t, role); c != nil {
		req.AddCookie(c)
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

type apiEvent struct {
	rencontres.Event
	Warnings []string `json:"warnings"`
}

type apiError struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

func decodeAs[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return v
}

func TestEventsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, member, contact := rencontres.Secretariat, rencontres.CommitteeMember, rencontres.AuthorityContact

		// Anyone sees editions; committee meetings only those who may.
		count := func(role rencontres.Role, kind string) int {
			_, b, _ := f.call(t, role, "GET", "/api/v1/events?kind="+kind, nil)
			return len(decodeAs[struct{ Events []apiEvent }](t, b).Events)
		}
		if n := count(rencontres.Public, "edition"); n != 14 {
			t.Errorf("public sees %d editions, want 14", n)
		}
		if n := count(rencontres.Public, "committee_meeting"); n != 0 {
			t.Errorf("public sees %d committee meetings, want 0", n)
		}
		all, mine := count(sec, "committee_meeting"), count(member, "committee_meeting")
		if all < 4 || mine != 1 {
			t.Errorf("secretariat sees %d committee meetings, member %d; want all, and 1", all, mine)
		}

		// The secretariat creates a meeting; refusals name their field in
		// the reader's language.
		meeting := map[string]any{"kind": "committee_meeting", "committee_id": f.committee, "title": map[string]string{"fr": "5e réunion", "ja": "第5回会議"},
			"time_zone": "Europe/Paris", "start": "2021-03-16", "end": "2021-03-16", "start_time": "10:00", "end_time": "12:00", "status": "planned"}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/events", meeting)
		if code != 201 {
			t.Fatalf("create meeting: %d %s", code, b)
		}
		created := decodeAs[apiEvent](t, b)
		for _, tc := range []struct {
			change       func(m map[string]any)
			field, words string
		}{
			{func(m map[string]any) { m["time_zone"] = "Asia/Edo" }, "time_zone", "Asia/Edo"},
			{func(m map[string]any) { m["end_time"] = "09:00" }, "end_time", "antérieure"},
			{func(m map[string]any) { m["colour"] = "red" }, "colour", "inconnu"},
			{func(m map[string]any) { m["start"] = "16/03/2021" }, "", "AAAA-MM-JJ"},
		} {
			m := map[string]any{}
			for k, v := range meeting {
				m[k] = v
			}
			tc.change(m)
			code, b, _ := f.call(t, sec, "POST", "/api/v1/events", m, "Accept-Language", "fr")
			e := decodeAs[apiError](t, b)
			if code != 400 || e.Error.Field != tc.field || !strings.Contains(e.Error.Message, tc.words) {
				t.Errorf("bad meeting (%s): %d %s, want 400 on %q saying %q", tc.field, code, b, tc.field, tc.words)
			}
		}
		if code, _, _ := f.call(t, member, "POST", "/api/v1/events", meeting); code != 403 {
			t.Errorf("committee member creating an event: %d, want 403", code)
		}
		if code, _, _ := f.call(t, contact, "GET", "/api/v1/events/"+strconv.FormatInt(created.ID, 10), nil); code != 404 {
			t.Errorf("contact reading a committee meeting: %d, want 404", code)
		}
		if code, _, _ := f.call(t, member, "GET", "/api/v1/events/"+strconv.FormatInt(created.ID, 10), nil); code != 200 {
			t.Errorf("member reading its committee's meeting: %d, want 200", code)
		}

		// Moving it by PUT records the move.
		meeting["start"], meeting["end"], meeting["reason"] = "2021-03-23", "2021-03-23", map[string]string{"fr": "Grève des transports"}
		code, b, _ = f.call(t, sec, "PUT", "/api/v1/events/"+strconv.FormatInt(created.ID, 10), meeting)
		moved := decodeAs[apiEvent](t, b)
		if code != 200 || len(moved.DateChanges) != 1 || moved.Status != rencontres.Postponed {
			t.Errorf("move: %d %s", code, b)
		}

		// An edition moved off its series' rhythm is saved with a warning.
		ev8, err := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 8)
		if err != nil {
			t.Fatal(err)
		}
		_, b, _ = f.call(t, sec, "GET", "/api/v1/events/"+strconv.FormatInt(ev8.ID, 10), nil)
		edition := decodeAs[map[string]any](t, b)
		delete(edition, "id")
		delete(edition, "date_changes")
		delete(edition, "series")
		delete(edition, "number")
		delete(edition, "edition_id")
		delete(edition, "title")
		edition["start"], edition["end"] = "2025-11-17", "2025-11-20"
		code, b, _ = f.call(t, sec, "PUT", "/api/v1/events/"+strconv.FormatInt(ev8.ID, 10), edition, "Accept-Language", "fr")
		if moved := decodeAs[apiEvent](t, b); code != 200 || len(moved.Warnings) != 1 || !strings.Contains(moved.Warnings[0], "2024") {
			t.Errorf("edition off its rhythm: %d %s, want a warning expecting 2024", code, b)
		}

		// Sessions: a clash is refused with the other session named.
		path := "/api/v1/events/" + strconv.FormatInt(f.edition, 10)
		code, b, _ = f.call(t, rencontres.Public, "GET", path+"/sessions", nil)
		sessions := decodeAs[struct{ Sessions []rencontres.Session }](t, b).Sessions
		if code != 200 || len(sessions) < 5 {
			t.Fatalf("sessions: %d, %d", code, len(sessions))
		}
		first := sessions[1] // the opening session, in the auditorium
		clash := map[string]any{"kind": "workshop", "title": map[string]string{"fr": "Atelier surprise"}, "start": first.Start, "end": first.End, "room": first.RoomID}
		code, b, _ = f.call(t, sec, "POST", path+"/sessions", clash, "Accept-Language", "ja")
		if e := decodeAs[apiError](t, b); code != 409 || e.Error.Field != "room" || !strings.Contains(e.Error.Message, first.Title["ja"]) {
			t.Errorf("room clash: %d %s, want 409 naming %q", code, b, first.Title["ja"])
		}
		delete(clash, "room")
		code, b, _ = f.call(t, sec, "POST", path+"/sessions", clash)
		if code != 201 {
			t.Fatalf("session without a room: %d %s", code, b)
		}
		added := decodeAs[rencontres.Session](t, b)
		if code, _, _ := f.call(t, sec, "DELETE", path+"/sessions/"+strconv.FormatInt(added.ID, 10), nil); code != 204 {
			t.Errorf("delete session: %d", code)
		}

		// The calendar of the edition, in Japanese.
		code, b, h := f.call(t, rencontres.Public, "GET", path+"/calendar.ics?lang=ja", nil)
		if code != 200 || h.Get("Content-Type") != "text/calendar; charset=utf-8" || !bytes.Contains(b, []byte("DTSTART;TZID=Europe/Paris:20221004T093000\r\n")) ||
			!bytes.Contains(b, []byte("SUMMARY:開会式")) || !bytes.Contains(b, []byte("BEGIN:VTIMEZONE")) {
			t.Errorf("calendar: %d %s\n%s", code, h.Get("Content-Type"), b)
		}

		// Agenda, decisions and documents of the meeting.
		mpath := "/api/v1/events/" + strconv.FormatInt(created.ID, 10)
		code, b, _ = f.call(t, sec, "POST", mpath+"/agenda", map[string]any{"title": map[string]string{"fr": "Programme prévisionnel"}, "presenter": "Sophie MARCHAND", "organisation": "inst-cuf"})
		if code != 201 {
			t.Fatalf("agenda item: %d %s", code, b)
		}
		item := decodeAs[rencontres.AgendaItem](t, b)
		code, b, _ = f.call(t, sec, "POST", mpath+"/decisions", map[string]any{"text": map[string]string{"fr": "Relancer les collectivités"}, "owner": "Sophie MARCHAND"})
		if code != 201 {
			t.Fatalf("decision: %d %s", code, b)
		}
		upload := func(name string, data []byte) (int, []byte) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			part, _ := w.CreateFormFile("file", name)
			part.Write(data)
			w.WriteField("agenda_item", strconv.FormatInt(item.ID, 10))
			w.WriteField("title_fr", "Ordre du jour")
			w.Close()
			req, _ := http.NewRequest("POST", f.srv.URL+mpath+"/documents", &buf)
			req.Header.Set("Content-Type", w.FormDataContentType())
			req.Header.Set("Accept-Language", "fr")
			req.AddCookie(f.session(t, sec))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, b
		}
		code, b = upload("ordre-du-jour.pdf", pngBytes)
		if e := decodeAs[apiError](t, b); code != 400 || e.Error.Field != "file" || !strings.Contains(e.Error.Message, "image/png") {
			t.Errorf("a PNG named .pdf: %d %s", code, b)
		}
		code, b = upload("ordre-du-jour.pdf", pdfBytes)
		if code != 201 {
			t.Fatalf("upload: %d %s", code, b)
		}
		doc := decodeAs[rencontres.Document](t, b)
		docPath := "/api/v1/documents/" + strconv.FormatInt(doc.ID, 10)
		for role, want := range map[rencontres.Role]int{sec: 200, member: 200, contact: 404, rencontres.Public: 404} {
			code, b, h := f.call(t, role, "GET", docPath, nil)
			if code != want || want == 200 && (!bytes.Equal(b, pdfBytes) || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment")) {
				t.Errorf("%s downloading the document: %d %s, want %d", role, code, h.Get("Content-Type"), want)
			}
		}
		// The 9th edition gets its French committee, then a seat on it.
		ev9, _ := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 9)
		code, b, _ = f.call(t, sec, "POST", "/api/v1/committees", map[string]any{"edition_id": ev9.ID, "kind": "french",
			"name": map[string]string{"fr": "Comité de pilotage français des 9e Rencontres", "ja": "第9回フランス側運営委員会"}})
		if code != 201 {
			t.Fatalf("create committee: %d %s", code, b)
		}
		cuf := decodeAs[struct {
			ID     int64
			Number int
		}](t, b)
		code, b, _ = f.call(t, sec, "POST", "/api/v1/committees/"+strconv.FormatInt(cuf.ID, 10)+"/members", map[string]any{"person": "Lucie BERNARD", "role": "chair", "organisation": "fr-06029", "mandate_start": "2025-01-01"})
		if code != 201 || cuf.Number != 9 {
			t.Errorf("seat on the new committee: %d %s", code, b)
		}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/committees", map[string]any{"edition_id": ev9.ID, "kind": "regional", "name": map[string]string{"fr": "X"}})
		if e := decodeAs[apiError](t, b); code != 400 || e.Error.Field != "kind" {
			t.Errorf("a committee of an unknown kind: %d %s", code, b)
		}
		code, b, _ = f.call(t, member, "GET", "/api/v1/committees", nil)
		if cs := decodeAs[struct{ Committees []struct{ ID int64 } }](t, b).Committees; code != 200 || len(cs) != 1 || cs[0].ID != f.committee {
			t.Errorf("member's committees: %d %s", code, b)
		}
	})
}

var (
	pdfBytes = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
)

// The event form explains every refusal next to its field and keeps what
// was typed; an edition moved off its rhythm asks for confirmation.
func TestEventForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		post := func(path string, form url.Values) (int, string, string) {
			req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(f.session(t, rencontres.Secretariat))
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b), resp.Header.Get("Location")
		}
		form := url.Values{"kind": {"committee_meeting"}, "committee": {strconv.FormatInt(f.committee, 10)}, "title_fr": {"Réunion de rentrée"},
			"title_ja": {"秋の会議"}, "time_zone": {"Europe/Paris"}, "start": {"2021-09-07"}, "start_time": {"14:30"}, "end_time": {"13:00"}}
		code, body, _ := post("/fr/manage/events", form)
		if code != 400 || !strings.Contains(body, `id="end_time-error">La date de fin est antérieure`) || !strings.Contains(body, `value="Réunion de rentrée"`) {
			t.Errorf("end before start: %d, want 400 with the message by the field and the title kept", code)
		}
		form.Set("end_time", "16:00")
		form.Set("time_zone", "Europe/Lutèce")
		code, body, _ = post("/ja/manage/events", form)
		if code != 400 || !strings.Contains(body, "タイムゾーン") && !strings.Contains(body, "Europe/Lutèce") {
			t.Errorf("bad zone in Japanese: %d", code)
		}
		form.Set("time_zone", "Europe/Paris")
		code, _, loc := post("/fr/manage/events", form)
		if code != 303 || !strings.Contains(loc, "/fr/events/") {
			t.Fatalf("create: %d %s", code, loc)
		}
		// An edition moved to 2025 breaks the biennial rhythm: flagged first.
		ev8, _ := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 8)
		edit := url.Values{"time_zone": {"Asia/Tokyo"}, "start": {"2025-11-17"}, "end": {"2025-11-20"}, "status": {"planned"}, "date_change": {"postponement"}}
		path := "/fr/events/" + strconv.FormatInt(ev8.ID, 10)
		code, body, _ = post(path, edit)
		if code != 409 || !strings.Contains(body, "attendait en 2024") || !strings.Contains(body, `name="confirm_rhythm"`) {
			t.Errorf("rhythm break: %d, want 409 asking to confirm", code)
		}
		if e, _ := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 8); e.Start.Year != 2024 {
			t.Errorf("the unconfirmed move was saved: %v", e.Start)
		}
		edit.Set("confirm_rhythm", "1")
		edit.Set("reason_fr", "Élections municipales")
		if code, _, _ = post(path, edit); code != 303 {
			t.Errorf("confirmed move: %d", code)
		}
		if e, _ := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 8); e.Start.Year != 2025 || len(e.DateChanges) != 1 || e.DateChanges[0].Reason["fr"] != "Élections municipales" {
			t.Errorf("after the confirmed move: %+v", e)
		}
		// A new edition off the rhythm is flagged too; confirmed, it is made.
		next := url.Values{"kind": {"edition"}, "series": {"rencontres-franco-japonaises"}, "time_zone": {"Asia/Tokyo"},
			"start": {"2027-10-18"}, "end": {"2027-10-21"}}
		code, body, _ = post("/fr/manage/events", next)
		if code != 409 || !strings.Contains(body, "l’attendait en 2028") {
			t.Errorf("new edition off the rhythm: %d, want 409 expecting 2028", code)
		}
		next.Set("confirm_rhythm", "1")
		if code, _, loc := post("/fr/manage/events", next); code != 303 {
			t.Errorf("confirmed new edition: %d %s", code, loc)
		}
		if e, err := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 10); err != nil || e.Year != 2027 {
			t.Errorf("10th edition = %+v, %v", e, err)
		}
		// The 9th edition gets its joint committee from its event page.
		ev9, _ := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 9)
		cpath := "/fr/events/" + strconv.FormatInt(ev9.ID, 10) + "/committees"
		if code, body, _ := post(cpath, url.Values{"committee_kind": {"joint"}}); code != 400 || !strings.Contains(body, "obligatoire") {
			t.Errorf("committee without a name: %d, want 400 saying the name is required", code)
		}
		if code, _, _ := post(cpath, url.Values{"committee_kind": {"joint"}, "name_fr": {"COPIL mixte des 9e Rencontres"}, "name_ja": {"第9回日仏合同運営委員会"}}); code != 303 {
			t.Errorf("add committee: %d", code)
		}
		if e, _ := f.st.Edition(t.Context(), "rencontres-franco-japonaises", 9); len(e.Committees) != 1 || e.Committees[0].Kind != "joint" {
			t.Errorf("9th edition committees = %+v", e.Committees)
		}
		// A session whose speaker is elsewhere is refused, naming where.
		session := url.Values{"kind": {"workshop"}, "title_fr": {"Atelier numérique"}, "day": {"2022-10-04"}, "start": {"10:00"}, "end": {"11:00"},
			"speakers": {"Nadia BENSAÏD | speaker | fr-13001"}}
		code, body, _ = post("/fr/events/"+strconv.FormatInt(f.edition, 10)+"/sessions", session)
		if i := strings.Index(body, `class="error"`); i > 0 && code != 409 {
			t.Logf("timetable says: %s", regexp.MustCompile(`<p class="error"[^>]*>[^<]*`).FindAllString(body, -1))
		}
		if code != 409 || !strings.Contains(body, "Nadia BENSAÏD intervient déjà à ce moment dans «\u00a0Séance d’ouverture\u00a0»") {
			t.Errorf("speaker clash in the timetable: %d", code)
		}
		session.Set("speakers", "Nadia BENSAÏD | keynote")
		code, body, _ = post("/fr/events/"+strconv.FormatInt(f.edition, 10)+"/sessions", session)
		if code != 400 || !strings.Contains(body, "Ligne 1 des intervenants") {
			t.Errorf("bad speaker line: %d", code)
		}
	})
}

// Every API route is in openapi.json, with its method.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	_, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/openapi.json", nil)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	// The documented path names {id} what a route names {event}.
	rename := strings.NewReplacer("{event}", "{id}")
	n := 0
	for _, route := range f.routes {
		parts := strings.Fields(route)
		if !strings.HasPrefix(parts[1], "/api/") {
			continue
		}
		n++
		if _, ok := doc.Paths[rename.Replace(parts[1])][strings.ToLower(parts[0])]; !ok {
			t.Errorf("openapi.json does not document %s %s", parts[0], parts[1])
		}
	}
	if n < 30 {
		t.Errorf("only %d API routes walked", n)
	}
	if _, ok := doc.Paths["/healthz"]["get"]; !ok {
		t.Error("openapi.json does not document GET /healthz")
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
}
