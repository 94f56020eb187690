package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// futureNinth gives the 9th edition days two months ahead and a
// registration form whose deadline is in twenty days, answered by
// japon@example.org; it returns the event and the deadline.
func (f *fixture) futureNinth(t *testing.T) (*rencontres.Event, time.Time) {
	t.Helper()
	ctx := context.Background()
	e9, err := f.st.Edition(ctx, "rencontres-franco-japonaises", 9)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := f.st.Event(ctx, e9.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().AddDate(0, 2, 0)
	ev.Start, ev.End, ev.TimeZone = rencontres.DateOf(start), rencontres.DateOf(start.AddDate(0, 0, 3)), "Europe/Paris"
	ev.StartTime, ev.EndTime = "09:30", "18:00"
	ev.Venue = rencontres.Text{"fr": "Palais des festivals", "ja": "パレ・デ・フェスティバル", "en": "Palais des festivals"}
	if err := f.st.SaveEvent(ctx, ev, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * 24 * time.Hour).Truncate(time.Minute)
	if _, err := f.st.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: ev.ID, Opens: time.Now().Add(-time.Hour), Deadline: deadline,
		Contact: "japon@example.org"}); err != nil {
		t.Fatal(err)
	}
	return ev, deadline
}

// upload sends a document through the API with the titles given.
func (f *fixture) upload(t *testing.T, eventID int64, name string, data []byte, titles map[string]string) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, _ := w.CreateFormFile("file", name)
	part.Write(data)
	for k, v := range titles {
		w.WriteField(k, v)
	}
	w.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/events/%d/documents?lang=fr", f.srv.URL, eventID), &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(f.session(t, rencontres.Secretariat))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// page gets a public page and returns its status and text.
