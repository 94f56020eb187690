package campaign_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
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

// The demo campaign's letters say the same thing in French, Japanese and
// English: the 3rd French steering committee of the 7th Rencontres, on 22
// September 2020 from 16:00 to 17:30 Paris time at the Cité des sciences,
// within the 11th RAICT; the French with plural ordinals and the closing
// written to elected officials, the Japanese with the clock's zone.
func TestDemoCampaignLettersAgree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := campaign.New(st, outbox.New(st, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org")
		list, err := st.Campaigns(ctx, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("the demo's draft: %d campaigns, %v", len(list), err)
		}
		mayor := &rencontres.Recipient{Civility: "mme", Name: "Nadia BENSAÏD", NameJa: "ナディア・ベンサイード", Function: "Maire",
			Email: "n.bensaid@example.org", OrgName: rencontres.Text{"fr": "Ville d'Aix-en-Provence", "ja": "エクス＝アン＝プロヴァンス市"}}
		for lang, want := range map[rencontres.Lang][]string{
			rencontres.French: {"3e réunion du comité de pilotage français — invitation", "Madame la Maire,",
				"réunion suivante\u00a0: 3e réunion du comité de pilotage français.", "Les 7es Rencontres franco-japonaises",
				"le mardi 22\u00a0septembre 2020, de 16h00 à 17h30,", "Cité des sciences et de l’industrie, Paris.",
				"Cette réunion se tiendra dans le cadre des 11es Rencontres de l’action internationale des collectivités territoriales.",
				"vous prie d’agréer, Madame la Maire, l’expression de ma haute considération."},
			rencontres.Japanese: {"第3回フランス側運営委員会のご案内", "第7回日仏自治体交流会議", "2020年9月22日（火）　16:00〜17:30（パリ時間）",
				"シテ科学産業博物館", "なお、本会議は第11回自治体国際活動会議（RAICT）の一環として開催いたします。"},
			rencontres.English: {"Invitation: 3rd meeting of the French steering committee", "Dear Ms Bensaïd,", "7th Franco-Japanese",
				"Tuesday 22 September 2020, 16:00–17:30", "The meeting is held as part of the 11th Meetings on the International Action of Local Authorities (RAICT)."},
		} {
			l, err := svc.Preview(ctx, list[0], mayor, lang)
			if err != nil {
				t.Fatal(err)
			}
			text := letter.Text(l)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s letter lacks %q:\n%s", lang, w, text)
				}
			}
			if len(l.Missing) > 0 {
				t.Errorf("%s letter misses %v", lang, l.Missing)
			}
		}
	})
}

// A contact's form of address, kept by the secretariat, opens and closes
// the campaign's French letter to them: Marion Roux, « Adjointe au maire
// chargée des jumelages », would otherwise be « Madame ».
func TestLetterUsesTheContactsFormOfAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := campaign.New(st, outbox.New(st, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org")
		list, err := st.Campaigns(ctx, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("the demo's draft: %d campaigns, %v", len(list), err)
		}
		recipients, _, err := svc.Recipients(ctx, list[0])
		if err != nil {
			t.Fatal(err)
		}
		var roux *rencontres.Recipient
		for _, r := range recipients {
			if r.Email == "m.roux@example.org" {
				roux = r
			}
		}
		if roux == nil || roux.AddressForm != "Madame l’Adjointe au Maire" {
			t.Fatalf("Marion Roux among the recipients: %+v", roux)
		}
		l, err := svc.Preview(ctx, list[0], roux, rencontres.French)
		if err != nil {
			t.Fatal(err)
		}
		text := letter.Text(l)
		for _, want := range []string{"\nMadame l’Adjointe au Maire,\n", "vous prie d’agréer, Madame l’Adjointe au Maire, l’expression"} {
			if !strings.Contains(text, want) {
				t.Errorf("the letter lacks %q:\n%s", want, text)
			}
		}
		// Without it, the letter builds « Madame ».
		roux.AddressForm = ""
		l, _ = svc.Preview(ctx, list[0], roux, rencontres.French)
		if text := letter.Text(l); !strings.Contains(text, "\nMadame,\n") {
			t.Errorf("without a form of address the letter opens otherwise:\n%s", text)
		}
	})
}
