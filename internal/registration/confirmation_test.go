package registration_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A confirmation greets the person as a letter would (« Madame la
// Maire, », « Dear Ms Bensaïd, », 森 健二 様, « Madame, Monsieur, »
// without a civility) and names the event with the article its title
// takes: the plural of an edition (« aux 9es Rencontres »), a meeting's
// title between quotation marks rather than « aux 3e réunion ».
func TestConfirmationWording(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		e9, err := st.Edition(ctx, "rencontres-franco-japonaises", 9)
		if err != nil {
			t.Fatal(err)
		}
		meetings, err := st.Events(ctx, rencontres.EventFilter{Kind: rencontres.CommitteeMeeting})
		if err != nil || len(meetings) == 0 {
			t.Fatalf("no committee meeting in the demo: %v", err)
		}
		meeting := meetings[0]
		now := time.Now()
		for _, id := range []int64{e9.ID, meeting.ID} {
			if _, err := st.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: id, Opens: now.Add(-time.Hour), Deadline: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := registration.New(st, outbox.New(st, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org")
		staff := &rencontres.User{Email: "accueil@example.org", Name: "Paul MARTIN", Lang: rencontres.French, Role: rencontres.Secretariat}
		if err := st.CreateUser(ctx, staff, ""); err != nil {
			t.Fatal(err)
		}
		actor := &rencontres.Actor{User: staff, IP: "192.0.2.1"}
		meetingTitle := meeting.Title.In(rencontres.French)
		for i, tc := range []struct {
			event int64
			r     rencontres.Registration
			want  []string
		}{
			{e9.ID, rencontres.Registration{Civility: "mme", GivenName: "Nadia", FamilyName: "Bensaïd", Function: "Maire", Lang: rencontres.French},
				[]string{"Madame la Maire,\n", "Votre inscription aux 9es Rencontres"}},
			{e9.ID, rencontres.Registration{Civility: "mme", GivenName: "Nadia", FamilyName: "Bensaïd", Function: "Maire", Lang: rencontres.English},
				[]string{"Dear Ms Bensaïd,\n"}},
			{e9.ID, rencontres.Registration{Civility: "m", GivenName: "Kenji", FamilyName: "Mori", NameJa: "森 健二", Lang: rencontres.Japanese},
				[]string{"森 健二 様\n"}},
			{meeting.ID, rencontres.Registration{GivenName: "Camille", FamilyName: "Martin", Lang: rencontres.French},
				[]string{"Madame, Monsieur,\n", "Votre inscription à " + i18n.MustLoad().Printer(rencontres.French).Quote(meetingTitle) + " est enregistrée"}},
		} {
			r := tc.r
			r.EventID, r.OrgKey, r.Email = tc.event, "fr-06029", strings.ToLower(r.GivenName)+string(rune('a'+i))+"@example.org"
			if _, err := svc.Register(ctx, actor, &r, ""); err != nil {
				t.Fatalf("%s: %v", r.Email, err)
			}
			mails, err := st.Mails(ctx, store.MailFilter{Kind: "registration-registered"})
			if err != nil {
				t.Fatal(err)
			}
			var text string
			for _, m := range mails {
				if m.ToEmail == r.Email {
					var msg mail.Message
					if err := json.Unmarshal(m.Payload, &msg); err != nil {
						t.Fatal(err)
					}
					text = msg.Text
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s (%s): the confirmation lacks %q:\n%s", r.Email, r.Lang, w, text)
				}
			}
			if strings.Contains(text, "Bonjour") || strings.Contains(text, " aux 3e") {
				t.Errorf("%s: %s", r.Email, text)
			}
		}
	})
}
