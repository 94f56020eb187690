package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// contact makes an authority's contact, fictitious.
func (f *fixture) contact(t *testing.T, email, civility, name, nameJa, function string, lang rencontres.Lang, org string) {
	t.Helper()
	u := &rencontres.User{Email: email, Civility: civility, Name: name, NameJa: nameJa, Function: function, Lang: lang, Role: rencontres.AuthorityContact}
	if err := f.st.InviteUser(context.Background(), u, org); err != nil {
		t.Fatal(err)
	}
}

// campaignLetters are the French and Japanese letters of the tests: the
// defaults, with a French body shortened to what the tests read.
func campaignLetters(frBody string) map[string]any {
	fr, ja := letter.Default(rencontres.French), letter.Default(rencontres.Japanese)
	fr.Body = frBody
	fr.Signatories = []letter.Signatory{{Name: "Hélène MARCHAND", Function: []string{"Présidente du groupe-pays Japon", "de Cités Unies France"}},
		{Name: "Taro YAMADA", Function: []string{"Directeur de CLAIR Paris"}}}
	return map[string]any{"fr": fr, "ja": ja}
}

// The secretariat writes a campaign, is told what it cannot send, sends to
// the others: each contact gets the letter in their language with the PDF
// and the event's documents and a personal link, which signs them in and
// opens their delegation's form; cancelling midway sends nothing more; a
// reminder goes once to those who have not answered.
func TestCampaigns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ctx := context.Background()
		ev := f.copil(t)
		deadline := time.Now().Add(20 * 24 * time.Hour).Truncate(time.Second)
		if _, err := st.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: ev.ID, Opens: time.Now().Add(-time.Hour), Deadline: deadline,
			MaxChoices: 1}); err != nil {
			t.Fatal(err)
		}
		doc := &rencontres.Document{EventID: ev.ID, Name: "ordre-du-jour.pdf"}
		if err := st.SaveDocument(ctx, doc, pdfBytes, f.users[sec].ID); err != nil {
			t.Fatal(err)
		}
		f.contact(t, "claire.duval@example.org", "mme", "Claire DUVAL", "", "Maire", rencontres.French, "fr-06029")
		f.contact(t, "k.mori@example.org", "m", "Kenji MORI", "森 健二", "国際交流課長", rencontres.Japanese, "jp-221007")
		f.contact(t, "sans.fonction@example.org", "", "Paul BERNARD", "", "", rencontres.French, "fr-13001")
		kumamoto := f.users[rencontres.AuthorityContact]
		kumamoto.Function, kumamoto.NameJa = "国際課長", "鈴木 花子"
		if err := st.UpdateProfile(ctx, kumamoto); err != nil {
			t.Fatal(err)
		}

		// An unknown field is refused with its name and line.
		bad := map[string]any{"event_id": ev.ID, "name": "Invitation au 1er COPIL des 8e Rencontres",
			"letters": campaignLetters("Madame,\n\nVenez le {{event.date}}."), "filter": map[string]any{"countries": []string{"FR"}}}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns?lang=fr", bad)
		if code != 400 || !strings.Contains(string(b), "event.date") || !strings.Contains(string(b), "Ligne 3") || !strings.Contains(string(b), "letters.fr.body") {
			t.Fatalf("unknown field: %d %s", code, b)
		}
		if n, _ := st.Campaigns(ctx, 0); len(n) != 1 { // the demo's draft
			t.Fatalf("a refused campaign was saved: %d campaigns", len(n))
		}
		body := "Vous êtes invités aux {{event.title}}, {{event.dates}}, à {{event.city}}. Votre fonction : {{recipient.function}}.\n\n" +
			"Répondez avant le {{deadline}} : {{link}}"
		c := map[string]any{"event_id": ev.ID, "name": "Invitation au 1er COPIL des 8e Rencontres", "letters": campaignLetters(body), "documents": []int64{doc.ID},
			"reminder_days": []int{7}, "filter": map[string]any{"organisations": []string{"fr-06029", "jp-221007", "fr-13001", "jp-431001", "fr-75056"},
				"extra": []string{"pas-une-adresse; fr-54395", "", "x.dupont@example.org; fr-99999; Xavier DUPONT"}}}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/campaigns", c)
		if code != 201 {
			t.Fatalf("create: %d %s", code, b)
		}
		camp := decodeAs[rencontres.Campaign](t, b)
		path := fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
		if code, _, _ := f.call(t, rencontres.AuthorityContact, "GET", path, nil); code != 403 {
			t.Errorf("a contact reads a campaign: %d", code)
		}

		// Before sending: who it reaches, and who it cannot.
		code, b, _ = f.call(t, sec, "GET", path+"?lang=fr", nil)
		var detail struct {
			Recipients []rencontres.Recipient
			Problems   []struct {
				Organisation, Email, Text string
			}
		}
		json.Unmarshal(b, &detail)
		// Aix's former demo contact is not written to.
		if code != 200 || len(detail.Recipients) != 3 || len(detail.Problems) != 4 {
			t.Fatalf("draft: %d, %d recipients, problems %+v", code, len(detail.Recipients), detail.Problems)
		}
		problems := fmt.Sprint(detail.Problems)
		if !strings.Contains(problems, "fr-75056") || !strings.Contains(problems, "pas de correspondant") ||
			!strings.Contains(problems, "Ligne 1\u00a0: «\u00a0pas-une-adresse\u00a0» n’est pas une adresse électronique") ||
			!strings.Contains(problems, "Ligne 3\u00a0: aucune collectivité n’a l’identifiant «\u00a0fr-99999\u00a0»") ||
			!strings.Contains(problems, "sans.fonction@example.org") || !strings.Contains(problems, "recipient.function") {
			t.Errorf("problems: %s", problems)
		}
		// The preview of one recipient, in Japanese.
		code, b, _ = f.call(t, sec, "GET", path+"/preview?recipient=k.mori@example.org", nil)
		if code != 200 || !strings.Contains(string(b), "森") || !strings.Contains(string(b), "様") || !strings.Contains(string(b), "第8回") || !strings.Contains(string(b), "16:30〜18:00") {
			t.Errorf("preview: %d %s", code, b)
		}

		// Sending is refused with the problems listed; nothing leaves.
		code, b, _ = f.call(t, sec, "POST", path+"/send?lang=ja", map[string]any{"confirm_past": true})
		if code != 409 || !strings.Contains(string(b), "4件") || !strings.Contains(string(b), "sans.fonction@example.org") {
			t.Fatalf("send with problems: %d %s", code, b)
		}
		if counts, _ := st.MailCounts(ctx, camp.ID); len(counts) != 0 {
			t.Fatalf("messages queued by a refused send: %v", counts)
		}
		code, b, _ = f.call(t, sec, "POST", path+"/send", map[string]any{"skip_problems": true, "confirm_past": true})
		if code != 202 || !strings.Contains(string(b), `"queued":3`) {
			t.Fatalf("send to the others: %d %s", code, b)
		}
		if code, _, _ := f.call(t, sec, "POST", path+"/send", map[string]any{"skip_problems": true, "confirm_past": true}); code != 409 {
			t.Errorf("a second send: %d", code)
		}
		if code, _, _ := f.call(t, sec, "PUT", path, c); code != 409 {
			t.Errorf("editing a sent campaign: %d", code)
		}

		// The letters leave: in each one's language, with the PDF and the
		// document, and a personal link.
		f.sent(t)
		claire := f.mails(t, "claire.duval@example.org")
		mori := f.mails(t, "k.mori@example.org")
		if len(claire) != 1 || len(mori) != 1 {
			t.Fatalf("letters: %d to Claire, %d to Kenji", len(claire), len(mori))
		}
		fr, ja := claire[0], mori[0]
		if !strings.Contains(fr.Subject, "réunion") || !strings.Contains(fr.Text, "Madame la Maire") || !strings.Contains(fr.Text, "Votre fonction\u00a0: Maire") {
			t.Errorf("French letter:\n%s\n%s", fr.Subject, fr.Text)
		}
		if !strings.Contains(ja.Subject, "ご案内") || !strings.Contains(ja.Text, "森 健二") || !strings.Contains(ja.Text, "拝啓") || !strings.Contains(ja.Text, "敬具") {
			t.Errorf("Japanese letter:\n%s\n%s", ja.Subject, ja.Text)
		}
		if len(ja.Attachments) != 2 || ja.Attachments[0].ContentType != "application/pdf" || ja.Attachments[1].Filename != "ordre-du-jour.pdf" {
			t.Fatalf("attachments: %+v", ja.Attachments)
		}
		if text := pdfText(t, ja.Attachments[0].Data); !strings.Contains(text, "森") || !strings.Contains(text, "敬具") {
			t.Errorf("the Japanese PDF letter does not read back: %q", text)
		}
		link := regexp.MustCompile(`http://\S+/ja/invitation/[A-Za-z0-9_-]+`).FindString(ja.Text)
		if link == "" {
			t.Fatalf("no personal link in %q", ja.Text)
		}

		// The link asks for a click, then signs the contact in and opens
		// their delegation's form.
		u, _ := url.Parse(link)
		resp, err := noFollow.Get(f.srv.URL + u.Path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("invitation page: %v %v", err, resp.Status)
		}
		resp.Body.Close()
		resp, err = noFollow.PostForm(f.srv.URL+u.Path, url.Values{"answer": {"register"}})
		if err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/ja/events/%d/delegation?org=jp-221007", ev.ID) {
			t.Fatalf("invitation used: %v %s → %s", err, resp.Status, resp.Header.Get("Location"))
		}
		var cookie *http.Cookie
		for _, ck := range resp.Cookies() {
			cookie = ck
		}
		req, _ := http.NewRequest("GET", f.srv.URL+resp.Header.Get("Location"), nil)
		req.AddCookie(cookie)
		resp, err = noFollow.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("the delegation's form after the link: %v %s", err, resp.Status)
		}
		// The civility is the French word, explained in Japanese, under a
		// label saying what it is for.
		form, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{"敬称（フランス語の案内状で使用）", ">Madame（女性）</option>", ">Monsieur（男性）</option>"} {
			if !strings.Contains(string(form), want) {
				t.Errorf("the Japanese delegation form lacks %q", want)
			}
		}
		// A forged or altered link opens nothing.
		// The altered one changes a character of the signature for one
		// that surely differs.
		altered := []byte(u.Path)
		if i := len(altered) - 5; altered[i] == 'A' {
			altered[i] = 'B'
		} else {
			altered[i] = 'A'
		}
		// A second spelling of the real token (the last character's unused
		// bits set) opens nothing either.
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		last := strings.IndexByte(alphabet, u.Path[len(u.Path)-1])
		respelled := u.Path[:len(u.Path)-1] + string(alphabet[last^1])
		for _, tok := range []string{"AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAA", string(altered), respelled} {
			p := tok
			if !strings.HasPrefix(tok, "/") {
				p = "/ja/invitation/" + tok
			}
			if resp, _ := noFollow.PostForm(f.srv.URL+p, url.Values{"answer": {"register"}}); resp.StatusCode != 404 {
				t.Errorf("forged link %s: %s", p, resp.Status)
			}
		}

		// Claire declines through her link; Kenji's authority registers.
		frLink, _ := url.Parse(regexp.MustCompile(`http://\S+/fr/invitation/[A-Za-z0-9_-]+`).FindString(fr.Text))
		if resp, err := noFollow.PostForm(f.srv.URL+frLink.Path, url.Values{"answer": {"decline"}}); err != nil || resp.StatusCode != 200 {
			t.Fatalf("decline: %v", err)
		}
		code, b, _ = f.call(t, sec, "POST", fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), map[string]any{"organisation": "jp-221007",
			"given_name": "Kenji", "family_name": "Mori", "email": "k.mori@example.org", "lang": "ja"})
		if code != 201 {
			t.Fatalf("registration: %d %s", code, b)
		}
		if code, b, _ = f.call(t, sec, "GET", path+"/recipients", nil); code != 200 {
			t.Fatalf("recipients: %d", code)
		}
		var list struct {
			Counts     map[string]int
			Recipients []rencontres.Recipient
		}
		json.Unmarshal(b, &list)
		if list.Counts["declined"] != 1 || list.Counts["registered"] != 1 || list.Counts["sent"] != 1 {
			t.Errorf("counts after the answers: %v", list.Counts)
		}
		code, b, _ = f.call(t, sec, "GET", path+"/recipients?format=csv", nil)
		if code != 200 || !strings.Contains(string(b), "declined") || !strings.Contains(string(b), "森 健二") {
			t.Errorf("CSV: %d %s", code, b)
		}

		// The merged letters: one page each.
		code, b, _ = f.call(t, sec, "GET", path+"/letters.pdf", nil)
		if code != 200 || pdfPages(t, b) != 3 {
			t.Errorf("merged letters: %d, %d pages", code, pdfPages(t, b))
		}

		// A reminder, seven days before the deadline and a day after the
		// letters, goes once to the one who has not answered.
		f.campaigns.Now = func() time.Time { return deadline.Add(-6 * 24 * time.Hour) }
		defer func() { f.campaigns.Now = time.Now }()
		for range 2 {
			if _, err := f.campaigns.Remind(ctx); err != nil {
				t.Fatal(err)
			}
		}
		f.worker.Now = func() time.Time { return deadline.Add(-6*24*time.Hour + time.Minute) }
		f.worker.SendDue(ctx)
		f.worker.Now = time.Now
		var reminders []string
		for _, m := range mustRead(t, f) {
			if m.Header.Get("X-Rencontres-Kind") == store.CampaignReminderKind {
				reminders = append(reminders, m.To[0].Email)
			}
		}
		if len(reminders) != 1 || reminders[0] != "authority_contact@example.org" {
			t.Errorf("reminders to %v, want the contact of Kumamoto only", reminders)
		}
	})
}

