package campaign_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// With the letters' font package out of reach (the server started from a
// folder without node_modules), sending the demo campaign is refused
// before anything is queued, with the message the PDF route gives; the
// campaign stays a draft. With the font back, it is sent.
func TestSendRefusedWhenLettersCannotBeRendered(t *testing.T) {
	project, _ := letter.FindFonts()
	if project == nil {
		t.Skip("the fonts are not installed (make refdata)")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := campaign.New(st, outbox.New(st, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org")
		t.Chdir(t.TempDir())
		t.Setenv("RENCONTRES_FONT_DIR", t.TempDir())
		svc.Fonts = letter.FindFonts // looked for now, not shared
		list, err := st.Campaigns(ctx, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("the demo's draft: %d campaigns, %v", len(list), err)
		}
		c := list[0]
		secretariat := &rencontres.Actor{User: &rencontres.User{ID: 1, Role: rencontres.Secretariat, Lang: rencontres.French}}

		var pdf bytes.Buffer
		_, pdfErr := svc.LettersPDF(ctx, &pdf, c)
		n, err := svc.Send(ctx, secretariat, c.ID, campaign.SendOptions{SkipProblems: true, ConfirmPast: true})
		var e, pe *rencontres.Error
		if !errors.As(err, &e) || !errors.As(pdfErr, &pe) || e.Key != "error.font_missing" || e.Key != pe.Key ||
			e.Args["Value"] != "@expo-google-fonts/noto-serif-jp" || e.Args["Value"] != pe.Args["Value"] || n != 0 {
			t.Fatalf("Send = %d, %v; the PDF route says %v", n, err, pdfErr)
		}
		if mails, _ := st.Mails(ctx, store.MailFilter{CampaignID: c.ID}); len(mails) != 0 {
			t.Errorf("%d messages queued by a refused campaign", len(mails))
		}
		if again, _ := st.Campaign(ctx, c.ID); again.Status != rencontres.CampaignDraft {
			t.Errorf("the refused campaign is %s", again.Status)
		}

		svc.Fonts = func() (*letter.Fonts, error) { return project, nil }
		n, err = svc.Send(ctx, secretariat, c.ID, campaign.SendOptions{SkipProblems: true, ConfirmPast: true})
		if err != nil || n == 0 {
			t.Fatalf("with the font: Send = %d, %v", n, err)
		}
		if mails, _ := st.Mails(ctx, store.MailFilter{CampaignID: c.ID}); len(mails) != n {
			t.Errorf("%d messages queued for %d recipients", len(mails), n)
		}
	})
}
