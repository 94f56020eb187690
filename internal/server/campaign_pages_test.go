package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// pagesMeeting is the demo's first steering committee of the 8th
// Rencontres (18 September 2023, within the RAICT), given a registration
// form whose deadline is to come, as the default letters need one.
func (f *fixture) pagesMeeting(t *testing.T) *rencontres.Event {
	t.Helper()
	ctx := context.Background()
	events, err := f.st.Events(ctx, rencontres.EventFilter{Kind: rencontres.CommitteeMeeting})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Start.String() == "2023-09-18" {
			if _, err := f.st.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: e.ID, Opens: time.Now().Add(-time.Hour),
				Deadline: time.Now().Add(20 * 24 * time.Hour), MaxChoices: 1}); err != nil {
				t.Fatal(err)
			}
			return e
		}
	}
	t.Fatal("no meeting on 18 September 2023 in the demo")
	return nil
}

// editorForm is what the editor's form posts for a campaign as it is
// stored: the fields a person would leave untouched.
func editorForm(t *testing.T, c *rencontres.Campaign) url.Values {
	t.Helper()
	v := url.Values{"name": {c.Name}, "organisations": {strings.Join(c.Filter.Organisations, "\n")}}
	for _, l := range rencontres.Langs {
		var tm letter.Template
		if raw := c.Letters[l]; raw != nil {
			if err := json.Unmarshal(raw, &tm); err != nil {
				t.Fatal(err)
			}
		}
		p := string(l) + "_"
		v.Set(p+"place", tm.Place)
		v.Set(p+"subject", tm.Subject)
		v.Set(p+"body", tm.Body)
		v.Set(p+"closing", tm.Closing)
		v.Set(p+"attachments", strings.Join(tm.Attachments, "\n"))
		for i, s := range tm.Signatories {
			v.Set(fmt.Sprintf("%ssig%d_name", p, i+1), s.Name)
			v.Set(fmt.Sprintf("%ssig%d_function", p, i+1), strings.Join(s.Function, "\n"))
		}
		if tm.Frame {
			v.Set(p+"frame", "on")
		}
	}
	return v
}

