package server

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A sign-in link reaches a person whatever their name (quotes, a comma,
// Japanese) and greets them as letters do: by their title, « Madame,
// Monsieur, » without a name, 様 in Japanese, « Dear Ms … » in English.
func TestSignInLinkToAnyName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		people := []struct {
			u        rencontres.User
			greeting string
		}{
			{rencontres.User{Email: "jj@example.org", Civility: "m", Name: `Jean "JJ" DUPONT, Maire`, Function: "Maire de Nancy", Lang: rencontres.French},
				"Monsieur le Maire,"},
			{rencontres.User{Email: "anonymous@example.org", Lang: rencontres.French}, "Madame, Monsieur,"},
			{rencontres.User{Email: "mori@example.org", Civility: "m", Name: "Kenji MORI", NameJa: "森 健二", Lang: rencontres.Japanese}, "森 健二 様"},
			{rencontres.User{Email: "nobody-ja@example.org", Lang: rencontres.Japanese}, "ご担当者様"},
			{rencontres.User{Email: "bensaid@example.org", Civility: "mme", Name: "Nadia BENSAÏD", Function: "Mayor of Aix-en-Provence", Lang: rencontres.English},
				"Dear Ms Bensaïd,"},
		}
		c := browser(t)
		for i := range people {
			u := &people[i].u
			u.Role = rencontres.Participant
			if err := st.CreateUser(ctx, u, ""); err != nil {
				t.Fatalf("%s: %v", u.Email, err)
			}
			resp, err := c.PostForm(f.srv.URL+"/fr/login/link", url.Values{"email": {u.Email}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		msgs, err := f.sent(t)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range people {
			found := false
			for _, m := range msgs {
				if len(m.To) != 1 || m.To[0].Email != p.u.Email {
					continue
				}
				found = true
				if m.To[0].Name != p.u.Name {
					t.Errorf("%s: the To name reads back %q, want %q", p.u.Email, m.To[0].Name, p.u.Name)
				}
				if first := strings.TrimSpace(strings.SplitN(m.Text, "\n", 2)[0]); first != p.greeting {
					t.Errorf("%s: the email opens %q, want %q", p.u.Email, first, p.greeting)
				}
			}
			if !found {
				t.Errorf("%s: no sign-in link sent", p.u.Email)
			}
		}
		if rows, _ := st.Mails(ctx, store.MailFilter{Kind: "sign-in-link", Status: rencontres.MailFailed}); len(rows) != 0 {
			t.Errorf("%d sign-in links failed: %s", len(rows), rows[0].LastError)
		}
	})
}
