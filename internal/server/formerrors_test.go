package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A delegation form with three faults (no family name, a bad address, a
// required question unanswered) shows the three at once, each next to its
// field and naming it by its label, in French and in Japanese; the API
// answers the same list; and nobody is registered.
func TestDelegationFormShowsEveryError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		values := url.Values{"token": {"three-faults"}, "organisation": {"fr-54395"}, "given_name": {"Pauline"}, "family_name": {""},
			"email": {"pauline.renard"}, "lang": {"fr"}, "elected": {"no"}}
		for lang, want := range map[string][]string{
			"fr": {`<p class="error" id="family_name-error">Le champ « Nom » est obligatoire.</p>`,
				`<p class="error" id="email-error">« pauline.renard » n’est pas une adresse électronique valable.</p>`,
				`id="answer_shuttle-error" role="alert">Cette question est obligatoire.</p>`},
			"ja": {`<p class="error" id="family_name-error">「姓」は必須です。</p>`,
				`<p class="error" id="email-error">「pauline.renard」は有効なメールアドレスではありません。</p>`,
				`id="answer_shuttle-error" role="alert">`},
		} {
			page := fmt.Sprintf("/%s/events/%d/delegation", lang, f.edition)
			code, b, _ := f.call(t, rencontres.Secretariat, "POST", page, []byte(values.Encode()), "Content-Type", "application/x-www-form-urlencoded")
			body := string(b)
			if code != 400 {
				t.Errorf("%s: status %d, want 400", lang, code)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the form lacks %s", lang, w)
				}
			}
			if strings.Contains(body, "family_name »") || strings.Contains(body, "「family_name」") {
				t.Errorf("%s: a message names the field by its internal name", lang)
			}
			// Each message sits right after its own input.
			for _, name := range []string{"family_name", "email"} {
				input := strings.Index(body, `<input id="`+name+`"`)
				msg := strings.Index(body, `id="`+name+`-error"`)
				if input < 0 || msg < input || strings.Contains(body[input+1:msg], "<input") {
					t.Errorf("%s: the message of %s is not next to its input", lang, name)
				}
			}
		}

		code, b, _ := f.call(t, rencontres.Secretariat, "POST", fmt.Sprintf("/api/v1/events/%d/registrations?lang=fr", f.edition),
			map[string]any{"organisation": "fr-54395", "given_name": "Pauline", "family_name": "", "email": "pauline.renard", "lang": "fr"})
		got := decodeAs[struct {
			Error struct {
				Code, Field string
				Errors      []struct{ Field, Message string }
			} `json:"error"`
		}](t, b)
		if code != 400 || got.Error.Code != "invalid" || got.Error.Field != "family_name" {
			t.Errorf("API: %d %s", code, b)
		}
		want := map[string]string{"family_name": "Le champ «\u00a0Nom\u00a0» est obligatoire.", "email": "«\u00a0pauline.renard\u00a0» n’est pas une adresse électronique valable.",
			"answers.shuttle": "Cette question est obligatoire."}
		if len(got.Error.Errors) != len(want) {
			t.Errorf("API errors = %+v, want %d", got.Error.Errors, len(want))
		}
		for _, e := range got.Error.Errors {
			if want[e.Field] != e.Message {
				t.Errorf("API error on %s = %q, want %q", e.Field, e.Message, want[e.Field])
			}
		}

		regs, err := st.Registrations(context.Background(), rencontres.RegistrationFilter{EventID: f.edition, Query: "pauline"})
		if err != nil || len(regs) != 0 {
			t.Errorf("a refused form saved %d registration(s) (%v)", len(regs), err)
		}
	})
}

// The registration settings form reports a bad opening, a capacity that
// is not a number and a bad contact address at once, and keeps the form
// as it was.
func TestRegistrationSettingsShowEveryError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		before, err := st.RegistrationForm(ctx, f.edition)
		if err != nil {
			t.Fatal(err)
		}
		values := url.Values{"opens": {"demain"}, "deadline": {"2022-09-09T18:00"}, "capacity": {"beaucoup"}, "max_choices": {"1"}, "contact": {"japon"}}
		code, b, _ := f.call(t, rencontres.Secretariat, "POST", fmt.Sprintf("/fr/events/%d/registration", f.edition), []byte(values.Encode()),
			"Content-Type", "application/x-www-form-urlencoded")
		body := string(b)
		if code != 400 {
			t.Errorf("status %d, want 400: %.2000s", code, body)
		}
		for _, want := range []string{`<p class="error" id="opens-error">«` + "\u00a0" + `demain`, `<p class="error" id="capacity-error">«` + "\u00a0" + `beaucoup`,
			`<p class="error" id="contact-error">«` + "\u00a0" + `japon`} {
			if !strings.Contains(body, want) {
				t.Errorf("the settings form lacks %s", want)
			}
		}
		after, err := st.RegistrationForm(ctx, f.edition)
		if err != nil || after.Contact != before.Contact || after.Capacity != before.Capacity || !after.Opens.Equal(before.Opens) {
			t.Errorf("a refused form changed the settings: %+v → %+v (%v)", before, after, err)
		}
	})
}