// post sends a form as the secretariat.
func (f *fixture) post(t *testing.T, path string, form url.Values) (int, string, http.Header) {
	t.Helper()
	code, b, h := f.call(t, rencontres.Secretariat, "POST", path, []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	return code, string(b), h
}

// The campaign pages without JavaScript: a draft started with the default
// letters, a refusal next to the field at fault with the form kept and
// nothing saved, the preview rendered from the form as typed, the
// recipients and problems, sending refused until told to send to the
// others, the tracking page with its counts, filter and CSV, and a cancel
// that asks to be confirmed.
func TestCampaignPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ctx := context.Background()
		ev := f.pagesMeeting(t)

		code, b, _ := f.call(t, sec, "GET", fmt.Sprintf("/fr/manage/campaigns?event=%d", ev.ID), nil)
		if code != 200 || !strings.Contains(string(b), "Nouveau courrier") || !strings.Contains(string(b), fmt.Sprintf(`<option value="%d" selected>`, ev.ID)) {
			t.Fatalf("campaigns page: %d\n%s", code, b)
		}
		code, page, _ := f.post(t, "/fr/manage/campaigns", url.Values{"event": {fmt.Sprint(ev.ID)}})
		if code != 400 || !strings.Contains(page, `id="name-error"`) {
			t.Fatalf("a campaign without a name: %d\n%s", code, page)
		}
		code, _, h := f.post(t, "/fr/manage/campaigns", url.Values{"name": {"Invitation au 1er COPIL"}, "event": {fmt.Sprint(ev.ID)}})
		loc := h.Get("Location")
		if code != 303 || !regexp.MustCompile(`^/fr/campaigns/\d+\?done=created$`).MatchString(loc) {
			t.Fatalf("start a campaign: %d %s", code, loc)
		}
		list, _ := st.Campaigns(ctx, ev.ID)
		if len(list) != 1 || len(list[0].Letters) != 3 {
			t.Fatalf("campaigns after the start: %+v", list)
		}
		c := list[0]
		path := fmt.Sprintf("/fr/campaigns/%d", c.ID)
		code, b, _ = f.call(t, sec, "GET", path, nil)
		for _, want := range []string{"{{event.title}}", "Titre de l’événement", `id="fr_body"`, "拝啓", `aria-live="polite"`, `class="letter"`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the editor lacks %q", want)
			}
		}
		if code != 200 {
			t.Fatalf("editor: %d", code)
		}

		// A field that does not exist is refused next to the body, the
		// form kept as typed, nothing saved.
		form := editorForm(t, c)
		form.Set("fr_body", "Madame, Monsieur,\n\nRendez-vous le {{meeting.date}}.")
		form.Set("reminder_days", "7, 2")
		code, page, _ = f.post(t, path, form)
		if code != 400 || !regexp.MustCompile(`id="fr_body-error">Ligne 3\x{a0}: le champ «\x{a0}meeting.date\x{a0}» n’existe pas`).MatchString(page) ||
			!strings.Contains(page, "Rendez-vous le {{meeting.date}}.</textarea>") || !strings.Contains(page, `aria-describedby="fr_body-hint fr_body-error"`) {
			t.Fatalf("unknown field: %d\n%s", code, page)
		}
		if saved, _ := st.Campaign(ctx, c.ID); strings.Contains(string(saved.Letters["fr"]), "meeting.date") || len(saved.ReminderDays) != 0 {
			t.Fatal("a refused letter was saved")
		}
		// A reminder day out of range, the same.
		form.Set("fr_body", "Madame, Monsieur,\n\nRendez-vous {{meeting.day}}.")
		form.Set("reminder_days", "7, 200")
		if code, page, _ = f.post(t, path, form); code != 400 || !strings.Contains(page, "id=\"reminder_days-error\">«\u00a0200\u00a0»") {
			t.Fatalf("reminder day: %d\n%s", code, page)
		}

		// The preview follows the form, unsaved: the whole page without
		// the script, the letter alone for it.
		form.Set("reminder_days", "7, 2")
		form.Set("preview_lang", "fr")
		if code, page, _ = f.post(t, path+"/preview", form); code != 200 || !strings.Contains(page, "Rendez-vous le lundi 18") || !strings.Contains(page, "<html") {
			t.Fatalf("preview without the script: %d\n%s", code, page)
		}
		form.Set("fragment", "1")
		form.Set("preview_lang", "ja")
		if code, page, _ = f.post(t, path+"/preview", form); code != 200 || strings.Contains(page, "<html") || !strings.Contains(page, `<article class="letter" lang="ja">`) {
			t.Fatalf("preview for the script: %d\n%s", code, page)
		}
		form.Set("fr_body", "{{meeting.date}}")
		form.Set("preview_lang", "fr")
		if code, page, _ = f.post(t, path+"/preview", form); !strings.Contains(page, "meeting.date") || strings.Contains(page, "<article") {
			t.Errorf("preview of an unknown field: %d\n%s", code, page)
		}
		form.Del("fragment")
		if saved, _ := st.Campaign(ctx, c.ID); len(saved.ReminderDays) != 0 {
			t.Fatal("a preview saved the campaign")
		}

		// Recipients: two contacts and an authority without one.
		for _, u := range []*rencontres.User{
			{Email: "claire.duval@example.org", Civility: "mme", Name: "Claire DUVAL", Lang: rencontres.French, Role: rencontres.AuthorityContact},
			{Email: "k.mori@example.org", Civility: "m", Name: "Kenji MORI", NameJa: "森 健二", Lang: rencontres.Japanese, Role: rencontres.AuthorityContact},
		} {
			org := map[rencontres.Lang]string{rencontres.French: "fr-06029", rencontres.Japanese: "jp-221007"}[u.Lang]
			if err := st.InviteUser(ctx, u, org); err != nil {
				t.Fatal(err)
			}
		}
		form.Set("fr_body", "Madame, Monsieur,\n\nRendez-vous {{meeting.day}} : {{link}}")
		form.Set("organisations", "fr-06029\njp-221007\nfr-75056")
		form.Set("extra", "jean.martin@example.org；fr-13001；Jean MARTIN\njean.martin@")
		if code, _, h = f.post(t, path, form); code != 303 || h.Get("Location") != path+"?done=saved" {
			t.Fatalf("save: %d %s", code, h.Get("Location"))
		}
		if code, b, _ = f.call(t, sec, "GET", path, nil); code != 200 {
			t.Fatalf("the saved draft: %d", code)
		}
		page = string(b)
		for _, want := range []string{"claire.duval@example.org", "k.mori@example.org", "jean.martin@example.org", "fr-75056", "Cette collectivité n’a pas de correspondant",
			"Ligne 2\u00a0: «\u00a0jean.martin@\u00a0» n’est pas une adresse électronique", `name="skip_problems"`,
			`value="7, 2"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the saved draft's page lacks %q", want)
			}
		}

		// Sending is refused while there are problems, unless told (the
		// meeting is past, which is confirmed here; sending_test.go
		// checks that refusal).
		form.Set("preview_recipient", "k.mori@example.org")
		form.Set("confirm_past", "yes")
		if code, page, _ = f.post(t, path+"/send", form); code != 409 || !strings.Contains(page, `id="send-error"`) || !strings.Contains(page, "envoyez aux autres") {
			t.Fatalf("send with a problem: %d\n%s", code, page)
		}
		if counts, _ := st.MailCounts(ctx, c.ID); len(counts) != 0 {
			t.Fatalf("a refused send queued %v", counts)
		}
		form.Set("skip_problems", "yes")
		if code, _, h = f.post(t, path+"/send", form); code != 303 || h.Get("Location") != path+"?done=sent" {
			t.Fatalf("send to the others: %d %s", code, h.Get("Location"))
		}
		if _, err := f.sent(t); err != nil {
			t.Fatal(err)
		}
		if m := f.mails(t, "k.mori@example.org"); len(m) != 1 || !strings.Contains(m[0].Subject, "ご案内") {
			t.Errorf("the Japanese contact's letter: %+v", m)
		}
		code, b, _ = f.call(t, sec, "GET", path+"?state=sent", nil)
		page = string(b)
		if code != 200 || strings.Count(page, `<tr id="recipient-`) != 3 || !strings.Contains(page, `aria-current="true">Envoyé <strong>3</strong>`) {
			t.Fatalf("tracking, sent: %d\n%s", code, page)
		}
		if _, b, _ = f.call(t, sec, "GET", path+"?state=failed", nil); strings.Count(string(b), `<tr id="recipient-`) != 0 {
			t.Error("the failed list is not empty")
		}
		code, b, h = f.call(t, sec, "GET", path+"?format=csv&state=sent", nil)
		if csv := string(b); code != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(csv, "\ufeffN°,État,") ||
			!strings.Contains(csv, ",Envoyé,Cannes,fr-06029,") || strings.Count(csv, "\n") != 4 {
			t.Errorf("CSV: %d %s\n%s", code, h.Get("Content-Type"), csv)
		}
		// The same list as a workbook, linked from the page.
		if !strings.Contains(page, "?format=xlsx&amp;state=sent") {
			t.Error("the tracking page does not link the recipients' workbook")
		}
		if code, b, _ = f.call(t, sec, "GET", path+"?format=xlsx&state=sent", nil); code != 200 {
			t.Errorf("workbook: %d", code)
		} else if _, rows := sheetRows(t, b, "Destinataires"); len(rows) != 4 || rows[1][1] != "Envoyé" {
			t.Errorf("workbook rows: %q", rows)
		}
		if code, b, _ = f.call(t, sec, "GET", "/ja/manage/campaigns", nil); code != 200 || !strings.Contains(string(b), "送信済み：3") {
			t.Errorf("the Japanese list of campaigns: %d\n%s", code, b)
		}
		// In Japanese, the meeting's hours and the times of sending carry
		// their zone.
		code, b, _ = f.call(t, sec, "GET", strings.Replace(path, "/fr/", "/ja/", 1), nil)
		if page := string(b); code != 200 || !strings.Contains(page, "2023年9月18日（月） 16:30〜18:00（パリ時間）") ||
			!regexp.MustCompile(`<td>\d+年\d+月\d+日 \d+:\d\d（パリ時間）</td>`).MatchString(page) {
			t.Errorf("the Japanese campaign page's times: %d\n%s", code, page)
		}

		// Cancelling asks to be confirmed.
		if code, page, _ = f.post(t, path+"/cancel", url.Values{}); code != 422 || !strings.Contains(page, `id="confirm-error"`) {
			t.Fatalf("cancel unconfirmed: %d\n%s", code, page)
		}
		if code, _, _ = f.post(t, path+"/cancel", url.Values{"confirm": {"yes"}}); code != 303 {
			t.Fatalf("cancel: %d", code)
		}
		if saved, _ := st.Campaign(ctx, c.ID); saved.Status != rencontres.CampaignCancelled {
			t.Errorf("after cancel: %s", saved.Status)
		}
	})
}