func page(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := noFollow.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A document needs a title; a new campaign attaches the meeting's
// documents; each email comes under the event's sender name with its
// Reply-To, carries the letter named after the recipient's authority and
// the documents named by their titles in the recipient's language, and
// the letter's « PJ : » lists exactly those documents.
func TestCampaignAttachmentsAndSender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ctx := context.Background()
		ev, deadline := f.futureNinth(t)

		// A document without a title is refused, and nothing is stored.
		code, b := f.upload(t, ev.ID, "odj_v3.pdf", pdfBytes, nil)
		if e := decodeAs[apiError](t, b); code != 400 || e.Error.Field != "title_fr" || !strings.Contains(e.Error.Message, "titre") {
			t.Errorf("a document without a title: %d %s", code, b)
		}
		if docs, _ := st.Documents(ctx, ev.ID); len(docs) != 0 {
			t.Fatalf("a refused document was stored: %d", len(docs))
		}
		code, b = f.upload(t, ev.ID, "odj_v3.pdf", pdfBytes, map[string]string{"title_fr": "Ordre du jour prévisionnel", "title_ja": "会議次第（案）"})
		if code != 201 {
			t.Fatalf("upload: %d %s", code, b)
		}
		doc := decodeAs[rencontres.Document](t, b)
		if doc.Title["fr"] != "Ordre du jour prévisionnel" || doc.TitleIn(rencontres.English) != "Ordre du jour prévisionnel" {
			t.Errorf("the document's title: %v", doc.Title)
		}

		// The sender's name and a Reply-To, set in the registration
		// settings; a Reply-To that is not an address is refused.
		form := map[string]any{"opens": time.Now().Add(-time.Hour), "deadline": deadline, "contact": "japon@example.org",
			"sender_name": "Cités Unies France — Rencontres", "reply_to": "pas-une-adresse"}
		path := fmt.Sprintf("/api/v1/events/%d/registration-form?lang=fr", ev.ID)
		if code, b, _ := f.call(t, sec, "PUT", path, form); code != 400 || !strings.Contains(string(b), "reply_to") {
			t.Errorf("a bad Reply-To: %d %s", code, b)
		}
		form["reply_to"] = "rencontres@example.org"
		if code, b, _ := f.call(t, sec, "PUT", path, form); code != 200 {
			t.Fatalf("registration settings: %d %s", code, b)
		}

		f.contact(t, "claire.duval@example.org", "mme", "Claire DUVAL", "", "Maire adjointe", rencontres.French, "fr-54395")
		f.contact(t, "k.mori@example.org", "m", "Kenji MORI", "森 健二", "国際交流課長", rencontres.Japanese, "jp-221007")
		body := "Madame, Monsieur,\n\nVous êtes invités aux {{event.title}}, {{event.dates}}.\n\nRépondez avant le {{deadline}} : {{link}}"
		c := map[string]any{"event_id": ev.ID, "name": "Invitation aux 9e Rencontres", "letters": campaignLetters(body),
			"filter": map[string]any{"organisations": []string{"fr-54395", "jp-221007"}}}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/campaigns", c)
		if code != 201 {
			t.Fatalf("create: %d %s", code, b)
		}
		camp := decodeAs[rencontres.Campaign](t, b)
		if len(camp.Documents) != 1 || camp.Documents[0] != doc.ID {
			t.Errorf("a new campaign attaches %v, want the meeting's document %d", camp.Documents, doc.ID)
		}
		// An explicit empty list attaches nothing.
		none := map[string]any{"event_id": ev.ID, "name": "Sans pièce jointe", "letters": campaignLetters(body), "documents": []int64{},
			"filter": map[string]any{"organisations": []string{"fr-54395"}}}
		if code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", none); code != 201 || len(decodeAs[rencontres.Campaign](t, b).Documents) != 0 {
			t.Errorf("a campaign told to attach nothing: %d %s", code, b)
		}

		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/send", camp.ID), nil); code != 202 {
			t.Fatalf("send: %d %s", code, b)
		}
		f.sent(t)
		nancy, err := st.Organisation(ctx, "fr-54395")
		if err != nil {
			t.Fatal(err)
		}
		shizuoka, _ := st.Organisation(ctx, "jp-221007")
		for _, tc := range []struct {
			to, letterFile, docFile, pj string
		}{
			{"claire.duval@example.org", "Lettre d’invitation — " + nancy.Name.In(rencontres.French) + ".pdf", "Ordre du jour prévisionnel.pdf", "Ordredujourprévisionnel"},
			{"k.mori@example.org", "案内状（" + shizuoka.Name.In(rencontres.Japanese) + "）.pdf", "会議次第（案）.pdf", "会議次第（案）"},
		} {
			got := f.mails(t, tc.to)
			if len(got) != 1 {
				t.Fatalf("%d letters to %s", len(got), tc.to)
			}
			m := got[0]
			if m.From.Name != "Cités Unies France — Rencontres" || m.From.Email != mail.DefaultFrom.Email {
				t.Errorf("%s: From %+v", tc.to, m.From)
			}
			if rt := m.Header.Get("Reply-To"); !strings.Contains(rt, "<rencontres@example.org>") {
				t.Errorf("%s: Reply-To %q", tc.to, rt)
			}
			if len(m.Attachments) != 2 || m.Attachments[0].Filename != tc.letterFile || m.Attachments[1].Filename != tc.docFile ||
				!bytes.Equal(m.Attachments[1].Data, pdfBytes) {
				var names []string
				for _, a := range m.Attachments {
					names = append(names, a.Filename)
				}
				t.Fatalf("%s: attachments %q, want %q and %q", tc.to, names, tc.letterFile, tc.docFile)
			}
			text := strings.Join(strings.Fields(pdfText(t, m.Attachments[0].Data)), "")
			pj := text[strings.LastIndex(text, "PJ")+2:]
			if strings.Contains(text, "会議次第") && tc.to != "k.mori@example.org" || !strings.Contains(text, tc.pj) {
				t.Errorf("%s: the letter's list of enclosures does not match what is attached: %q", tc.to, pj)
			}
			if tc.to == "claire.duval@example.org" && (!strings.HasPrefix(pj, ":") || strings.Contains(pj, "proposition du programme")) {
				t.Errorf("the French « PJ : » lists what is not attached: %q", pj)
			}
		}
	})
}

