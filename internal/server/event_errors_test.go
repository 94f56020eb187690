package server

import (
	"io"
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

// An event form with several faults shows every one of them at once, each
// next to its field and naming the field by its label, in the reader's
// language, and saves nothing; the API lists the same fields.
func TestEventFormShowsEveryFault(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		post := func(path string, form url.Values) (int, string) {
			t.Helper()
			req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(f.session(t, rencontres.Secretariat))
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		shown := func(body, field string) string {
			m := regexp.MustCompile(`id="` + field + `-error">([^<]*)<`).FindStringSubmatch(body)
			if m == nil {
				return ""
			}
			return m[1]
		}
		count := func() int {
			es, err := st.Events(t.Context(), rencontres.EventFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(es)
		}
		before := count()
		// Three faults: no title, an unknown time zone, an hour that is
		// not a clock time.
		form := url.Values{"kind": {"committee_meeting"}, "committee": {strconv.FormatInt(f.committee, 10)},
			"time_zone": {"Europe/Lutèce"}, "start": {"2021-09-07"}, "start_time": {"25:99"}, "end_time": {"16:00"}}
		want := map[string]map[string][]string{
			"fr": {"title": {"Le champ «\u00a0Titre\u00a0» est obligatoire."}, "time_zone": {"Europe/Lutèce", "n’existe pas"}, "start_time": {"25:99", "HH:MM"}},
			"ja": {"title": {"「タイトル」は必須です。"}, "time_zone": {"Europe/Lutèce", "存在しません"}, "start_time": {"25:99", "HH:MM"}},
		}
		check := func(what, lang, body string, code int) {
			t.Helper()
			if code != 400 {
				t.Errorf("%s in %s: %d, want 400", what, lang, code)
			}
			for field, words := range want[lang] {
				msg := shown(body, field)
				for _, w := range words {
					if !strings.Contains(msg, w) {
						t.Errorf("%s in %s: next to %s %q, want it to say %q", what, lang, field, msg, w)
					}
				}
				if strings.Contains(msg, field) {
					t.Errorf("%s in %s: %q names the field by its internal name", what, lang, msg)
				}
			}
		}
		for _, lang := range []string{"fr", "ja"} {
			code, body := post("/"+lang+"/manage/events", form)
			check("new event", lang, body, code)
		}
		if n := count(); n != before {
			t.Errorf("%d events after the refused forms, want %d", n, before)
		}

		// The same faults in the form of an existing meeting: all shown,
		// the meeting unchanged.
		ok := url.Values{"kind": {"committee_meeting"}, "committee": {strconv.FormatInt(f.committee, 10)}, "title_fr": {"Réunion de rentrée"},
			"time_zone": {"Europe/Paris"}, "start": {"2021-09-07"}, "start_time": {"14:30"}, "end_time": {"16:00"}}
		if code, _ := post("/fr/manage/events", ok); code != 303 {
			t.Fatalf("create: %d", code)
		}
		es, _ := st.Events(t.Context(), rencontres.EventFilter{CommitteeID: f.committee})
		var id int64
		for _, e := range es {
			if e.Title["fr"] == "Réunion de rentrée" {
				id = e.ID
			}
		}
		if id == 0 {
			t.Fatal("the meeting made is not listed")
		}
		for _, lang := range []string{"fr", "ja"} {
			code, body := post("/"+lang+"/events/"+strconv.FormatInt(id, 10), form)
			check("edited event", lang, body, code)
		}
		if e, err := st.Event(t.Context(), id); err != nil || e.Title["fr"] != "Réunion de rentrée" || e.TimeZone != "Europe/Paris" || e.StartTime != "14:30" {
			t.Errorf("after the refused edits: %+v, %v", e, err)
		}

		// The API answers the same body with the list of the three fields.
		body := map[string]any{"kind": "committee_meeting", "committee_id": f.committee, "time_zone": "Europe/Lutèce",
			"start": "2021-09-07", "end": "2021-09-07", "start_time": "25:99", "end_time": "16:00", "status": "planned"}
		code, b, _ := f.call(t, rencontres.Secretariat, "POST", "/api/v1/events", body, "Accept-Language", "fr")
		e := decodeAs[struct {
			Error struct {
				Errors []struct{ Field, Message string }
			}
		}](t, b)
		fields := map[string]string{}
		for _, fe := range e.Error.Errors {
			fields[fe.Field] = fe.Message
		}
		if code != 400 || len(fields) != 3 || !strings.Contains(fields["title"], "Titre") || !strings.Contains(fields["time_zone"], "Europe/Lutèce") || !strings.Contains(fields["start_time"], "25:99") {
			t.Errorf("API: %d %s, want 400 listing title, time_zone and start_time", code, b)
		}
		if n := count(); n != before+1 {
			t.Errorf("%d events after the refused API call, want %d", n, before+1)
		}
	})
}
