package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A series' sender name and Reply-To reach, over a real SMTP server, the
// letters of a campaign about one of its editions and the confirmation of
// a registration to it, when the event sets neither; once the event's
// registration settings set theirs, they win. The series form refuses a
// bad Reply-To and a bad sender name together, each next to its field.
func TestSeriesSenderAndReplyTo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		sink, err := mailtest.Start()
		if err != nil {
			t.Fatal(err)
		}
		defer sink.Close()
		smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: sink.Port, TLS: "none", From: mail.DefaultFrom, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		f := newFixtureSending(t, st, smtp)
		sec, contact := rencontres.Secretariat, rencontres.AuthorityContact
		ev, deadline := f.futureNinth(t) // registration contact: japon@example.org
		f.contact(t, "claire.duval@example.org", "mme", "Claire DUVAL", "", "Maire adjointe", rencontres.French, "fr-54395")

		const series = "/api/v1/series/rencontres-franco-japonaises"
		code, b, _ := f.call(t, sec, "PATCH", series, map[string]any{"sender_name": "Rencontres franco-japonaises", "reply_to": "rencontres@example.org"})
		if got := decodeAs[rencontres.Series](t, b); code != 200 || got.SenderName != "Rencontres franco-japonaises" || got.ReplyTo != "rencontres@example.org" {
			t.Fatalf("PATCH series: %d %s", code, b)
		}

		n := 0
		// write sends a campaign to Claire Duval and registers a person
		// of Kumamoto, then delivers what is queued and returns the
		// letter and the confirmation.
		write := func(email string) (letter, confirmation *mail.Received) {
			t.Helper()
			n++
			c := map[string]any{"event_id": ev.ID, "name": fmt.Sprintf("Invitation %d", n), "letters": campaignLetters("Madame,\n\nRépondez : {{link}}"),
				"filter": map[string]any{"organisations": []string{"fr-54395"}}}
			code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
			if code != 201 {
				t.Fatalf("create a campaign: %d %s", code, b)
			}
			id := decodeAs[rencontres.Campaign](t, b).ID
			if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/send", id), nil); code != 202 {
				t.Fatalf("send: %d %s", code, b)
			}
			person := map[string]any{"organisation": "jp-431001", "civility": "m", "given_name": "Kenji", "family_name": "Mori", "name_ja": "森 健二",
				"kana": "もり けんじ", "function": "市長", "email": email, "lang": "ja"}
			if code, b, _ := f.call(t, contact, "POST", fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), person); code != 201 {
				t.Fatalf("register: %d %s", code, b)
			}
			if _, err := f.worker.SendDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, m := range sink.Received() {
				switch {
				case m.To[0].Email == "claire.duval@example.org":
					letter = m
				case m.To[0].Email == email:
					confirmation = m
				}
			}
			if letter == nil || confirmation == nil {
				t.Fatalf("delivered: letter %v, confirmation %v", letter != nil, confirmation != nil)
			}
			return letter, confirmation
		}
		check := func(what string, m *mail.Received, name, replyTo string) {
			t.Helper()
			if m.From.Name != name || m.From.Email != mail.DefaultFrom.Email {
				t.Errorf("%s: From %+v, want %q <%s>", what, m.From, name, mail.DefaultFrom.Email)
			}
			if rt := m.Header.Get("Reply-To"); !strings.Contains(rt, "<"+replyTo+">") {
				t.Errorf("%s: Reply-To %q, want %s", what, rt, replyTo)
			}
		}
		letter, confirmation := write("k.mori@example.org")
		check("the series' campaign letter", letter, "Rencontres franco-japonaises", "rencontres@example.org")
		check("the series' confirmation", confirmation, "Rencontres franco-japonaises", "rencontres@example.org")

		// The event's own settings win over the series'.
		form := map[string]any{"opens": time.Now().Add(-time.Hour), "deadline": deadline, "contact": "japon@example.org",
			"sender_name": "Cités Unies France — 9es Rencontres", "reply_to": "neuviemes@example.org"}
		if code, b, _ := f.call(t, sec, "PUT", fmt.Sprintf("/api/v1/events/%d/registration-form", ev.ID), form); code != 200 {
			t.Fatalf("registration settings: %d %s", code, b)
		}
		letter, confirmation = write("a.mori@example.org")
		check("the event's campaign letter", letter, "Cités Unies France — 9es Rencontres", "neuviemes@example.org")
		check("the event's confirmation", confirmation, "Cités Unies France — 9es Rencontres", "neuviemes@example.org")

		// The series form: its sender settings shown, and refused
		// together with the name left empty, each next to its field.
		code, b, _ = f.call(t, sec, "GET", "/fr/manage/series/rencontres-franco-japonaises/edit", nil)
		if code != 200 || !strings.Contains(string(b), `value="rencontres@example.org"`) {
			t.Errorf("series form: %d, its Reply-To not shown", code)
		}
		bad := url.Values{"name_fr": {""}, "rhythm": {"biennial"}, "sender_name": {"CUF <cuf@example.org>"}, "reply_to": {"secretariat"}}
		code, page, _ := f.post(t, "/fr/manage/series/rencontres-franco-japonaises", bad)
		if code != 400 {
			t.Errorf("a bad series form: %d", code)
		}
		for _, want := range []string{`id="name-error">Le champ «` + "\u00a0Nom\u00a0»", `id="sender_name-error">`, `id="reply_to-error">«` + "\u00a0secretariat\u00a0»"} {
			if !strings.Contains(page, want) {
				t.Errorf("the series form lacks %s", want)
			}
		}
		if se, err := st.Series(context.Background(), "rencontres-franco-japonaises"); err != nil || se.ReplyTo != "rencontres@example.org" || se.Name["fr"] == "" {
			t.Errorf("a refused series form changed the series: %+v (%v)", se, err)
		}
		// The API lists the same three faults.
		code, b, _ = f.call(t, sec, "POST", "/api/v1/series?lang=fr", map[string]any{"slug": "raict-bis", "rhythm": "annual",
			"sender_name": "CUF <cuf@example.org>", "reply_to": "secretariat"})
		got := decodeAs[struct {
			Error struct {
				Errors []struct{ Field, Message string }
			} `json:"error"`
		}](t, b)
		fields := map[string]string{}
		for _, e := range got.Error.Errors {
			fields[e.Field] = e.Message
		}
		if code != 400 || len(fields) != 3 || fields["name"] == "" || fields["sender_name"] == "" || !strings.Contains(fields["reply_to"], "secretariat") {
			t.Errorf("POST /api/v1/series: %d %s, want name, sender_name and reply_to", code, b)
		}
	})
}