// Sending a campaign whose deadline or event is past is refused with the
// dates, in the reader's language, until confirmed, in the API and in the
// page.
func TestCampaignPastDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ev, deadline := f.futureNinth(t)
		f.contact(t, "claire.duval@example.org", "mme", "Claire DUVAL", "", "Maire adjointe", rencontres.French, "fr-54395")
		c := map[string]any{"event_id": ev.ID, "name": "Invitation tardive", "letters": campaignLetters("Madame,\n\nRépondez : {{link}}"),
			"filter": map[string]any{"organisations": []string{"fr-54395"}}}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
		if code != 201 {
			t.Fatalf("create: %d %s", code, b)
		}
		id := decodeAs[rencontres.Campaign](t, b).ID
		send := fmt.Sprintf("/api/v1/campaigns/%d/send", id)
		paris, _ := time.LoadLocation("Europe/Paris")
		local := deadline.In(paris)
		clock := fmt.Sprintf("%dh%02d", local.Hour(), local.Minute())

		// A day after the deadline.
		f.campaigns.Now = func() time.Time { return deadline.Add(24 * time.Hour) }
		defer func() { f.campaigns.Now = time.Now }()
		code, b, _ = f.call(t, sec, "POST", send+"?lang=fr", nil)
		msg := decodeAs[apiError](t, b).Error.Message
		if code != 409 || !strings.HasPrefix(msg, "La date limite d’inscription, le ") || !strings.Contains(msg, clock+" (heure de Paris), est passée") ||
			!strings.Contains(msg, strconv.Itoa(local.Year())) {
			t.Errorf("send after the deadline: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "POST", send+"?lang=ja", nil); code != 409 || !strings.Contains(string(b), "締切") || !strings.Contains(string(b), "パリ時間") {
			t.Errorf("in Japanese: %d %s", code, b)
		}
		if counts, _ := st.MailCounts(context.Background(), id); len(counts) != 0 {
			t.Fatalf("a refused send queued %v", counts)
		}
		// The page offers the confirmation, whose label names the date.
		_, pg, _ := f.call(t, sec, "GET", fmt.Sprintf("/fr/campaigns/%d", id), nil)
		if !strings.Contains(string(pg), `name="confirm_past"`) || !strings.Contains(string(pg), clock+" (heure de Paris), est passée") ||
			!strings.Contains(string(pg), "J’envoie quand même") {
			t.Errorf("the editor does not offer the confirmation with the date:\n%s", pg)
		}
		form := editorForm(t, mustCampaign(t, st, id))
		if code, body, _ := f.post(t, fmt.Sprintf("/fr/campaigns/%d/send", id), form); code != 409 || !strings.Contains(body, `id="send-error"`) ||
			!strings.Contains(body, "est passée") {
			t.Errorf("the page's send without confirming: %d", code)
		}

		// Confirmed but refused for another reason (no letter), the box
		// stays ticked.
		bad := editorForm(t, mustCampaign(t, st, id))
		bad.Set("confirm_past", "yes")
		bad.Set("organisations", "")
		if _, body, _ := f.post(t, fmt.Sprintf("/fr/campaigns/%d/send", id), bad); !strings.Contains(body, `id="confirm_past" checked`) {
			t.Errorf("the confirmation is lost when sending is refused for another reason")
		}

		// After the event: the message names its last day.
		f.campaigns.Now = func() time.Time { return ev.EndsAt().Add(time.Hour) }
		code, b, _ = f.call(t, sec, "POST", send+"?lang=fr", nil)
		msg = decodeAs[apiError](t, b).Error.Message
		if code != 409 || !strings.Contains(msg, "L’événement s’est terminé le ") || !strings.Contains(msg, strconv.Itoa(ev.End.Day)) {
			t.Errorf("send after the event: %d %s", code, b)
		}

		// Confirmed, it is sent.
		form.Set("confirm_past", "yes")
		if code, _, h := f.post(t, fmt.Sprintf("/fr/campaigns/%d/send", id), form); code != 303 || !strings.Contains(h.Get("Location"), "done=sent") {
			t.Fatalf("confirmed: %d %s", code, h.Get("Location"))
		}
	})
}

func mustCampaign(t *testing.T, st *store.Store, id int64) *rencontres.Campaign {
	t.Helper()
	c, err := st.Campaign(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A personal link that no longer works says why, in its language, and
// whom to write to: 410 once expired or withdrawn, 404 when forged.
func TestPersonalLinkGone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ev, deadline := f.futureNinth(t)
		f.contact(t, "claire.duval@example.org", "mme", "Claire DUVAL", "", "Maire adjointe", rencontres.French, "fr-54395")
		f.contact(t, "k.mori@example.org", "m", "Kenji MORI", "森 健二", "国際交流課長", rencontres.Japanese, "jp-221007")
		c := map[string]any{"event_id": ev.ID, "name": "Invitation", "letters": campaignLetters("Madame,\n\nRépondez : {{link}}"),
			"filter": map[string]any{"organisations": []string{"fr-54395", "jp-221007"}}}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
		if code != 201 {
			t.Fatalf("create: %d %s", code, b)
		}
		id := decodeAs[rencontres.Campaign](t, b).ID
		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/send", id), nil); code != 202 {
			t.Fatalf("send: %d %s", code, b)
		}
		f.sent(t)
		// The registration contact stands for the secretariat when no
		// Reply-To is set.
		if rt := f.mails(t, "claire.duval@example.org")[0].Header.Get("Reply-To"); !strings.Contains(rt, "japon@example.org") {
			t.Errorf("Reply-To by default: %q, want the registration contact", rt)
		}
		linkOf := func(to, lang string) string {
			l := regexp.MustCompile(`http://\S+/` + lang + `/invitation/[A-Za-z0-9_-]+`).FindString(f.mails(t, to)[0].Text)
			u, err := url.Parse(l)
			if l == "" || err != nil {
				t.Fatalf("no link to %s", to)
			}
			return f.srv.URL + u.Path
		}
		fr, ja := linkOf("claire.duval@example.org", "fr"), linkOf("k.mori@example.org", "ja")
		if code, _ := page(t, fr+"?before"); code != 200 {
			t.Fatalf("the link before the deadline: %d", code)
		}

		// Expired: the page says until when it worked and whom to write to.
		f.campaigns.Now = func() time.Time { return deadline.Add(time.Minute) }
		code, body := page(t, fr)
		if code != http.StatusGone || !strings.Contains(body, "Ce lien d’invitation a expiré") || !strings.Contains(body, "heure de Paris") ||
			!strings.Contains(body, `href="mailto:japon@example.org"`) {
			t.Errorf("expired link: %d\n%s", code, body)
		}
		if resp, _ := noFollow.PostForm(fr, url.Values{"answer": {"register"}}); resp.StatusCode != http.StatusGone {
			t.Errorf("answering through an expired link: %s", resp.Status)
		}
		f.campaigns.Now = time.Now

		// Withdrawn: the campaign is cancelled.
		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/cancel", id), nil); code != 200 {
			t.Fatalf("cancel: %d %s", code, b)
		}
		code, body = page(t, ja)
		if code != http.StatusGone || !strings.Contains(body, "この招待は取り消されました") || !strings.Contains(body, "japon@example.org") {
			t.Errorf("withdrawn link, in Japanese: %d\n%s", code, body)
		}

		// Forged: not found, but a page that says what to do.
		code, body = page(t, f.srv.URL+"/fr/invitation/AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAA")
		if code != http.StatusNotFound || !strings.Contains(body, "Ce lien d’invitation n’est pas reconnu") || !strings.Contains(body, "répondez à ce courriel") {
			t.Errorf("forged link: %d\n%s", code, body)
		}
	})
}

