package server

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"golang.org/x/net/html"
)

// demoMeeting is the demo's meeting that takes registrations (the 3rd
// meeting of the French steering committee of the 7th edition), with a
// form asking two extra questions, and three people registered by two
// authorities, Kumamoto's contact with a name in kanji and kana.
func demoMeeting(t *testing.T, st *store.Store) *rencontres.Event {
	t.Helper()
	ctx := context.Background()
	events, err := st.Events(ctx, rencontres.EventFilter{Kind: rencontres.CommitteeMeeting})
	if err != nil {
		t.Fatal(err)
	}
	var m *rencontres.Event
	for _, e := range events {
		if _, err := st.RegistrationForm(ctx, e.ID); err == nil {
			m = e
		}
	}
	if m == nil {
		t.Fatal("the demo has no meeting that takes registrations")
	}
	f := &rencontres.RegistrationForm{EventID: m.ID, Opens: time.Now().Add(-time.Hour), Deadline: time.Now().Add(24 * time.Hour), MaxChoices: 0,
		Questions: []rencontres.Question{
			{Key: "dinner", Kind: rencontres.YesNoQuestion, Label: rencontres.Text{"fr": "Dîner", "ja": "夕食会", "en": "Dinner"}},
			{Key: "arrival", Kind: rencontres.ChoiceQuestion, Label: rencontres.Text{"fr": "Arrivée", "ja": "到着", "en": "Arrival"},
				Options: []rencontres.Option{{Value: "train", Label: rencontres.Text{"fr": "En train", "ja": "電車", "en": "By train"}},
					{Value: "car", Label: rencontres.Text{"fr": "En voiture", "ja": "車", "en": "By car"}}}},
		}}
	if _, err := st.SaveRegistrationForm(ctx, f); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*rencontres.Registration{
		{OrgKey: "fr-54395", GivenName: "Pauline", FamilyName: "Renard", Function: "Adjointe aux relations internationales", Email: "p.renard@nancy.example.org",
			Lang: rencontres.French, Answers: map[string]string{"dinner": "yes", "arrival": "train"}},
		{OrgKey: "jp-431001", GivenName: "Kenji", FamilyName: "Mori", NameJa: "森 健二", Kana: "もり けんじ", Function: "国際課長", Email: "mori@kumamoto.example.jp",
			Lang: rencontres.Japanese, Answers: map[string]string{"dinner": "no", "arrival": "car"}},
		{OrgKey: "fr-54395", GivenName: "Amélie", FamilyName: "Arnaud", Function: "Chargée de mission", Email: "a.arnaud@nancy.example.org", Lang: rencontres.French},
	} {
		r.EventID = m.ID
		if _, err := st.Register(ctx, r, time.Now(), true); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// A meeting's registrations page is titled by the meeting, never « 0e »,
// shows the answers to the extra questions in the reader's language, and
// links the sign-in sheet; the sheet lists every person with a seat, by
// authority then by name, in French and in Japanese, and parses as HTML.
func TestMeetingRegistrationsAndSignInSheet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := demoMeeting(t, st)
		sec := rencontres.Secretariat

		code, b, _ := f.call(t, sec, "GET", fmt.Sprintf("/fr/events/%d/registrations", m.ID), nil)
		body := string(b)
		if code != 200 || !strings.Contains(body, "<title>Inscriptions — 3e réunion du comité de pilotage français") || strings.Contains(body, "0e") || strings.Contains(body, "0<sup>e") {
			t.Errorf("registrations page (%d) is not titled by the meeting: %.300s", code, body)
		}
		for _, want := range []string{`<th scope="col">Dîner</th><th scope="col">Arrivée</th>`, "<td>Oui</td><td>En train</td>", "<td>Non</td><td>En voiture</td>",
			fmt.Sprintf(`href="/fr/events/%d/signin-sheet"`, m.ID)} {
			if !strings.Contains(body, want) {
				t.Errorf("the registrations page lacks %s", want)
			}
		}
		if strings.Contains(body, "Ateliers et visites") {
			t.Error("a meeting without sessions shows a column of choices")
		}
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/ja/events/%d/registrations", m.ID), nil)
		if code != 200 || !strings.Contains(string(b), "<td>はい</td><td>電車</td>") {
			t.Errorf("the Japanese registrations page (%d) lacks the answers in Japanese", code)
		}

		for lang, want := range map[string][]string{
			// Kumamoto before Nancy, then by name within Nancy.
			"fr": {"<h1 id=\"sheet-title\">3<sup>e</sup> réunion du comité de pilotage français</h1>", ">MORI Kenji<", ">ARNAUD Amélie<", ">RENARD Pauline<"},
			// くまもと before なんし in Japanese, by the kana of the authority.
			"ja": {"<h1 id=\"sheet-title\">第3回フランス側運営委員会</h1>", ">MORI Kenji<", "森 健二（もり けんじ）", ">ARNAUD Amélie<", ">RENARD Pauline<"},
		} {
			code, b, _ := f.call(t, sec, "GET", fmt.Sprintf("/%s/events/%d/signin-sheet", lang, m.ID), nil)
			body := string(b)
			if code != 200 {
				t.Fatalf("%s sign-in sheet: %d", lang, code)
			}
			at := 0
			for _, w := range want {
				i := strings.Index(body[at:], w)
				if i < 0 {
					t.Errorf("%s sign-in sheet: %s missing or out of order", lang, w)
					continue
				}
				at += i
			}
			if n := strings.Count(body, `<td class="signature"></td>`); n != 3 {
				t.Errorf("%s sign-in sheet has %d rows to sign, want 3", lang, n)
			}
			if _, err := html.Parse(strings.NewReader(body)); err != nil {
				t.Errorf("%s sign-in sheet does not parse: %v", lang, err)
			}
		}
		if code, _, _ := f.call(t, rencontres.AuthorityContact, "GET", fmt.Sprintf("/fr/events/%d/signin-sheet", m.ID), nil); code != 403 && code != 404 {
			t.Errorf("an authority contact opens the sign-in sheet: %d", code)
		}

		// An edition's sheet lists every confirmed person of its demo.
		people, err := st.Registrations(context.Background(), rencontres.RegistrationFilter{EventID: f.edition, Status: rencontres.Confirmed})
		if err != nil || len(people) == 0 {
			t.Fatalf("7th edition's people: %d %v", len(people), err)
		}
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/fr/events/%d/signin-sheet", f.edition), nil)
		if n := strings.Count(string(b), `<td class="signature"></td>`); code != 200 || n != len(people) {
			t.Errorf("the 7th edition's sheet (%d) has %d rows, want %d", code, n, len(people))
		}
		for _, p := range people {
			if !strings.Contains(string(b), html.EscapeString(strings.ToUpper(p.FamilyName)+" "+p.GivenName)) {
				t.Errorf("the 7th edition's sheet lacks %s %s", p.GivenName, p.FamilyName)
			}
		}
	})
}

