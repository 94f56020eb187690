package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Registration's emails come, like the event's campaign letters, under the
// event's sender name at the instance's address, and answers to them go to
// the event's Reply-To, else its registration contact: the confirmation to
// the person and the summary to the delegation's contact alike.
func TestRegistrationMailsSenderAndReplyTo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, contact := rencontres.Secretariat, rencontres.AuthorityContact
		ev, _ := f.openNinth(t)
		path := "/api/v1/events/" + strconv.FormatInt(ev.ID, 10)
		form := map[string]any{"opens": time.Now().Add(-time.Hour), "deadline": time.Now().Add(time.Hour),
			"contact": "japon@example.org", "sender_name": "Cités Unies France — Rencontres", "reply_to": "rencontres@example.org"}
		if code, b, _ := f.call(t, sec, "PUT", path+"/registration-form", form); code != 200 {
			t.Fatalf("registration settings: %d %s", code, b)
		}
		person := map[string]any{"organisation": "jp-431001", "civility": "m", "given_name": "Kenji", "family_name": "Mori", "name_ja": "森 健二",
			"kana": "もり けんじ", "function": "市長", "email": "k.mori@example.org", "lang": "ja"}
		if code, b, _ := f.call(t, contact, "POST", path+"/registrations", person); code != 201 {
			t.Fatalf("register: %d %s", code, b)
		}
		check := func(what, to, replyTo string) {
			t.Helper()
			got := f.mails(t, to)
			if len(got) == 0 {
				t.Fatalf("%s: no email to %s", what, to)
			}
			m := got[len(got)-1]
			if m.From.Name != "Cités Unies France — Rencontres" || m.From.Email != mail.DefaultFrom.Email {
				t.Errorf("%s: From %+v", what, m.From)
			}
			if rt := m.Header.Get("Reply-To"); !strings.Contains(rt, "<"+replyTo+">") {
				t.Errorf("%s: Reply-To %q, want %s", what, rt, replyTo)
			}
		}
		check("the confirmation", "k.mori@example.org", "rencontres@example.org")
		check("the delegation's summary", "authority_contact@example.org", "rencontres@example.org")

		// Without a Reply-To, answers go to the registration contact.
		delete(form, "reply_to")
		if code, b, _ := f.call(t, sec, "PUT", path+"/registration-form", form); code != 200 {
			t.Fatalf("registration settings without Reply-To: %d %s", code, b)
		}
		person["email"], person["given_name"], person["name_ja"] = "a.mori@example.org", "Akiko", "森 明子"
		if code, b, _ := f.call(t, contact, "POST", path+"/registrations", person); code != 201 {
			t.Fatalf("register a second person: %d %s", code, b)
		}
		check("the second confirmation", "a.mori@example.org", "japon@example.org")
	})
}