// The campaign editor tells every fault at once, each next to its field
// and naming it by its label: a name left empty, a reminder day that is
// not a number, a letter dated after the meeting (a check that needs the
// event) and a field the French letter does not know; nothing is saved.
// The form that starts a campaign tells a missing name and event together,
// and the API lists the same faults in its errors.
func TestCampaignFormShowsEveryError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		ev := f.pagesMeeting(t) // 18 September 2023, registration open for 20 days

		code, page, _ := f.post(t, "/fr/manage/campaigns", url.Values{"name": {""}, "event": {""}})
		if code != 400 {
			t.Errorf("start without name nor event: %d", code)
		}
		for _, want := range []string{`<p class="error" id="name-error">Le champ «` + "\u00a0Nom\u00a0» est obligatoire.</p>",
			`<p class="error" id="event-error">Le champ «` + "\u00a0Événement\u00a0» est obligatoire.</p>"} {
			if !strings.Contains(page, want) {
				t.Errorf("the start form lacks %s", want)
			}
		}

		c := &rencontres.Campaign{EventID: ev.ID, Name: "Invitation au 1er COPIL", Letters: map[rencontres.Lang]json.RawMessage{}}
		for _, l := range rencontres.Langs {
			c.Letters[l], _ = json.Marshal(letter.Default(l))
		}
		if err := f.campaigns.Save(ctx, &rencontres.Actor{User: f.users[rencontres.Secretariat]}, c); err != nil {
			t.Fatal(err)
		}
		form := editorForm(t, c)
		form.Set("name", "")
		form.Set("reminder_days", "7, sept")
		form.Set("letter_date", "2023-12-01")
		form.Set("fr_body", "Madame, Monsieur,\n\nRendez-vous le {{meeting.date}}.")
		want := map[string]map[string]string{
			"fr": {"name": "Le champ «\u00a0Nom\u00a0» est obligatoire.", "reminder_days": "«\u00a0sept\u00a0»",
				"letter_date": "après la fin de l’événement", "fr_body": "«\u00a0meeting.date\u00a0» n’existe pas"},
			"ja": {"name": "「名称」は必須です。", "reminder_days": "「sept」", "letter_date": "イベントの終了日", "fr_body": "meeting.date"},
		}
		for lang, fields := range want {
			code, page, _ := f.post(t, fmt.Sprintf("/%s/campaigns/%d", lang, c.ID), form)
			if code != 400 {
				t.Errorf("%s: status %d, want 400", lang, code)
			}
			for field, words := range fields {
				m := regexp.MustCompile(`id="` + field + `-error">([^<]*)<`).FindStringSubmatch(page)
				if m == nil || !strings.Contains(m[1], words) {
					t.Errorf("%s: next to %s %q, want it to say %q", lang, field, m, words)
				}
			}
			if strings.Contains(page, "« letter_date »") || strings.Contains(page, "reminder_days」") {
				t.Errorf("%s: a message names a field by its internal name", lang)
			}
		}
		if saved, err := st.Campaign(ctx, c.ID); err != nil || saved.Name != c.Name || !saved.LetterDate.IsZero() || strings.Contains(string(saved.Letters["fr"]), "meeting.date") {
			t.Errorf("a refused form changed the campaign: %+v (%v)", saved, err)
		}

		// The API: a reminder before registration opens and a document not
		// the event's join the name and the letter date.
		body := map[string]any{"event_id": ev.ID, "name": "", "letters": c.Letters, "reminder_days": []int{30}, "letter_date": "2023-12-01",
			"documents": []int64{999999}}
		code, b, _ := f.call(t, rencontres.Secretariat, "PUT", fmt.Sprintf("/api/v1/campaigns/%d?lang=fr", c.ID), body)
		got := decodeAs[struct {
			Error struct {
				Code, Field string
				Errors      []struct{ Field, Message string }
			} `json:"error"`
		}](t, b)
		fields := map[string]string{}
		for _, e := range got.Error.Errors {
			fields[e.Field] = e.Message
		}
		if code != 400 || got.Error.Code != "invalid" || len(fields) != 4 || !strings.Contains(fields["name"], "Nom") ||
			!strings.Contains(fields["reminder_days"], "30\u00a0jours") || !strings.Contains(fields["letter_date"], "1er décembre 2023") ||
			!strings.Contains(fields["documents[0]"], "999999") {
			t.Errorf("API: %d %s, want 400 listing name, reminder_days, letter_date and documents[0]", code, b)
		}
		if saved, err := st.Campaign(ctx, c.ID); err != nil || saved.Name != c.Name || len(saved.ReminderDays) != 0 {
			t.Errorf("a refused API call changed the campaign: %+v (%v)", saved, err)
		}
	})
}

