package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// amendFixture is a declaration of the demo's 7th edition (joint
// committee; Marseille fr-13055, Kyoto jp-261009, Strasbourg fr-67482
// registered) with three articles, its amendment period open from 1 to
// 20 September 2022, Paris time; the contacts of Marseille (French) and
// Kyoto (Japanese), and of Tokyo (jp-130001), not registered.
type amendFixture struct {
	decl                 *rencontres.Declaration
	segs                 []*rencontres.Segment
	fr, ja, third, other *rencontres.User
	drafter              int64
	now                  time.Time // within the period
	opens, closes        time.Time
}

func newAmendFixture(t *testing.T, s *store.Store) *amendFixture {
	t.Helper()
	ctx := context.Background()
	e7 := freeSeventh(t, s)
	var err error
	paris, _ := time.LoadLocation("Europe/Paris")
	f := &amendFixture{opens: time.Date(2022, 9, 1, 9, 0, 0, 0, paris), closes: time.Date(2022, 9, 20, 18, 0, 0, 0, paris),
		now: time.Date(2022, 9, 10, 12, 0, 0, 0, paris)}
	for _, u := range []struct {
		p     **rencontres.User
		email string
	}{{&f.fr, "c.lefebvre@example.org"}, {&f.ja, "y.sato@example.org"}, {&f.third, "l.fontaine@example.org"}, {&f.other, "h.nakamura@example.org"}} {
		if *u.p, err = s.UserByEmail(ctx, u.email); err != nil {
			t.Fatal(err)
		}
	}
	f.drafter = f.third.ID // any account: the store does not check who decides
	d := &rencontres.Declaration{EditionID: e7.ID, Title: rencontres.Text{"fr": "Déclaration de Marseille", "ja": "マルセイユ宣言"},
		Segments: []*rencontres.Segment{
			{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力する。"}},
			{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Elles échangent leurs pratiques.", "ja": "実践を交換する。", "en": "They share practices."}},
			{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Elles se revoient en 2024.", "ja": "2024年に再会する。"}},
		}}
	if err := s.StartDeclaration(ctx, d, f.drafter, f.opens.AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAmendmentPeriod(ctx, d.ID, &f.opens, &f.closes, f.opens.AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	f.decl = d
	f.reload(t, s)
	if len(f.segs) != 3 {
		t.Fatalf("fixture: %d segments", len(f.segs))
	}
	return f
}

func (f *amendFixture) reload(t *testing.T, s *store.Store) {
	t.Helper()
	d, err := s.Declaration(context.Background(), f.declID())
	if err != nil {
		t.Fatal(err)
	}
	f.decl, f.segs = d, d.Segments
}

func (f *amendFixture) declID() int64 {
	if f.decl != nil {
		return f.decl.ID
	}
	return 0
}

// change is Kyoto's amendment, in Japanese, changing the first article.
func (f *amendFixture) change() *rencontres.Amendment {
	return &rencontres.Amendment{DeclarationID: f.decl.ID, SegmentID: f.segs[0].ID, BaseVersion: f.segs[0].Version, Kind: rencontres.AmendChange,
		OrgKey: "jp-261009", Lang: rencontres.Japanese, Text: rencontres.Text{"ja": "自治体は対等に協力する。"},
		Justification: rencontres.Text{"ja": "対等な関係を明記するため。"}}
}

func mustCode(t *testing.T, err error, code, key string) {
	t.Helper()
	var e *rencontres.Error
	if !errors.As(err, &e) || e.Code != code || (key != "" && e.Key != key) {
		t.Fatalf("want %s %s, got %#v", code, key, err)
	}
}

func TestAmendmentProposeFaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAmendFixture(t, s)
		propose := func(a *rencontres.Amendment, by int64, at time.Time) error { return s.ProposeAmendment(ctx, a, by, at) }
		mustCode(t, propose(f.change(), f.ja.ID, f.opens.Add(-time.Minute)), rencontres.ECONFLICT, "amendment.error_not_open")
		mustCode(t, propose(f.change(), f.ja.ID, f.closes), rencontres.ECONFLICT, "amendment.error_closed")
		a := f.change()
		a.OrgKey = "jp-130001"
		mustCode(t, propose(a, f.other.ID, f.now), rencontres.EFORBIDDEN, "amendment.error_not_registered")
		a = f.change()
		a.SegmentID = 999999
		mustCode(t, propose(a, f.ja.ID, f.now), rencontres.ECONFLICT, "amendment.error_segment_gone")
		a = f.change()
		a.Kind, a.Text, a.Justification = "rewrite", rencontres.Text{}, rencontres.Text{"ja": " "}
		err := propose(a, f.ja.ID, f.now)
		mustFields(t, err, "kind", "justification")
		a = f.change()
		a.Text = rencontres.Text{"fr": "Une traduction seule."}
		mustFields(t, propose(a, f.ja.ID, f.now), "text")
		a = f.change()
		a.Kind = rencontres.AmendAddAfter
		a.Text = rencontres.Text{"ja": "  "}
		mustFields(t, propose(a, f.ja.ID, f.now), "text")
		a = f.change()
		a.Lang = "de"
		mustFields(t, propose(a, f.ja.ID, f.now), "lang")

		// The segment changed after the author read it: re-based.
		stale := f.change()
		g := *f.segs[0]
		g.Text = rencontres.Text{"fr": "Les collectivités coopèrent librement.", "ja": "自治体は自由に協力する。"}
		if err := s.SaveSegment(ctx, f.decl.ID, &g, 0, f.drafter, f.now); err != nil {
			t.Fatal(err)
		}
		err = propose(stale, f.ja.ID, f.now)
		mustCode(t, err, rencontres.ECONFLICT, "amendment.error_rebase")
		var c *rencontres.SegmentConflict
		if !errors.As(err, &c) || c.Err.Field != "text" || c.Err.Args["Version"] != g.Version || c.Current.Version != g.Version || c.Current.Text["ja"] != g.Text["ja"] {
			t.Errorf("re-base: %#v (segment now at %d)", err, g.Version)
		}
		// A deleted segment no longer exists.
		f.reload(t, s)
		if err := s.DeleteSegment(ctx, f.decl.ID, f.segs[2].ID, f.segs[2].Version, f.drafter, f.now); err != nil {
			t.Fatal(err)
		}
		a = f.change()
		a.SegmentID, a.BaseVersion = f.segs[2].ID, f.segs[2].Version
		mustCode(t, propose(a, f.ja.ID, f.now), rencontres.ECONFLICT, "amendment.error_segment_gone")

		if all, err := s.Amendments(ctx, f.decl.ID); err != nil || len(all) != 0 {
			t.Fatalf("nothing saved: %v %v", all, err)
		}
		ok := f.change()
		ok.BaseVersion = 0 // the current version
		if err := propose(ok, f.ja.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, err := s.Amendment(ctx, ok.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != rencontres.AmendmentProposed || got.BaseVersion != g.Version || got.OrgKey != "jp-261009" || got.OrgName.In("ja") == "" ||
			got.AuthorID != f.ja.ID || got.Bilingual() || got.Text["ja"] != "自治体は対等に協力する。" || len(got.Supporters) != 0 {
			t.Errorf("proposed: %+v", got)
		}
	})
}

func TestAmendmentSupportAndWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAmendFixture(t, s)
		a := f.change()
		if err := s.ProposeAmendment(ctx, a, f.ja.ID, f.now); err != nil {
			t.Fatal(err)
		}
		mustCode(t, s.SupportAmendment(ctx, a.ID, "jp-261009", f.ja.ID, f.now), rencontres.EINVALID, "amendment.error_support_own")
		mustCode(t, s.SupportAmendment(ctx, a.ID, "jp-130001", f.other.ID, f.now), rencontres.EFORBIDDEN, "amendment.error_not_registered")
		mustCode(t, s.SupportAmendment(ctx, a.ID, "fr-13055", f.fr.ID, f.closes), rencontres.ECONFLICT, "amendment.error_closed")
		if err := s.SupportAmendment(ctx, a.ID, "fr-13055", f.fr.ID, f.now); err != nil {
			t.Fatal(err)
		}
		mustCode(t, s.SupportAmendment(ctx, a.ID, "fr-13055", f.fr.ID, f.now), rencontres.ECONFLICT, "amendment.error_supported")
		if err := s.SupportAmendment(ctx, a.ID, "fr-67482", f.third.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Amendment(ctx, a.ID)
		if !slices.Equal(got.Supporters, []string{"fr-13055", "fr-67482"}) {
			t.Errorf("supporters %v", got.Supporters)
		}
		mustCode(t, s.WithdrawAmendment(ctx, a.ID, f.ja.ID, f.now), rencontres.ECONFLICT, "amendment.error_withdraw_supported")
		mustCode(t, s.WithdrawSupport(ctx, a.ID, "jp-462012", f.now), rencontres.ENOTFOUND, "amendment.error_not_supported")
		for _, k := range []string{"fr-13055", "fr-67482"} {
			if err := s.WithdrawSupport(ctx, a.ID, k, f.now); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.WithdrawAmendment(ctx, a.ID, f.ja.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Amendment(ctx, a.ID)
		if got.State != rencontres.AmendmentWithdrawn || len(got.Supporters) != 0 {
			t.Errorf("withdrawn: %+v", got)
		}
		mustCode(t, s.SupportAmendment(ctx, a.ID, "fr-13055", f.fr.ID, f.now), rencontres.ECONFLICT, "amendment.error_decided")
		mustCode(t, s.WithdrawAmendment(ctx, a.ID, f.ja.ID, f.now), rencontres.ECONFLICT, "amendment.error_decided")
		mustCode(t, s.AcceptAmendment(ctx, a.ID, f.drafter, f.now), rencontres.ECONFLICT, "amendment.error_decided")
	})
}

func TestAmendmentAcceptEachKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAmendFixture(t, s)
		change := f.change()
		add := &rencontres.Amendment{DeclarationID: f.decl.ID, SegmentID: f.segs[1].ID, BaseVersion: f.segs[1].Version, Kind: rencontres.AmendAddAfter,
			OrgKey: "fr-13055", Lang: rencontres.French, Text: rencontres.Text{"fr": "Elles forment leurs agents ensemble."},
			Justification: rencontres.Text{"fr": "La formation manque au texte."}}
		del := &rencontres.Amendment{DeclarationID: f.decl.ID, SegmentID: f.segs[2].ID, BaseVersion: f.segs[2].Version, Kind: rencontres.AmendDelete,
			OrgKey: "fr-67482", Lang: rencontres.French, Text: rencontres.Text{"fr": "ignored"}, Justification: rencontres.Text{"fr": "Prématuré."}}
		for _, a := range []*rencontres.Amendment{change, add, del} {
			by := map[string]int64{"jp-261009": f.ja.ID, "fr-13055": f.fr.ID, "fr-67482": f.third.ID}[a.OrgKey]
			if err := s.ProposeAmendment(ctx, a, by, f.now); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SupportAmendment(ctx, change.ID, "fr-13055", f.fr.ID, f.now); err != nil {
			t.Fatal(err)
		}
		// Japanese only: the translators must supply the French first.
		err := s.AcceptAmendment(ctx, change.ID, f.drafter, f.now)
		mustCode(t, err, rencontres.ECONFLICT, "amendment.error_translation_missing")
		mustFields(t, s.TranslateAmendment(ctx, change.ID, "fr", "  ", f.drafter, f.now), "text")
		mustFields(t, s.TranslateAmendment(ctx, del.ID, "ja", "削除", f.drafter, f.now), "text")
		if err := s.TranslateAmendment(ctx, change.ID, "fr", "Les collectivités coopèrent d’égal à égal.", f.drafter, f.now); err != nil {
			t.Fatal(err)
		}
		if err := s.TranslateAmendment(ctx, add.ID, "ja", "職員を共に研修する。", f.drafter, f.now); err != nil {
			t.Fatal(err)
		}
		rev := f.decl.Rev
		for _, a := range []*rencontres.Amendment{change, add, del} {
			if err := s.AcceptAmendment(ctx, a.ID, f.drafter, f.now.Add(time.Hour)); err != nil {
				t.Fatalf("accept %s: %v", a.Kind, err)
			}
		}
		f.reload(t, s)
		if f.decl.Rev != rev+3 {
			t.Errorf("rev %d, want %d", f.decl.Rev, rev+3)
		}
		var texts []string
		for _, g := range f.segs {
			texts = append(texts, g.Text["fr"]+"|"+g.Text["ja"])
		}
		want := []string{"Les collectivités coopèrent d’égal à égal.|自治体は対等に協力する。", "Elles échangent leurs pratiques.|実践を交換する。",
			"Elles forment leurs agents ensemble.|職員を共に研修する。"}
		if !slices.Equal(texts, want) {
			t.Errorf("text after the amendments:\n%q\nwant\n%q", texts, want)
		}
		if f.segs[2].Kind != rencontres.SegmentParagraph || f.segs[1].Number != 2 {
			t.Errorf("added: %+v, numbers %d", f.segs[2], f.segs[1].Number)
		}
		hist, err := s.SegmentHistory(ctx, f.decl.ID, f.segs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if hist[0].Action != rencontres.VersionAmendment || hist[0].AmendmentID != change.ID || hist[0].ByUser != f.drafter || hist[0].Version != f.segs[0].Version {
			t.Errorf("history of the change: %+v", hist[0])
		}
		all, err := s.DeclarationHistory(ctx, f.decl.ID)
		if err != nil {
			t.Fatal(err)
		}
		var named []int64
		for _, v := range all {
			if v.Action == rencontres.VersionAmendment {
				named = append(named, v.AmendmentID)
			}
		}
		if slices.Sort(named); !slices.Equal(named, []int64{change.ID, add.ID, del.ID}) {
			t.Errorf("versions naming amendments: %v", named)
		}
		for _, a := range []*rencontres.Amendment{change, add, del} {
			got, _ := s.Amendment(ctx, a.ID)
			if got.State != rencontres.AmendmentAccepted || got.DecidedBy != f.drafter || got.DecidedAt == nil {
				t.Errorf("accepted: %+v", got)
			}
		}
		// Each author told in their language; Marseille's contact also as
		// a supporter of Kyoto's.
		got := queuedMails(t, s, store.AmendmentMailKind)
		wantMails := []string{"y.sato@example.org ja accepted", "c.lefebvre@example.org fr accepted", "c.lefebvre@example.org fr accepted",
			"l.fontaine@example.org fr accepted"}
		if !slices.Equal(got, wantMails) {
			t.Errorf("mails %q, want %q", got, wantMails)
		}
	})
}

func TestAmendmentRebaseRejectAndMerge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAmendFixture(t, s)
		a := f.change()
		a.Text["fr"] = "Les collectivités coopèrent d’égal à égal."
		if err := s.ProposeAmendment(ctx, a, f.ja.ID, f.now); err != nil {
			t.Fatal(err)
		}
		b := &rencontres.Amendment{DeclarationID: f.decl.ID, SegmentID: f.segs[0].ID, BaseVersion: f.segs[0].Version, Kind: rencontres.AmendChange,
			OrgKey: "fr-13055", Lang: rencontres.French, Text: rencontres.Text{"fr": "Les collectivités coopèrent durablement."},
			Justification: rencontres.Text{"fr": "La durée compte."}}
		if err := s.ProposeAmendment(ctx, b, f.fr.ID, f.now); err != nil {
			t.Fatal(err)
		}
		c := &rencontres.Amendment{DeclarationID: f.decl.ID, SegmentID: f.segs[1].ID, Kind: rencontres.AmendDelete, OrgKey: "fr-67482",
			Lang: rencontres.French, Justification: rencontres.Text{"fr": "Redondant."}}
		if err := s.ProposeAmendment(ctx, c, f.third.ID, f.now); err != nil {
			t.Fatal(err)
		}
		// The segment edited by the committee meanwhile: a is re-based.
		g := *f.segs[0]
		g.Text = rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力しあう。"}
		if err := s.SaveSegment(ctx, f.decl.ID, &g, 0, f.drafter, f.now); err != nil {
			t.Fatal(err)
		}
		mustCode(t, s.AcceptAmendment(ctx, a.ID, f.drafter, f.now), rencontres.ECONFLICT, "amendment.error_rebase")
		if got, _ := s.Amendment(ctx, a.ID); got.State != rencontres.AmendmentProposed {
			t.Errorf("refused yet %s", got.State)
		}
		// Rejected with a reason, required.
		mustFields(t, s.RejectAmendment(ctx, c.ID, rencontres.Text{"fr": " "}, f.drafter, f.now), "reason")
		if err := s.RejectAmendment(ctx, c.ID, rencontres.Text{"fr": "L’article est nécessaire."}, f.drafter, f.now); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Amendment(ctx, c.ID); got.State != rencontres.AmendmentRejected || got.Reason["fr"] != "L’article est nécessaire." {
			t.Errorf("rejected: %+v", got)
		}
		// Merged: one committee amendment, applied; a and b merged into it.
		merged := &rencontres.Amendment{Kind: rencontres.AmendChange, Lang: rencontres.French,
			Text: rencontres.Text{"fr": "Les collectivités coopèrent durablement, d’égal à égal."}, Justification: rencontres.Text{"fr": "Synthèse."}}
		_, err := s.MergeAmendments(ctx, []int64{a.ID, c.ID}, merged, f.drafter, f.now)
		mustFields(t, err, "text_ja")
		merged.Text["ja"] = "自治体は対等に、持続的に協力する。"
		_, err = s.MergeAmendments(ctx, []int64{a.ID, c.ID}, merged, f.drafter, f.now)
		mustCode(t, err, rencontres.ECONFLICT, "amendment.error_decided")
		id, err := s.MergeAmendments(ctx, []int64{a.ID, b.ID}, merged, f.drafter, f.now)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := s.Amendment(ctx, id)
		if m.State != rencontres.AmendmentAccepted || m.OrgKey != "" || m.AuthorID != f.drafter || m.BaseVersion != g.Version {
			t.Errorf("merged amendment: %+v", m)
		}
		for _, x := range []int64{a.ID, b.ID} {
			if got, _ := s.Amendment(ctx, x); got.State != rencontres.AmendmentMerged || got.MergedInto != id {
				t.Errorf("merged: %+v", got)
			}
		}
		f.reload(t, s)
		if f.segs[0].Text["ja"] != "自治体は対等に、持続的に協力する。" {
			t.Errorf("merged text not applied: %v", f.segs[0].Text)
		}
		got := queuedMails(t, s, store.AmendmentMailKind)
		want := []string{"l.fontaine@example.org fr rejected", "y.sato@example.org ja merged", "c.lefebvre@example.org fr merged"}
		if !slices.Equal(got, want) {
			t.Errorf("mails %q, want %q", got, want)
		}
	})
}