// copil is the 1st meeting of the French steering committee of the 8th
// Rencontres, held within the 14th RAICT (seed 001).
func (f *fixture) copil(t *testing.T) *rencontres.Event {
	t.Helper()
	events, err := f.st.Events(context.Background(), rencontres.EventFilter{Kind: rencontres.CommitteeMeeting})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Start.String() == "2023-09-18" {
			return e
		}
	}
	t.Fatal("no meeting on 18 September 2023 in the demo")
	return nil
}

// A campaign cancelled while its letters leave sends nothing more: the
// letters sent stay sent, the others are cancelled, none is half-sent.
func TestCampaignCancelledMidway(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ctx := context.Background()
		ev, _ := f.openNinth(t)
		var keys []string
		for i := range 11 {
			key := []string{"fr-13001", "fr-54395", "fr-37261", "fr-06029", "jp-221007", "jp-372013"}[i%6]
			f.contact(t, fmt.Sprintf("c%02d@example.org", i), "m", fmt.Sprintf("Jean NUMÉRO%d", i), "", "Chargé de mission", rencontres.French, key)
			keys = append(keys, key)
		}
		c := map[string]any{"event_id": ev.ID, "name": "Relance", "letters": campaignLetters("Madame, Monsieur,\n\nNous vous invitons."),
			"filter": map[string]any{"organisations": keys, "extra": []string{"anne.petit@example.org; fr-54395; Anne PETIT; fr"}}}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
		if code != 201 {
			t.Fatalf("create: %d %s", code, b)
		}
		id := decodeAs[rencontres.Campaign](t, b).ID
		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/send", id), map[string]any{"confirm_past": true}); code != 202 {
			t.Fatalf("send: %d %s", code, b)
		}
		// Four leave (at four a second), then the campaign is cancelled.
		f.worker.Rate = 4
		f.worker.Now = func() time.Time { return time.Now() }
		f.worker.Pause = func(context.Context, time.Duration) {}
		if _, err := f.worker.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/cancel", id), nil); code != 200 {
			t.Fatalf("cancel: %d %s", code, b)
		}
		f.worker.Rate = 0
		f.sent(t)
		counts, _ := st.MailCounts(ctx, id)
		if counts[rencontres.MailSent] != 4 || counts[rencontres.MailCancelled] != 8 || len(mustRead(t, f)) != 4 {
			t.Errorf("after cancelling: %v, %d emails written", counts, len(mustRead(t, f)))
		}
		if code, _, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/cancel", id), nil); code != 409 {
			t.Errorf("cancelling twice: %d", code)
		}
		// The person added by hand is now the authority's contact.
		if u, err := st.UserByEmail(ctx, "anne.petit@example.org"); err != nil || u.Role != rencontres.AuthorityContact || len(u.OrgKeys) != 1 || u.OrgKeys[0] != "fr-54395" {
			t.Errorf("the person added by hand: %+v, %v", u, err)
		}
	})
}

func mustRead(t *testing.T, f *fixture) []*mail.Received {
	t.Helper()
	msgs, err := mail.ReadOutbox(f.outbox)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.ReadFrom(plain)
	return out.String()
}

func pdfPages(t *testing.T, b []byte) int {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a PDF: %v", err)
	}
	return r.NumPage()
}