// The timetable's session form and a committee's seat form tell their
// faults at once, each next to its field: a title left empty, a start that
// is not a clock time and seats that are not a number; a seat without a
// person, a reading not in kana and a mandate start that is not a date.
// Nothing is saved.
func TestSessionAndSeatFormsShowEveryError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		shown := func(page, field string) string {
			m := regexp.MustCompile(`id="` + field + `-error"[^>]*>([^<]*)<`).FindStringSubmatch(page)
			if m == nil {
				return ""
			}
			return m[1]
		}
		before, _ := st.Sessions(ctx, f.edition)
		session := url.Values{"kind": {"workshop"}, "day": {"2022-10-05"}, "start": {"25:00"}, "end": {"11:00"}, "capacity": {"beaucoup"}}
		code, page, _ := f.post(t, fmt.Sprintf("/fr/events/%d/sessions", f.edition), session)
		if code != 400 {
			t.Errorf("session form: %d, want 400", code)
		}
		for field, want := range map[string]string{"title": "Le champ «\u00a0Titre\u00a0» est obligatoire.", "start": "25:00", "capacity": "Places"} {
			if got := shown(page, field); !strings.Contains(got, want) {
				t.Errorf("session form: next to %s %q, want %q", field, got, want)
			}
		}
		if after, _ := st.Sessions(ctx, f.edition); len(after) != len(before) {
			t.Errorf("a refused session form saved a session: %d → %d", len(before), len(after))
		}

		seat := url.Values{"person": {""}, "kana": {"mori"}, "role": {"member"}, "mandate_start": {"bientôt"}}
		code, page, _ = f.post(t, fmt.Sprintf("/ja/committees/%d/members", f.committee), seat)
		if code != 400 {
			t.Errorf("seat form: %d, want 400", code)
		}
		for field, want := range map[string]string{"person": "「氏名」は必須です。", "kana": "", "mandate_start": "bientôt"} {
			if got := shown(page, field); got == "" || !strings.Contains(got, want) || strings.Contains(got, "mandate_start") {
				t.Errorf("seat form: next to %s %q, want %q", field, got, want)
			}
		}
	})
}

// A document sent with neither file nor title, and an agenda item that is
// not one, is refused with the three faults at once, on the meeting's page
// next to the document's fields, and through the API.
func TestDocumentUploadShowsEveryError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ev := f.pagesMeeting(t)
		send := func(path string) (int, string) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			w.WriteField("agenda_item", "premier")
			w.Close()
			code, b, _ := f.call(t, rencontres.Secretariat, "POST", path, buf.Bytes(), "Content-Type", w.FormDataContentType())
			return code, string(b)
		}
		code, page := send(fmt.Sprintf("/fr/events/%d/documents", ev.ID))
		if code != 400 || !strings.Contains(page, `id="file-error" role="alert">Le champ «`+"\u00a0Document\u00a0» est obligatoire.") ||
			!strings.Contains(page, `id="doc_title-error" role="alert">Donnez un titre`) {
			t.Errorf("upload page: %d, the file's and the title's faults not both shown", code)
		}
		code, b := send(fmt.Sprintf("/api/v1/events/%d/documents?lang=fr", ev.ID))
		got := decodeAs[struct {
			Error struct {
				Errors []struct{ Field, Message string }
			} `json:"error"`
		}](t, []byte(b))
		fields := map[string]bool{}
		for _, e := range got.Error.Errors {
			fields[e.Field] = true
		}
		if code != 400 || !fields["file"] || !fields["title_fr"] || !fields["agenda_item"] {
			t.Errorf("upload API: %d %s, want file, title_fr and agenda_item", code, b)
		}
		if docs, err := st.Documents(context.Background(), ev.ID); err != nil || len(docs) != 0 {
			t.Errorf("a refused upload stored %d document(s) (%v)", len(docs), err)
		}
	})
}