func TestAmendmentOrgMergeAndPersonalData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAmendFixture(t, s)
		a := f.change()
		a.OrgKey, a.Lang, a.Text = "fr-13055", rencontres.French, rencontres.Text{"fr": "Les collectivités coopèrent d’égal à égal."}
		if err := s.ProposeAmendment(ctx, a, f.fr.ID, f.now); err != nil {
			t.Fatal(err)
		}
		for _, k := range []struct {
			org string
			by  int64
		}{{"jp-261009", f.ja.ID}, {"fr-67482", f.third.ID}} {
			if err := s.SupportAmendment(ctx, a.ID, k.org, k.by, f.now); err != nil {
				t.Fatal(err)
			}
		}
		// Strasbourg's record merged into Kyoto's (both support it): one support
		// stays.
		if _, err := s.MergeOrganisations(ctx, "jp-261009", "fr-67482", true, nil); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Amendment(ctx, a.ID)
		if !slices.Equal(got.Supporters, []string{"jp-261009"}) {
			t.Errorf("supporters after the merge: %v", got.Supporters)
		}
		if _, err := s.MergeOrganisations(ctx, "fr-21231", "fr-13055", true, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.Amendment(ctx, a.ID); got.OrgKey != "fr-21231" {
			t.Errorf("amendment's authority after the merge: %q", got.OrgKey)
		}
		pd, err := s.PersonalData(ctx, f.fr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pd.Amendments) != 1 || pd.Amendments[0].ID != a.ID {
			t.Errorf("export of the author: %+v", pd.Amendments)
		}
		pd, err = s.PersonalData(ctx, f.ja.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pd.AmendmentSupports) != 1 || pd.AmendmentSupports[0].ID != a.ID {
			t.Errorf("export of the supporter: %+v", pd.AmendmentSupports)
		}
		for _, u := range []int64{f.fr.ID, f.ja.ID} {
			if err := s.EraseUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		got, err = s.Amendment(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AuthorID != 0 || got.OrgKey != "fr-21231" || got.State != rencontres.AmendmentProposed || len(got.Supporters) != 1 {
			t.Errorf("after the erasure: %+v", got)
		}
	})
}