// A confirmation for a meeting names it with its article and links to the
// meeting's page, which exists, and not to a programme it does not have.
func TestMeetingConfirmationEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := demoMeeting(t, st)
		values := url.Values{"token": {"meeting-1"}, "organisation": {"fr-54395"}, "given_name": {"Lucie"}, "family_name": {"Martin"},
			"email": {"l.martin@nancy.example.org"}, "lang": {"fr"}, "elected": {"no"}, "answer_dinner": {"yes"}}
		code, _, _ := f.call(t, rencontres.Secretariat, "POST", fmt.Sprintf("/fr/events/%d/delegation", m.ID), []byte(values.Encode()),
			"Content-Type", "application/x-www-form-urlencoded")
		if code != 303 {
			t.Fatalf("registering for the meeting: %d", code)
		}
		msgs, err := f.sent(t)
		if err != nil {
			t.Fatal(err)
		}
		var text string
		for _, msg := range msgs {
			if len(msg.To) == 1 && msg.To[0].Email == "l.martin@nancy.example.org" {
				text = msg.Text
			}
		}
		if !strings.Contains(text, "Votre inscription à la 3e réunion du comité de pilotage français est enregistrée") {
			t.Errorf("the confirmation does not name the meeting with its article:\n%s", text)
		}
		page := fmt.Sprintf("/fr/events/%d", m.ID)
		if !strings.Contains(text, "La page de l’événement\u00a0:") || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(f.srv.URL+page)+`\r?$`).MatchString(text) || strings.Contains(text, "/programme") {
			t.Errorf("the confirmation does not link the meeting's page:\n%s", text)
		}
		if code, _, _ := f.call(t, rencontres.Secretariat, "GET", page, nil); code != 200 {
			t.Errorf("the linked page answers %d", code)
		}
	})
}
