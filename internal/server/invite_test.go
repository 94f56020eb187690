package server

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Inviting a person: the form offers the least powerful role first and
// checked, each role explained; nothing is emailed unless asked; the
// invitation says who invites, with which role and for which authority,
// and its link still works days later.
func TestInvitePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		sec := rencontres.Secretariat
		code, b, _ := f.call(t, sec, "GET", "/fr/admin/people", nil)
		body := string(b)
		if code != 200 || !strings.Contains(body, `<input type="radio" name="role" value="participant" aria-describedby="role-help-participant" checked>`) {
			t.Errorf("the invitation form (%d) does not check the participant role", code)
		}
		if strings.Contains(body, `value="secretariat" aria-describedby="role-help-secretariat" checked`) {
			t.Error("the secretariat role is checked by default")
		}
		for _, want := range []string{`id="role-help-secretariat">Administre tout`, `name="send" value="on" aria-describedby="send-hint">`,
			"Envoyer maintenant l’invitation par courriel"} {
			if !strings.Contains(body, want) {
				t.Errorf("the invitation form lacks %s", want)
			}
		}
		if strings.Contains(body, `name="send" value="on" aria-describedby="send-hint" checked`) {
			t.Error("sending at once is ticked by default")
		}

		post := func(v url.Values) (int, string, string) {
			code, b, h := f.call(t, sec, "POST", "/fr/admin/people", []byte(v.Encode()), "Content-Type", "application/x-www-form-urlencoded")
			return code, string(b), h.Get("Location")
		}
		// Without the box ticked, the account is made and nothing is sent.
		code, _, loc := post(url.Values{"email": {"maire@nancy.example.org"}, "name": {"Mathieu KLEIN"}, "civility": {"m"}, "role": {"participant"}, "lang": {"fr"}})
		if code != 303 || loc != "/fr/admin/people?done=created" {
			t.Errorf("invite without sending: %d %s", code, loc)
		}
		if msgs, _ := f.sent(t); len(msgs) != 0 {
			t.Errorf("%d email(s) sent though sending was not asked", len(msgs))
		}

		// A contact for Nancy, invited and emailed.
		inviter := f.users[sec]
		code, _, loc = post(url.Values{"email": {"contact@nancy.example.org"}, "name": {"Pauline RENARD"}, "civility": {"mme"},
			"role": {"authority_contact"}, "lang": {"fr"}, "organisation": {"fr-54395"}, "send": {"on"}})
		if code != 303 || loc != "/fr/admin/people?done=invited" {
			t.Fatalf("invite and send: %d %s", code, loc)
		}
		msgs, err := f.sent(t)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%d emails (%v), want 1", len(msgs), err)
		}
		m := msgs[0]
		if m.Subject != inviter.Name+" vous invite sur Rencontres" || m.Header.Get("X-Rencontres-Kind") != "invitation" ||
			!strings.Contains(m.Header.Get("Reply-To"), inviter.Email) {
			t.Errorf("invitation headers: %q %v", m.Subject, m.Header)
		}
		for _, want := range []string{inviter.Name + ", du secrétariat, vous a ouvert un compte sur Rencontres",
			"Votre rôle\u00a0: Correspondant d’une collectivité. Enregistre la délégation de sa collectivité",
			"Vous y représentez\u00a0: Nancy.", "Il est valable 7 jours et ne sert qu’une fois"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the invitation lacks %q:\n%s", want, m.Text)
			}
		}
		if strings.Contains(m.Text, "rien demandé") || strings.Contains(m.Text, "30 minutes") {
			t.Errorf("the invitation reads like a sign-in email:\n%s", m.Text)
		}
		// The link still opens an account six days later.
		link := regexp.MustCompile(`/fr/login/link/[A-Za-z0-9_-]+`).FindString(m.Text)
		if link == "" {
			t.Fatal("no link in the invitation")
		}
		tok := strings.TrimPrefix(link, "/fr/login/link/")
		u, err := st.ConsumeMagicLink(ctx, auth.Hash(tok), time.Now().Add(6*24*time.Hour))
		if err != nil || u.Email != "contact@nancy.example.org" || u.Role != rencontres.AuthorityContact || len(u.OrgKeys) != 1 {
			t.Errorf("the invitation's link six days later: %v %+v", err, u)
		}

		// Every fault at once, next to its field, nothing created.
		code, body, _ = post(url.Values{"email": {"pas-une-adresse"}, "role": {"maire"}, "lang": {"fr"}, "organisation": {"fr-00000"}, "send": {"on"}})
		if code != 400 {
			t.Errorf("a bad invitation: %d, want 400", code)
		}
		for _, want := range []string{`id="email-error">«`, `id="role-error">`, `id="organisation-error">`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused invitation lacks %s", want)
			}
		}
		if !strings.Contains(body, `name="send" value="on" aria-describedby="send-hint" checked`) {
			t.Error("the refused form lost the ticked box")
		}
		if us, _ := st.Users(ctx, rencontres.UserFilter{Query: "pas-une-adresse"}); len(us) != 0 {
			t.Errorf("a refused invitation created %d account(s)", len(us))
		}
	})
}