// The pages: a document uploaded without a title is refused next to the
// title, in French; with one it is listed by its title; the registration
// settings keep the sender's name and the Reply-To, and refuse a Reply-To
// that is not an address next to it.
func TestSendingPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		ev, deadline := f.futureNinth(t)
		// Documents are uploaded from a meeting's page.
		meeting := f.copil(t)
		uploadPage := func(titles map[string]string) (int, string) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			part, _ := w.CreateFormFile("file", "programme_v2.pdf")
			part.Write(pdfBytes)
			for k, v := range titles {
				w.WriteField(k, v)
			}
			w.Close()
			code, b, _ := f.call(t, rencontres.Secretariat, "POST", fmt.Sprintf("/fr/events/%d/documents", meeting.ID), buf.Bytes(), "Content-Type", w.FormDataContentType())
			return code, string(b)
		}
		code, body := uploadPage(nil)
		if code != 422 && code != 400 || !strings.Contains(body, `id="doc_title-error"`) || !strings.Contains(body, "Donnez un titre au document") {
			t.Errorf("a document without a title, in the page: %d", code)
		}
		if docs, _ := st.Documents(ctx, meeting.ID); len(docs) != 0 {
			t.Fatalf("a refused document was stored")
		}
		if code, _ := uploadPage(map[string]string{"title_ja": "プログラム案"}); code != 303 {
			t.Fatalf("upload with a Japanese title: %d", code)
		}
		if docs, _ := st.Documents(ctx, meeting.ID); len(docs) != 1 || docs[0].Title["ja"] != "プログラム案" || docs[0].TitleIn(rencontres.French) != "プログラム案" {
			t.Errorf("the document uploaded through the page: %+v", docs)
		}

		paris, _ := time.LoadLocation("Europe/Paris")
		settings := url.Values{"opens": {time.Now().Add(-time.Hour).In(paris).Format("2006-01-02T15:04")}, "deadline": {deadline.In(paris).Format("2006-01-02T15:04")},
			"capacity": {"0"}, "max_choices": {"1"}, "contact": {"japon@example.org"}, "sender_name": {"Cités Unies France — Rencontres"}, "reply_to": {"rencontres@"}}
		path := fmt.Sprintf("/fr/events/%d/registration", ev.ID)
		code, body, _ = f.post(t, path, settings)
		if code == 303 || !strings.Contains(body, "rencontres@") || !strings.Contains(body, `id="reply_to-error"`) {
			t.Errorf("a bad Reply-To in the page: %d", code)
		}
		settings.Set("reply_to", "rencontres@example.org")
		if code, _, _ := f.post(t, path, settings); code != 303 {
			t.Fatalf("registration settings: %d", code)
		}
		form, err := st.RegistrationForm(ctx, ev.ID)
		if err != nil || form.SenderName != "Cités Unies France — Rencontres" || form.ReplyTo != "rencontres@example.org" {
			t.Errorf("the settings saved: %+v, %v", form, err)
		}
	})
}
