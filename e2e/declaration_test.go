package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Two drafters of the 7th edition's final declaration in a browser: the
// secretariat, in French, starts it from the edition's event page and
// adds an article; a member of the joint committee, in Japanese, opens
// the page; the secretariat changes the French alone, and the article
// shows « Traduction à vérifier » / 「翻訳要確認」 in both languages; the
// member, saving the Japanese against the version they read, is shown
// the secretariat's text beside their own, kept in the form; they confirm
// the translation and the mark goes. Every page through axe-core.
func TestDeclarationTwoDrafters(t *testing.T) {
	fresh(t)
	ctx := context.Background()
	st := srv.Store
	ed := seventh(t)
	freeSeventh(t, ed.ID)
	staff := signedIn(t, &rencontres.User{Email: "declaration.staff@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	memberUser := &rencontres.User{Email: "declaration.member@example.org", Name: "Aiko TANAKA", Lang: rencontres.Japanese, Role: rencontres.CommitteeMember}
	member := signedIn(t, memberUser, "")
	joint, err := st.JointCommittee(ctx, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if joint == 0 {
		c := &rencontres.Committee{EditionID: ed.ID, Kind: "joint", Name: rencontres.Text{"fr": "Comité mixte", "ja": "合同委員会"}}
		if err := st.SaveCommittee(ctx, c); err != nil {
			t.Fatal(err)
		}
		joint = c.ID
	}
	if err := st.BindCommittee(ctx, memberUser.ID, joint); err != nil {
		t.Fatal(err)
	}

	// The secretariat starts it from the edition's event page.
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d", baseURL, ed.ID)))
	click(t, staff, fmt.Sprintf(`a[href="/fr/events/%d/declaration"]`, ed.ID))
	checkAccessibility(t, staff, "/fr/events/{id}/declaration")
	click(t, staff, fmt.Sprintf(`form[action="/fr/events/%d/declaration"] button[type=submit]`, ed.ID))
	if !strings.Contains(path(t, staff), "done=started") {
		t.Fatalf("not started: %s", path(t, staff))
	}
	d, err := st.DeclarationOfEdition(ctx, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Title["fr"], "Déclaration finale") || d.Title["ja"] == "" {
		t.Errorf("the default title: %v", d.Title)
	}
	// An article, both languages.
	do(t, staff, chromedp.SetValue(chromedp.ID("new-text_fr"), "Les collectivités renforcent leurs échanges."),
		chromedp.SetValue(chromedp.ID("new-text_ja"), "自治体は交流を強化する。"),
		chromedp.SetValue(chromedp.ID("new-kind"), "article"))
	click(t, staff, `#new-segment button[type=submit]`)
	if !strings.Contains(path(t, staff), "done=added") {
		t.Fatalf("not added: %s %.300s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	checkAccessibility(t, staff, "/fr/declarations/{id}")
	if d, err = st.Declaration(ctx, d.ID); err != nil || len(d.Segments) != 1 {
		t.Fatalf("segments: %v", err)
	}
	seg := d.Segments[0]
	form := fmt.Sprintf(`form[action="%%s/declarations/%d/segments/%d"]`, d.ID, seg.ID)
	openForms := chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`)

	// The member opens the page in Japanese: version 1 in their form.
	do(t, member, chromedp.Navigate(fmt.Sprintf("%s/ja/declarations/%d", baseURL, d.ID)))
	checkAccessibility(t, member, "/ja/declarations/{id}")
	if text := get(t, member, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "第1条") || strings.Contains(text, "翻訳要確認") {
		t.Errorf("the member's page before the change:\n%.500s", text)
	}

	// The secretariat changes the French alone.
	do(t, staff, openForms, chromedp.SetValue(chromedp.ID(fmt.Sprintf("seg-%d-text_fr", seg.ID)), "Les collectivités renforcent durablement leurs échanges."))
	click(t, staff, fmt.Sprintf(form, "/fr")+` button[type=submit]`)
	if !strings.Contains(path(t, staff), "done=saved") {
		t.Fatalf("not saved: %s %.300s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	marks := get(t, staff, chromedp.Text(chromedp.CSS(fmt.Sprintf(`#segment-%d .decl-pair`, seg.ID))))
	if !strings.Contains(marks, "Traduction à vérifier") || !strings.Contains(marks, "翻訳要確認") {
		t.Errorf("the segment is not marked in both languages:\n%s", marks)
	}

	// The member saves the Japanese against version 1: a conflict, both
	// texts shown, theirs kept.
	mine := "自治体は交流を一層強化する。"
	do(t, member, openForms, chromedp.SetValue(chromedp.ID(fmt.Sprintf("seg-%d-text_ja", seg.ID)), mine))
	click(t, member, fmt.Sprintf(form, "/ja")+` button[type=submit]`)
	conflict := get(t, member, chromedp.Text(chromedp.CSS(`.decl-conflict`)))
	if !strings.Contains(conflict, "Les collectivités renforcent durablement leurs échanges.") || !strings.Contains(conflict, "別の人") {
		t.Errorf("the conflict does not show the other's text:\n%s", conflict)
	}
	if got := get(t, member, chromedp.Value(chromedp.ID(fmt.Sprintf("seg-%d-text_ja", seg.ID)))); got != mine {
		t.Errorf("the member's own text is lost: %q", got)
	}
	checkAccessibility(t, member, "/ja/declarations/{id} (conflict)")
	if cur, _ := st.Declaration(ctx, d.ID); cur.Segments[0].Text["ja"] != "自治体は交流を強化する。" {
		t.Errorf("the conflicting save was written: %q", cur.Segments[0].Text["ja"])
	}

	// The member confirms the Japanese translation: the mark goes.
	click(t, member, fmt.Sprintf(`form[action="/ja/declarations/%d/segments/%d/confirm"] button[type=submit]`, d.ID, seg.ID))
	if !strings.Contains(path(t, member), "done=confirmed") {
		t.Fatalf("not confirmed: %s %.300s", path(t, member), get(t, member, chromedp.Text(chromedp.CSS(`main`))))
	}
	if text := get(t, member, chromedp.Text(chromedp.CSS(`main`))); strings.Contains(text, "翻訳要確認") || strings.Contains(text, "Traduction à vérifier") {
		t.Errorf("still marked after confirming:\n%.500s", text)
	}

	// The history, with the French word diff, and the segment's page.
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/history", baseURL, d.ID)))
	checkAccessibility(t, staff, "/fr/declarations/{id}/history")
	if ins := get(t, staff, chromedp.Text(chromedp.CSS(`.decl-diff ins`))); !strings.Contains(ins, "durablement") {
		t.Errorf("the diff's insertion: %q", ins)
	}
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/segments/%d", baseURL, d.ID, seg.ID)))
	checkAccessibility(t, staff, "/fr/declarations/{id}/segments/{id}")
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/history/1", baseURL, d.ID)))
	checkAccessibility(t, staff, "/fr/declarations/{id}/history/1")
	if text := get(t, staff, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "Les collectivités renforcent leurs échanges.") {
		t.Errorf("the text at change 1:\n%.300s", text)
	}
}
