package server

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The series form: every error shown at once next to its field, in the
// reader's language, the form kept and nothing saved; organisations found
// by name, a name several have offered as candidates; then the series
// created, listed in the menu, and edited.
func TestSeriesForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		before, _ := st.AllSeries(ctx)
		bad := url.Values{"slug": {"Pays Bas"}, "rhythm": {"weekly"}, "short_fr": {"Assises"},
			"co_organiser": {"Cités Unies France", "Nowhere-sur-Mer"}, "patron": {"Kumamoto"}}
		code, body, _ := f.post(t, "/fr/manage/series", bad)
		if code != 400 {
			t.Errorf("bad series: %d, want 400", code)
		}
		for _, want := range []string{
			`id="slug-error">L&#39;identifiant ne doit contenir`, // the field's own error
			`id="name-error">`, `Aucune organisation de l’annuaire ne porte le nom «` + "\u00a0" + `Nowhere-sur-Mer`,
			`id="co_organiser.1-error"`, `id="patron.0-error">Plusieurs organisations portent le nom`,
			`<option value="Kumamoto (jp-431001)">`, `value="Assises"`, `value="Nowhere-sur-Mer"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused form does not show %q", want)
			}
		}
		if after, _ := st.AllSeries(ctx); len(after) != len(before) {
			t.Errorf("a refused series was saved: %d series, want %d", len(after), len(before))
		}
		// In Japanese, the messages are Japanese.
		if _, body, _ := f.post(t, "/ja/manage/series", bad); !strings.Contains(body, "「Nowhere-sur-Mer」という団体はありません") {
			t.Errorf("the Japanese form does not explain the unknown organisation")
		}

		good := url.Values{"name_fr": {"Assises franco-néerlandaises"}, "name_ja": {"日蘭自治体会議"}, "short_fr": {"Assises"},
			"rhythm": {"biennial"}, "alternating": {"1"}, "co_organiser": {"Cités Unies France", ""}, "patron": {"Kumamoto (jp-431001)"}}
		code, _, h := f.post(t, "/fr/manage/series", good)
		if code != 303 || !strings.Contains(h.Get("Location"), "/fr/manage/series") {
			t.Fatalf("create: %d %s", code, h.Get("Location"))
		}
		se, err := st.Series(ctx, "assises-franco-neerlandaises")
		if err != nil {
			t.Fatalf("the slug is proposed from the French name: %v", err)
		}
		if se.Rhythm != rencontres.Biennial || !se.Alternating || len(se.Organisations) != 2 ||
			se.Organisations[0].OrgKey != "inst-cuf" || se.Organisations[1].OrgKey != "jp-431001" || se.Organisations[1].Role != rencontres.Patron {
			t.Errorf("series stored = %+v", se)
		}
		code, b, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/manage/series", nil)
		if code != 200 || !strings.Contains(string(b), `href="/fr/series/assises-franco-neerlandaises">Assises</a>`) ||
			!strings.Contains(string(b), `/fr/manage/series/assises-franco-neerlandaises/edit`) {
			t.Errorf("the menu and the list do not show the new series (%d)", code)
		}
		// The same slug again is refused on its field.
		if code, body, _ := f.post(t, "/fr/manage/series", good); code != 409 || !strings.Contains(body, `id="slug-error">Une série a déjà l’identifiant`) {
			t.Errorf("slug taken: %d", code)
		}
		// Edited: the form shows what is stored; a field emptied is refused.
		code, b, _ = f.call(t, rencontres.Secretariat, "GET", "/fr/manage/series/assises-franco-neerlandaises/edit", nil)
		if code != 200 || !strings.Contains(string(b), `value="Cités Unies France (inst-cuf)"`) {
			t.Errorf("edit form: %d", code)
		}
		good.Del("name_fr")
		good.Del("name_ja")
		if code, _, _ := f.post(t, "/fr/manage/series/assises-franco-neerlandaises", good); code != 400 {
			t.Errorf("series without a name: %d, want 400", code)
		}
		good.Set("name_fr", "Assises franco-néerlandaises de la coopération")
		good.Set("rhythm", "irregular")
		good.Del("patron")
		if code, _, _ := f.post(t, "/fr/manage/series/assises-franco-neerlandaises", good); code != 303 {
			t.Errorf("update: %d", code)
		}
		if se, _ := st.Series(ctx, "assises-franco-neerlandaises"); se.Rhythm != rencontres.Irregular || len(se.Organisations) != 1 {
			t.Errorf("after update: %+v", se)
		}
	})
}

// POST, PUT and PATCH /api/v1/series: bad input refused with the field at
// fault, a series created with its organisations, changed in part.
func TestSeriesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		for _, c := range []struct {
			body        any
			status      int
			field, code string
		}{
			{map[string]any{"slug": "x y", "rhythm": "annual", "name": map[string]string{"fr": "X"}}, 400, "slug", rencontres.EINVALID},
			{map[string]any{"slug": "assises", "rhythm": "weekly", "name": map[string]string{"fr": "X"}}, 400, "rhythm", rencontres.EINVALID},
			{map[string]any{"slug": "assises", "rhythm": "annual"}, 400, "name", rencontres.EINVALID},
			{map[string]any{"slug": "assises", "rhythm": "annual", "name": map[string]string{"fr": "X"},
				"organisations": []map[string]string{{"role": "patron", "organisation": "inst-nowhere"}}}, 400, "organisations[0].organisation", rencontres.EINVALID},
			{map[string]any{"slug": "raict", "rhythm": "annual", "name": map[string]string{"fr": "X"}}, 409, "slug", rencontres.ECONFLICT},
			{map[string]any{"slug": "assises", "rythm": "annual"}, 400, "rythm", rencontres.EINVALID},
		} {
			code, b, _ := f.call(t, sec, "POST", "/api/v1/series", c.body)
			e := decodeAs[apiError](t, b)
			if code != c.status || e.Error.Field != c.field || e.Error.Code != c.code || e.Error.Message == "" {
				t.Errorf("POST %v: %d %+v, want %d on %q", c.body, code, e.Error, c.status, c.field)
			}
		}
		if _, err := st.Series(context.Background(), "assises"); err == nil {
			t.Errorf("a refused series was stored")
		}
		if code, _, _ := f.call(t, rencontres.Public, "POST", "/api/v1/series", map[string]any{"slug": "assises"}); code != 401 {
			t.Errorf("public POST: %d, want 401", code)
		}
		body := map[string]any{"slug": "assises", "rhythm": "irregular", "alternating": true,
			"name":          map[string]string{"fr": "Assises franco-japonaises", "ja": "日仏会議"},
			"organisations": []map[string]string{{"role": "co_organiser", "organisation": "inst-cuf"}, {"role": "patron", "organisation": "inst-meae"}}}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/series", body)
		got := decodeAs[rencontres.Series](t, b)
		if code != 201 || got.Slug != "assises" || len(got.Organisations) != 2 || got.Organisations[1].OrgKey != "inst-meae" {
			t.Fatalf("create: %d %s", code, b)
		}
		code, b, _ = f.call(t, sec, "PATCH", "/api/v1/series/assises", map[string]any{"name": map[string]string{"en": "Franco-Japanese Assizes"}})
		got = decodeAs[rencontres.Series](t, b)
		if code != 200 || got.Name["fr"] != "Assises franco-japonaises" || got.Name["en"] != "Franco-Japanese Assizes" || len(got.Organisations) != 2 {
			t.Errorf("patch: %d %s", code, b)
		}
		code, b, _ = f.call(t, sec, "PUT", "/api/v1/series/assises", map[string]any{"slug": "other", "rhythm": "annual", "name": map[string]string{"fr": "X"}})
		if e := decodeAs[apiError](t, b); code != 400 || e.Error.Field != "slug" {
			t.Errorf("PUT changing the slug: %d %s", code, b)
		}
		code, b, _ = f.call(t, sec, "PUT", "/api/v1/series/assises", map[string]any{"rhythm": "annual", "name": map[string]string{"fr": "Assises"}})
		got = decodeAs[rencontres.Series](t, b)
		if code != 200 || got.Rhythm != rencontres.Annual || len(got.Organisations) != 0 || got.Name["ja"] != "" {
			t.Errorf("PUT replaces the whole series: %d %s", code, b)
		}
		if code, _, _ := f.call(t, sec, "PATCH", "/api/v1/series/nowhere", map[string]any{}); code != 404 {
			t.Errorf("PATCH of no series: %d", code)
		}
	})
}

// A new edition gets its host authority by name and keeps its title; a
// change of its dates asks whether it is a correction or a postponement,
// and the public history leaves corrections out.
func TestEditionHostTitleAndDateChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		form := url.Values{"kind": {"edition"}, "series": {"raict"}, "host": {"Kumamoto"}, "title_fr": {"RAICT 2027 à Nancy"},
			"time_zone": {"Europe/Paris"}, "start": {"2027-09-20"}, "end": {"2027-09-21"}, "start_time": {"09:00"}, "end_time": {"18:00"}}
		code, body, _ := f.post(t, "/fr/manage/events", form)
		if code != 400 || !strings.Contains(body, `id="host-error">Plusieurs organisations portent le nom`) ||
			!strings.Contains(body, `<option value="Kumamoto (jp-430005)">`) || !strings.Contains(body, `value="RAICT 2027 à Nancy"`) {
			t.Errorf("ambiguous host: %d, want 400 offering the candidates with the title kept", code)
		}
		n := func() int { eds, _ := st.Editions(ctx, rencontres.EditionFilter{Series: "raict"}); return len(eds) }
		count := n()
		form.Set("host", "Nancy")
		form.Set("confirm_rhythm", "1")
		code, _, h := f.post(t, "/fr/manage/events", form)
		if code != 303 || n() != count+1 {
			t.Fatalf("create the edition: %d %s", code, h.Get("Location"))
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(strings.Split(h.Get("Location"), "?")[0], "/fr/events/"), 10, 64)
		ev, err := st.Event(ctx, id)
		if err != nil || ev.Host != "fr-54395" || ev.Title["fr"] != "RAICT 2027 à Nancy" {
			t.Fatalf("edition stored = %+v, %v", ev, err)
		}
		_, b, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/events/"+strconv.FormatInt(id, 10), nil)
		if !strings.Contains(string(b), "RAICT 2027 à Nancy") || !strings.Contains(string(b), `href="/fr/organisations/fr-54395"`) {
			t.Errorf("the event page does not show the typed title and the host")
		}
		_, b, _ = f.call(t, rencontres.Secretariat, "GET", "/fr/events/"+strconv.FormatInt(id, 10)+"/edit", nil)
		if !strings.Contains(string(b), `value="Nancy (fr-54395)"`) || !strings.Contains(string(b), `value="RAICT 2027 à Nancy"`) {
			t.Errorf("the edit form does not show the host and title stored")
		}

		// New dates without saying what they are: asked, nothing saved.
		path := "/fr/events/" + strconv.FormatInt(id, 10)
		edit := url.Values{"time_zone": {"Europe/Paris"}, "start": {"2027-09-21"}, "end": {"2027-09-22"}, "start_time": {"09:00"}, "end_time": {"18:00"},
			"status": {"planned"}, "host": {"Nancy (fr-54395)"}, "title_fr": {"RAICT 2027 à Nancy"}, "confirm_rhythm": {"1"}}
		code, body, _ = f.post(t, path, edit)
		if code != 400 || !strings.Contains(body, `id="date_change-error">Les dates ont changé`) {
			t.Errorf("dates changed without a kind: %d, want 400 asking", code)
		}
		if ev, _ := st.Event(ctx, id); ev.Start.Day != 20 {
			t.Errorf("the unqualified change was saved: %v", ev.Start)
		}
		edit.Set("date_change", "correction")
		if code, _, _ := f.post(t, path, edit); code != 303 {
			t.Fatalf("correction: %d", code)
		}
		ev, _ = st.Event(ctx, id)
		if len(ev.DateChanges) != 1 || ev.DateChanges[0].Kind != rencontres.Correction || ev.Status != rencontres.Planned {
			t.Errorf("after the correction: %s %+v", ev.Status, ev.DateChanges)
		}
		_, b, _ = f.call(t, rencontres.Secretariat, "GET", path, nil)
		if !strings.Contains(string(b), "Dates corrigées") || strings.Contains(string(b), "reportées") {
			t.Errorf("the event page does not show the correction as one")
		}
		ed, _ := st.Edition(ctx, "raict", ev.Number)
		edPath := "/fr/series/raict/" + strconv.Itoa(ed.Number)
		if _, b, _ := f.call(t, rencontres.Public, "GET", edPath, nil); strings.Contains(string(b), "Dates corrigées") || strings.Contains(string(b), "reportées") {
			t.Errorf("the public history shows the correction")
		}
		edit.Set("start", "2027-10-04")
		edit.Set("end", "2027-10-05")
		edit.Set("date_change", "postponement")
		if code, _, _ := f.post(t, path, edit); code != 303 {
			t.Fatalf("postponement: %d", code)
		}
		if ev, _ := st.Event(ctx, id); len(ev.DateChanges) != 2 || ev.DateChanges[1].Kind != rencontres.Postponement || ev.Status != rencontres.Postponed {
			t.Errorf("after the postponement: %s %+v", ev.Status, ev.DateChanges)
		}
		if _, b, _ := f.call(t, rencontres.Public, "GET", edPath+"?again", nil); !strings.Contains(string(b), "reportées") || strings.Contains(string(b), "Dates corrigées") {
			t.Errorf("the public history does not show the postponement alone")
		}

		// Through the API, a correction is said so.
		code, b, _ = f.call(t, rencontres.Secretariat, "PUT", "/api/v1/events/"+strconv.FormatInt(id, 10), map[string]any{
			"kind": "edition", "time_zone": "Europe/Paris", "start": "2027-10-05", "end": "2027-10-06", "status": "postponed",
			"host": "fr-54395", "date_change": "correction"})
		got := decodeAs[apiEvent](t, b)
		if code != 200 || len(got.DateChanges) != 3 || got.DateChanges[2].Kind != rencontres.Correction || got.Host != "fr-54395" {
			t.Errorf("API correction: %d %s", code, b)
		}
		code, b, _ = f.call(t, rencontres.Secretariat, "PUT", "/api/v1/events/"+strconv.FormatInt(id, 10), map[string]any{
			"kind": "edition", "time_zone": "Europe/Paris", "start": "2027-10-06", "end": "2027-10-07", "status": "postponed", "date_change": "typo"})
		if e := decodeAs[apiError](t, b); code != 400 || e.Error.Field != "date_change" {
			t.Errorf("API bad kind: %d %s", code, b)
		}

		// The Paris meeting, read in Tokyo, ends the next day.
		code, b, _ = f.call(t, rencontres.Secretariat, "POST", "/api/v1/events", map[string]any{
			"kind": "meeting", "title": map[string]string{"fr": "1re réunion du COPIL français"}, "time_zone": "Europe/Paris",
			"start": "2023-09-18", "end": "2023-09-18", "start_time": "16:30", "end_time": "18:00", "status": "planned"})
		meeting := decodeAs[apiEvent](t, b)
		if code != 201 {
			t.Fatalf("meeting: %d %s", code, b)
		}
		for lang, want := range map[string]string{"fr": "de 23h30 à 1h00 le lendemain", "ja": "23:30〜翌日01:00", "en": "23:30 – 01:00 the next day"} {
			_, b, _ = f.call(t, rencontres.Secretariat, "GET", "/"+lang+"/events/"+strconv.FormatInt(meeting.ID, 10), nil)
			if !strings.Contains(string(b), want) {
				t.Errorf("%s: the meeting's Tokyo hours do not say %q", lang, want)
			}
		}
	})
}

// A published programme read in the other country's zone says which
// sessions end on the next day there.
func TestProgrammeSessionsOnTheNextDay(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	path := "/fr/events/" + strconv.FormatInt(f.edition, 10) + "/programme"
	_, home, _ := f.call(t, rencontres.Public, "GET", path, nil)
	if strings.Contains(string(home), "(le lendemain)") {
		t.Errorf("the programme in its own zone has sessions ending the next day")
	}
	ev, _ := f.st.Event(context.Background(), f.edition)
	zone := "Asia/Tokyo"
	if ev.TimeZone == zone {
		zone = "Europe/Paris"
	}
	code, b, _ := f.call(t, rencontres.Public, "GET", path+"?zone="+zone, nil)
	if code != 200 || !strings.Contains(string(b), "(le lendemain)") && !strings.Contains(string(b), "(la veille)") {
		t.Errorf("the programme read in %s does not say which sessions fall on another day (%d)", zone, code)
	}
}
