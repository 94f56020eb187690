package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The demo's declaration, adopted by endorsement (moved by the fixture to
// the 8th edition, the 7th holding a draft), through the API and the
// public pages on both databases: the adoptions and corrections in the
// declaration's answer, no freeze nor endorsement of an adopted text, a
// correction against a stale version refused and a right one listed and
// shown; the published page and its PDF, and none before an adoption.
func TestDeclarationAdoptionAPIAndPublication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		eighth, err := st.Edition(ctx, "rencontres-franco-japonaises", 8)
		if err != nil {
			t.Fatal(err)
		}
		d, err := st.DeclarationOfEdition(ctx, eighth.ID)
		if err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/api/v1/declarations/%d", d.ID)
		status, b, _ := f.call(t, rencontres.Secretariat, "GET", base, nil)
		var out struct {
			State       string                              `json:"state"`
			Adoptions   []*rencontres.Adoption              `json:"adoptions"`
			Corrections []*rencontres.DeclarationCorrection `json:"corrections"`
			Segments    []*rencontres.Segment               `json:"segments"`
		}
		if err := json.Unmarshal(b, &out); status != 200 || err != nil {
			t.Fatalf("GET %s: %d %s", base, status, b)
		}
		if out.State != "adopted" || len(out.Adoptions) < 3 {
			t.Fatalf("demo declaration: %s, %d adoptions", out.State, len(out.Adoptions))
		}
		for _, a := range out.Adoptions {
			if a.Choice != rencontres.Endorse {
				t.Errorf("%s: %s, want endorse", a.OrgKey, a.Choice)
			}
		}
		if status, b, _ := f.call(t, rencontres.Secretariat, "POST", base+"/freeze?lang=fr", map[string]any{"mode": "vote"}); status != 409 || !strings.Contains(string(b), "n’est plus en projet") {
			t.Errorf("freeze an adopted text: %d %s", status, b)
		}
		if status, b, _ := f.call(t, rencontres.AuthorityContact, "POST", base+"/endorse", map[string]any{"organisation": "jp-431001"}); status != 409 && status != 404 {
			t.Errorf("endorse an adopted text: %d %s", status, b)
		}
		if status, _, _ := f.call(t, rencontres.Participant, "POST", base+"/adopt", nil); status != 403 && status != 404 {
			t.Errorf("a participant adopts: %d", status)
		}
		sg := out.Segments[2]
		fix := map[string]any{"reason": map[string]string{"fr": "Coquille", "ja": "誤字"},
			"segments": []map[string]any{{"id": sg.ID, "version": sg.Version - 1, "text": map[string]string{"fr": sg.Text["fr"] + " Corrigé.", "ja": sg.Text["ja"] + "訂正。"}}}}
		if status, b, _ := f.call(t, rencontres.Secretariat, "POST", base+"/corrections?lang=ja", fix); status != 409 || !strings.Contains(string(b), "他の人が訂正") {
			t.Errorf("stale correction: %d %s", status, b)
		}
		fix["segments"].([]map[string]any)[0]["version"] = sg.Version
		if status, b, _ := f.call(t, rencontres.Secretariat, "POST", base+"/corrections", fix); status != 201 {
			t.Fatalf("correction: %d %s", status, b)
		}
		status, b, _ = f.call(t, rencontres.Secretariat, "GET", base+"/corrections", nil)
		if status != 200 || !strings.Contains(string(b), "Coquille") {
			t.Errorf("corrections: %d %s", status, b)
		}
		page := f.page(t, rencontres.Public, "/fr/series/rencontres-franco-japonaises/8/declaration")
		for _, want := range []string{"Déclaration d’Aix-en-Provence", "I. 持続可能な経済モデルに向けて", "第1条", "Corrigé.", "<ins>", "declaration.pdf", "Kyoto"} {
			if !strings.Contains(page, want) {
				t.Errorf("public page lacks %q", want)
			}
		}
		status, b, h := f.call(t, rencontres.Public, "GET", "/fr/series/rencontres-franco-japonaises/8/declaration.pdf", nil)
		if status != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(b), "%PDF") {
			t.Errorf("PDF: %d %s", status, h.Get("Content-Type"))
		}
		// The demo's amendments show every state, the two the committee did
		// not take up before the freeze as not decided, in each language.
		for lang, wants := range map[string][]string{
			"fr": {"Adopté", "Rejeté", "Fusionné", "Retiré", "Non décidé avant l’arrêt du texte (2)"},
			"ja": {"採択", "不採択", "統合済み", "取り下げ", "本文確定までに未決定 (2)"},
		} {
			page := f.page(t, rencontres.Secretariat, fmt.Sprintf("/%s/declarations/%d/amendments", lang, d.ID))
			for _, want := range wants {
				if !strings.Contains(page, want) {
					t.Errorf("%s amendments page lacks %q", lang, want)
				}
			}
		}
		var undecided []*rencontres.Amendment
		all, err := st.Amendments(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			if a.State == rencontres.AmendmentProposed {
				undecided = append(undecided, a)
			}
		}
		if len(undecided) != 2 {
			t.Fatalf("demo amendments left undecided: %d, want 2", len(undecided))
		}
		page = f.page(t, rencontres.Secretariat, fmt.Sprintf("/fr/amendments/%d", undecided[0].ID))
		if !strings.Contains(page, "Non décidé avant l’arrêt du texte") || strings.Contains(page, `action="/fr/amendments/`) {
			t.Errorf("an amendment left undecided: its state or an action is wrong")
		}
		if status, _, _ := f.call(t, rencontres.Public, "GET", "/fr/series/rencontres-franco-japonaises/9/declaration", nil); status != 404 {
			t.Errorf("an edition without declaration: %d, want 404", status)
		}
	})
}
