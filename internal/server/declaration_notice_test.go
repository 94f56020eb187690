package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The declaration's notices as they leave the outbox, on both databases:
// the amendment period's, the freeze's (endorsement: "sign on for your
// authority before …", both clocks), the adoption's (the public page and
// the PDF) and a correction's (its reason, the text before and after),
// each to every contact of a registered authority in their language:
// Kyoto's in Japanese, Kumamoto's in French, each once however often the
// outbox is emptied. The freeze goes through the API, leaving Kumamoto's
// amendment undecided, named.
func TestDeclarationNoticeMails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		contact := f.users[rencontres.AuthorityContact].Email
		base := fmt.Sprintf("/api/v1/declarations/%d", f.declaration)
		// told returns the one email of a step to an address, failing
		// unless there is exactly one.
		told := func(what, to string, wants ...string) *mail.Received {
			t.Helper()
			msgs, err := f.sent(t)
			if err != nil {
				t.Fatal(err)
			}
			var out []*mail.Received
			for _, m := range msgs {
				if m.Header.Get("X-Rencontres-Kind") == "declaration-"+what && m.To[0].Email == to {
					out = append(out, m)
				}
			}
			if len(out) != 1 {
				t.Fatalf("%s to %s: %d emails, want 1", what, to, len(out))
			}
			for _, want := range wants {
				if !strings.Contains(out[0].Subject+"\n"+strings.ReplaceAll(out[0].Text, "\r\n", "\n"), want) {
					t.Errorf("%s to %s lacks %q:\n%s\n%s", what, to, want, out[0].Subject, out[0].Text)
				}
			}
			return out[0]
		}
		// The fixture's period told nobody; opened again, from half an
		// hour ago, it tells every registered authority's contact.
		opens, closes := time.Now().Add(-30*time.Minute), time.Now().AddDate(0, 1, 0)
		if err := st.SetAmendmentPeriod(ctx, f.declaration, &opens, &closes, time.Now()); err != nil {
			t.Fatal(err)
		}
		told(store.NoticePeriod, "y.sato@example.org", "修正案の受付開始", "京都市として", "パリ時間", "日本時間",
			fmt.Sprintf("/ja/declarations/%d/amendments", f.declaration))
		told(store.NoticePeriod, contact, "Amendements ouverts", "pour Kumamoto", "heure de Paris",
			fmt.Sprintf("/fr/declarations/%d/amendments", f.declaration))

		// The Japanese marked to check is confirmed; the committee
		// freezes for endorsement, leaving Kumamoto's amendment.
		d, err := st.Declaration(ctx, f.declaration)
		if err != nil {
			t.Fatal(err)
		}
		for _, sg := range d.Segments {
			if sg.NeedsCheck() {
				if err := st.ConfirmTranslation(ctx, d.ID, sg.ID, sg.Version, rencontres.Japanese, 0, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		until := time.Now().AddDate(0, 0, 7)
		freeze := map[string]any{"mode": "endorsement", "endorse_until": until}
		if status, b, _ := f.call(t, rencontres.Secretariat, "POST", base+"/freeze?lang=fr", freeze); status != 409 || !strings.Contains(string(b), fmt.Sprintf("#%d", f.amendment)) {
			t.Fatalf("freeze with an amendment undecided, not named: %d %s", status, b)
		}
		freeze["leave_undecided"] = []int64{f.amendment}
		if status, b, _ := f.call(t, rencontres.Secretariat, "POST", base+"/freeze", freeze); status != 200 {
			t.Fatalf("freeze: %d %s", status, b)
		}
		if a, err := st.Amendment(ctx, f.amendment); err != nil || a.State != rencontres.AmendmentProposed {
			t.Errorf("the amendment left undecided: %+v %v", a, err)
		}
		told(store.NoticeFrozen, "y.sato@example.org", "本文確定", "京都市として署名してください", "日本時間",
			fmt.Sprintf("/ja/declarations/%d/adoption", f.declaration))
		told(store.NoticeFrozen, contact, "Texte arrêté", "Signez-le pour Kumamoto avant le", "heure de Tokyo")

		if status, b, _ := f.call(t, rencontres.AuthorityContact, "POST", base+"/endorse", map[string]any{"organisation": "jp-431001"}); status != 200 {
			t.Fatalf("endorse: %d %s", status, b)
		}
		if status, b, _ := f.call(t, rencontres.Secretariat, "POST", base+"/adopt", nil); status != 200 {
			t.Fatalf("adopt: %d %s", status, b)
		}
		public := "/series/rencontres-franco-japonaises/7/declaration"
		told(store.NoticeAdopted, "y.sato@example.org", "宣言採択", "/ja"+public+"\n", "/ja"+public+".pdf")
		told(store.NoticeAdopted, contact, "Déclaration adoptée", "/fr"+public+"\n", "/fr"+public+".pdf")

		if d, err = st.Declaration(ctx, f.declaration); err != nil {
			t.Fatal(err)
		}
		sg := d.Segments[0]
		fix := map[string]any{"reason": map[string]string{"fr": "Coquille dans le préambule", "ja": "前文の誤字"},
			"segments": []map[string]any{{"id": sg.ID, "version": sg.Version, "text": map[string]string{"fr": "Nous, collectivités territoriales réunies,", "ja": sg.Text["ja"]}}}}
		if status, b, _ := f.call(t, rencontres.Secretariat, "POST", base+"/corrections", fix); status != 201 {
			t.Fatalf("correction: %d %s", status, b)
		}
		told(store.NoticeCorrected, contact, "Déclaration corrigée", "Motif\u00a0: Coquille dans le préambule",
			"Avant\u00a0: «\u00a0Nous, collectivités réunies,\u00a0»", "Après\u00a0: «\u00a0Nous, collectivités territoriales réunies,\u00a0»", "/fr"+public+"\n")
		told(store.NoticeCorrected, "y.sato@example.org", "宣言の訂正", "理由：前文の誤字", "前文 — フランス語", "訂正後：「Nous, collectivités territoriales réunies,」")
		// Emptied again, the outbox told nobody twice.
		told(store.NoticePeriod, "y.sato@example.org")
		told(store.NoticeFrozen, contact)
	})
}
