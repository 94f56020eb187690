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

// declFixture is the demo's 7th edition with a joint committee, a drafter
// sitting on it, the secretariat, and two authorities registered for it,
// one French and one Japanese, each with its contact; and an outsider.
type declFixture struct {
	edition                                    int64
	joint                                      int64
	drafter, secretariat, frContact, jaContact *rencontres.User
	outsider                                   *rencontres.User
	frOrg, jaOrg                               string
	now                                        time.Time
}

func newDeclFixture(t *testing.T, s *store.Store) *declFixture {
	t.Helper()
	ctx := context.Background()
	ed := freeSeventh(t, s)
	f := &declFixture{edition: ed.ID, now: time.Date(2022, 5, 10, 9, 0, 0, 0, time.UTC)}
	for _, c := range ed.Committees {
		if c.Kind == "joint" {
			f.joint = c.ID
		}
	}
	if f.joint == 0 {
		if err := s.DB().QueryRow("INSERT INTO committees (edition_id, kind, name) VALUES ($1, 'joint', '{}') RETURNING id", ed.ID).Scan(&f.joint); err != nil {
			t.Fatal(err)
		}
	}
	user := func(email, name string, role rencontres.Role) *rencontres.User {
		u := &rencontres.User{Email: email, Name: name, Lang: rencontres.French, Role: role}
		if err := s.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.drafter = user("claire.durand@example.org", "Claire DURAND", rencontres.CommitteeMember)
	if err := s.BindCommittee(ctx, f.drafter.ID, f.joint); err != nil {
		t.Fatal(err)
	}
	f.secretariat = user("secretariat.decl@example.org", "Sophie MARCHAND", rencontres.Secretariat)
	f.outsider = user("paul.martin@example.org", "Paul MARTIN", rencontres.AuthorityContact)
	if err := s.DB().QueryRow("SELECT key FROM organisations WHERE country = 'FR' AND kind = 'commune' ORDER BY key LIMIT 1").Scan(&f.frOrg); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow("SELECT key FROM organisations WHERE country = 'JP' ORDER BY key LIMIT 1").Scan(&f.jaOrg); err != nil {
		t.Fatal(err)
	}
	f.frContact = user("contact.fr@example.org", "Jeanne PETIT", rencontres.AuthorityContact)
	f.jaContact = user("contact.ja@example.org", "Haruto SATO", rencontres.AuthorityContact)
	for i, c := range []struct {
		u   *rencontres.User
		org string
	}{{f.frContact, f.frOrg}, {f.jaContact, f.jaOrg}} {
		if err := s.BindOrganisation(ctx, c.u.ID, c.org); err != nil {
			t.Fatal(err)
		}
		registerDelegate(t, s, ed.ID, c.org, "delegue"+string(rune('a'+i))+"@example.org", "confirmed")
	}
	return f
}

// registerDelegate registers someone for org at the edition, with status.
func registerDelegate(t *testing.T, s *store.Store, edition int64, org, email, status string) {
	t.Helper()
	now := "2022-05-01T09:00:00.000000Z"
	var orgID, delegation int64
	if err := s.DB().QueryRow("SELECT id FROM organisations WHERE key = $1", org).Scan(&orgID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("INSERT INTO delegations (event_id, org_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", edition, orgID, now); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow("SELECT id FROM delegations WHERE event_id = $1 AND org_id = $2", edition, orgID).Scan(&delegation); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO registrations (event_id, delegation_id, status, given_name, family_name, email, lang, code, created_at, updated_at, search)
		VALUES ($1, $2, $3, 'Prénom', 'NOM', $4, 'fr', $5, $6, $6, $7)`, edition, delegation, status, email, "code-"+email, now, rencontres.FoldSearch("Prénom NOM "+email)); err != nil {
		t.Fatal(err)
	}
}

func fr(fr, ja string) rencontres.Text {
	t := rencontres.Text{}
	if fr != "" {
		t[rencontres.French] = fr
	}
	if ja != "" {
		t[rencontres.Japanese] = ja
	}
	return t
}

// startDecl starts a declaration with a preamble and two articles.
func startDecl(t *testing.T, s *store.Store, f *declFixture) *rencontres.Declaration {
	t.Helper()
	d := &rencontres.Declaration{EditionID: f.edition, Segments: []*rencontres.Segment{
		{Kind: rencontres.SegmentPreamble, Text: fr("Nous, collectivités réunies à Nancy,", "ナンシーに集まった我々自治体は、")},
		{Kind: rencontres.SegmentArticle, Text: fr("Renforcer les échanges.", "交流を強化する。")},
		{Kind: rencontres.SegmentArticle, Text: fr("Partager les bonnes pratiques.", "優良事例を共有する。")},
	}}
	if err := s.StartDeclaration(context.Background(), d, f.secretariat.ID, f.now); err != nil {
		t.Fatal(err)
	}
	return d
}

func texts(d *rencontres.Declaration, l rencontres.Lang) []string {
	var out []string
	for _, sg := range d.Segments {
		out = append(out, sg.Text[l])
	}
	return out
}

func TestDeclarationStartAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		if d.Rev != 3 || d.State != rencontres.DeclarationDraft || d.Title[rencontres.French] == "" || d.Title[rencontres.Japanese] == "" {
			t.Fatalf("started: rev %d state %s title %v", d.Rev, d.State, d.Title)
		}
		got, err := s.DeclarationOfEdition(ctx, f.edition)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != d.ID || got.TimeZone == "" || len(got.Segments) != 3 {
			t.Fatalf("read: %+v", got)
		}
		if n := []int{got.Segments[0].Number, got.Segments[1].Number, got.Segments[2].Number}; !slices.Equal(n, []int{0, 1, 2}) {
			t.Errorf("articles numbered %v", n)
		}
		// one per edition
		err = s.StartDeclaration(ctx, &rencontres.Declaration{EditionID: f.edition}, f.secretariat.ID, f.now)
		if rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("a second declaration: %v", err)
		}
		// an empty segment is refused, nothing saved
		err = s.StartDeclaration(ctx, &rencontres.Declaration{EditionID: f.edition + 100000}, f.secretariat.ID, f.now)
		if rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("no such edition: %v", err)
		}
		if _, err := s.Declaration(ctx, d.ID+1000); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("no such declaration: %v", err)
		}
	})
}

func TestDeclarationSegmentsAddEditMove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		first, second := d.Segments[1], d.Segments[2]
		// insert between the two articles, and at the start
		mid := &rencontres.Segment{Kind: rencontres.SegmentArticle, Text: fr("Ouvrir un fonds commun.", "共同基金を設ける。")}
		if err := s.SaveSegment(ctx, d.ID, mid, first.ID, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		head := &rencontres.Segment{Kind: rencontres.SegmentHeading, Text: fr("Déclaration de Nancy", "ナンシー宣言")}
		if err := s.SaveSegment(ctx, d.ID, head, 0, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Declaration(ctx, d.ID)
		want := []string{"Déclaration de Nancy", "Nous, collectivités réunies à Nancy,", "Renforcer les échanges.", "Ouvrir un fonds commun.", "Partager les bonnes pratiques."}
		if g := texts(got, rencontres.French); !slices.Equal(g, want) {
			t.Fatalf("order %q", g)
		}
		if got.Segments[4].Number != 3 || got.Rev != 5 {
			t.Errorf("numbers and rev: %d %d", got.Segments[4].Number, got.Rev)
		}
		// many insertions at one place: the positions are renumbered, the
		// order and the history's order kept
		after := first.ID
		for i := 0; i < 14; i++ {
			sg := &rencontres.Segment{Text: fr("Inséré "+string(rune('A'+i)), "挿入")}
			if err := s.SaveSegment(ctx, d.ID, sg, after, f.drafter.ID, f.now); err != nil {
				t.Fatal(err)
			}
		}
		got, _ = s.Declaration(ctx, d.ID)
		g := texts(got, rencontres.French)
		if g[2] != "Renforcer les échanges." || g[3] != "Inséré N" || g[16] != "Inséré A" || g[17] != "Ouvrir un fonds commun." {
			t.Fatalf("after renumbering %q", g)
		}
		at5, err := s.DeclarationAt(ctx, d.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if g := texts(at5, rencontres.French); !slices.Equal(g, want) {
			t.Errorf("the text at rev 5 after renumbering: %q", g)
		}
		// an edit, then a move to the start
		second.Text = fr("Partager et publier les bonnes pratiques.", "優良事例を共有し、公開する。")
		if err := s.SaveSegment(ctx, d.ID, second, 0, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if second.Version != 2 || second.NeedsCheck() {
			t.Errorf("edited both: version %d check %v", second.Version, second.Check)
		}
		if err := s.SaveSegment(ctx, d.ID, second, -1, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Declaration(ctx, d.ID)
		if got.Segments[0].ID != second.ID || got.Segments[0].Number != 1 {
			t.Errorf("moved to the start: %q", texts(got, rencontres.French)[:2])
		}
		h, _ := s.SegmentHistory(ctx, d.ID, second.ID)
		if len(h) != 3 || h[0].Action != rencontres.VersionMove || h[1].Action != rencontres.VersionEdit || h[2].Action != rencontres.VersionCreate {
			t.Errorf("history of the moved segment: %d versions", len(h))
		}
		// a save that changes nothing writes nothing
		rev := got.Rev
		same := *got.Segments[0]
		if err := s.SaveSegment(ctx, d.ID, &same, 0, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Declaration(ctx, d.ID); again.Rev != rev {
			t.Errorf("an unchanged save raised the rev")
		}
	})
}

func TestDeclarationEmptyAndBadSegments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		err := s.SaveSegment(ctx, d.ID, &rencontres.Segment{Text: rencontres.Text{"fr": "  ", "en": "English only"}}, 0, f.drafter.ID, f.now)
		if e := (*rencontres.Error)(nil); !errors.As(err, &e) || e.Key != "declaration.err_empty" {
			t.Errorf("no French nor Japanese: %v", err)
		}
		sg := d.Segments[1]
		err = s.SaveSegment(ctx, d.ID, &rencontres.Segment{ID: sg.ID, Version: sg.Version, Text: fr("Nouveau", "")}, 0, f.drafter.ID, f.now)
		if e := (*rencontres.Error)(nil); !errors.As(err, &e) || e.Key != "declaration.err_emptied" || e.Field != "text_ja" {
			t.Errorf("Japanese emptied: %v", err)
		}
		err = s.SaveSegment(ctx, d.ID, &rencontres.Segment{Kind: "chapter", Text: fr("x", "x")}, 0, f.drafter.ID, f.now)
		if e := (*rencontres.Error)(nil); !errors.As(err, &e) || e.Field != "kind" {
			t.Errorf("unknown kind: %v", err)
		}
		err = s.SaveSegment(ctx, d.ID, &rencontres.Segment{Text: fr("x", "x")}, 999999, f.drafter.ID, f.now)
		if e := (*rencontres.Error)(nil); !errors.As(err, &e) || e.Field != "after" {
			t.Errorf("after no segment: %v", err)
		}
		if got, _ := s.Declaration(ctx, d.ID); got.Rev != 3 {
			t.Errorf("refused saves raised the rev to %d", got.Rev)
		}
	})
}

func TestDeclarationConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		read := *d.Segments[1]
		mine := read
		mine.Text = fr("Renforcer durablement les échanges.", "交流を持続的に強化する。")
		theirs := read
		theirs.Text = fr("Renforcer les échanges culturels.", "文化交流を強化する。")
		if err := s.SaveSegment(ctx, d.ID, &theirs, 0, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		err := s.SaveSegment(ctx, d.ID, &mine, 0, f.drafter.ID, f.now.Add(time.Minute))
		var c *rencontres.SegmentConflict
		if !errors.As(err, &c) || c.Current.Text[rencontres.French] != "Renforcer les échanges culturels." || c.Current.Version != 2 {
			t.Fatalf("second save of one version: %v", err)
		}
		if rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("code %s", rencontres.ErrorCode(err))
		}
		got, _ := s.Declaration(ctx, d.ID)
		if got.Segments[1].Text[rencontres.French] != "Renforcer les échanges culturels." || got.Rev != 4 {
			t.Errorf("the conflicting save was written: %v rev %d", got.Segments[1].Text, got.Rev)
		}
		// saved again against the version shown, it goes through
		mine.Version = c.Current.Version
		if err := s.SaveSegment(ctx, d.ID, &mine, 0, f.drafter.ID, f.now.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDeclarationTranslationCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		sg := d.Segments[1]
		sg.Text = fr("Renforcer les échanges de jeunes.", sg.Text[rencontres.Japanese])
		sg.Text[rencontres.English] = "Strengthen exchanges."
		if err := s.SaveSegment(ctx, d.ID, sg, 0, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sg.Check, []rencontres.Lang{rencontres.Japanese}) {
			t.Fatalf("French changed and English added: check %v", sg.Check)
		}
		// French alone again: Japanese and English to check
		sg.Text[rencontres.French] = "Renforcer les échanges de jeunes et d’élus."
		if err := s.SaveSegment(ctx, d.ID, sg, 0, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sg.Check, []rencontres.Lang{rencontres.Japanese, rencontres.English}) {
			t.Fatalf("French alone: check %v", sg.Check)
		}
		// Japanese written: its mark cleared, French not marked
		sg.Text[rencontres.Japanese] = "青少年と議員の交流を強化する。"
		if err := s.SaveSegment(ctx, d.ID, sg, 0, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sg.Check, []rencontres.Lang{rencontres.English}) {
			t.Fatalf("Japanese caught up: check %v", sg.Check)
		}
		// English confirmed: no mark
		err := s.ConfirmTranslation(ctx, d.ID, sg.ID, sg.Version-1, rencontres.English, f.secretariat.ID, f.now)
		var c *rencontres.SegmentConflict
		if !errors.As(err, &c) {
			t.Errorf("confirm against a stale version: %v", err)
		}
		if err := s.ConfirmTranslation(ctx, d.ID, sg.ID, sg.Version, rencontres.English, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Declaration(ctx, d.ID)
		if got.Segments[1].NeedsCheck() || got.Segments[1].Version != 5 {
			t.Errorf("after confirming: %v version %d", got.Segments[1].Check, got.Segments[1].Version)
		}
		if err := s.ConfirmTranslation(ctx, d.ID, sg.ID, 5, rencontres.English, f.secretariat.ID, f.now); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("confirm unmarked: %v", err)
		}
		// a new segment in French only: Japanese to check
		one := &rencontres.Segment{Text: fr("Un paragraphe à traduire.", "")}
		if err := s.SaveSegment(ctx, d.ID, one, sg.ID, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(one.Check, []rencontres.Lang{rencontres.Japanese}) {
			t.Errorf("French only: check %v", one.Check)
		}
		if err := s.ConfirmTranslation(ctx, d.ID, one.ID, one.Version, rencontres.Japanese, f.secretariat.ID, f.now); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("confirm a missing language: %v", err)
		}
		hist, _ := s.SegmentHistory(ctx, d.ID, sg.ID)
		if hist[0].Action != rencontres.VersionConfirm || hist[0].ByName != "Sophie MARCHAND" {
			t.Errorf("history head: %s by %q", hist[0].Action, hist[0].ByName)
		}
	})
}

func TestDeclarationHistoryRestoreDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		sg := d.Segments[2]
		original := sg.Text.In(rencontres.French)
		sg.Text = fr("Publier les bonnes pratiques.", "優良事例を公開する。")
		if err := s.SaveSegment(ctx, d.ID, sg, 0, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		del := d.Segments[1]
		if err := s.DeleteSegment(ctx, d.ID, del.ID, del.Version, f.drafter.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Declaration(ctx, d.ID)
		if len(got.Segments) != 2 || got.Rev != 5 || got.Segments[1].Number != 1 {
			t.Fatalf("after delete: %d segments rev %d", len(got.Segments), got.Rev)
		}
		if err := s.DeleteSegment(ctx, d.ID, del.ID, del.Version+1, f.drafter.ID, f.now); rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("delete a deleted segment: %v", err)
		}
		// the text at each rev
		at3, _ := s.DeclarationAt(ctx, d.ID, 3)
		at4, _ := s.DeclarationAt(ctx, d.ID, 4)
		if g := texts(at3, rencontres.French); len(g) != 3 || g[2] != original {
			t.Errorf("at 3: %q", g)
		}
		if g := texts(at4, rencontres.French); len(g) != 3 || g[2] != "Publier les bonnes pratiques." {
			t.Errorf("at 4: %q", g)
		}
		if _, err := s.DeclarationAt(ctx, d.ID, 6); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a rev to come: %v", err)
		}
		hist, _ := s.DeclarationHistory(ctx, d.ID)
		if len(hist) != 5 || hist[0].Action != rencontres.VersionDelete || !hist[0].Deleted || hist[0].ByName != "Claire DURAND" {
			t.Fatalf("history: %d, head %+v", len(hist), hist[0])
		}
		// restore the first version of the edited segment, and the deleted one
		sh, _ := s.SegmentHistory(ctx, d.ID, sg.ID)
		if err := s.RestoreVersion(ctx, d.ID, sh[1].ID, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		dh, _ := s.SegmentHistory(ctx, d.ID, del.ID)
		if err := s.RestoreVersion(ctx, d.ID, dh[1].ID, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Declaration(ctx, d.ID)
		if g := texts(got, rencontres.French); !slices.Equal(g, []string{"Nous, collectivités réunies à Nancy,", "Renforcer les échanges.", original}) {
			t.Errorf("restored: %q", g)
		}
		h, _ := s.SegmentHistory(ctx, d.ID, sg.ID)
		if h[0].Action != rencontres.VersionRestore || h[0].Version != 3 {
			t.Errorf("restore is a new version: %s %d", h[0].Action, h[0].Version)
		}
		if err := s.RestoreVersion(ctx, d.ID, h[0].ID, f.secretariat.ID, f.now); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("restore the current version: %v", err)
		}
		if err := s.RestoreVersion(ctx, d.ID, 999999, f.secretariat.ID, f.now); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("restore no version: %v", err)
		}
		// what the drafter wrote is in their personal data
		pd, err := s.PersonalData(ctx, f.drafter.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pd.DeclarationVersions) != 2 || pd.DeclarationVersions[0].Action != rencontres.VersionDelete {
			t.Errorf("personal data: %d versions", len(pd.DeclarationVersions))
		}
		// the author erased: the text and history stay, the name goes
		if err := s.EraseUser(ctx, f.drafter.ID); err != nil {
			t.Fatal(err)
		}
		hist, _ = s.DeclarationHistory(ctx, d.ID)
		for _, v := range hist {
			if v.ByName == "Claire DURAND" {
				t.Fatalf("the erased author is still named")
			}
		}
		if len(hist) != 7 {
			t.Errorf("history after erasure: %d", len(hist))
		}
	})
}

func TestDeclarationFrozenRefusesEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		sg := d.Segments[1]
		for _, st := range []rencontres.DeclarationState{rencontres.DeclarationFrozen, rencontres.DeclarationAdopted} {
			if _, err := s.DB().Exec("UPDATE declarations SET state = $1 WHERE id = $2", string(st), d.ID); err != nil {
				t.Fatal(err)
			}
			want := "declaration.err_" + map[rencontres.DeclarationState]string{rencontres.DeclarationFrozen: "frozen", rencontres.DeclarationAdopted: "adopted"}[st]
			edit := *sg
			edit.Text = fr("Changé", "変更")
			opens, closes := f.now, f.now.Add(time.Hour)
			hist, _ := s.SegmentHistory(ctx, d.ID, sg.ID)
			for name, err := range map[string]error{
				"save":    s.SaveSegment(ctx, d.ID, &edit, 0, f.drafter.ID, f.now),
				"add":     s.SaveSegment(ctx, d.ID, &rencontres.Segment{Text: fr("x", "x")}, 0, f.drafter.ID, f.now),
				"delete":  s.DeleteSegment(ctx, d.ID, sg.ID, sg.Version, f.drafter.ID, f.now),
				"confirm": s.ConfirmTranslation(ctx, d.ID, sg.ID, sg.Version, rencontres.Japanese, f.drafter.ID, f.now),
				"restore": s.RestoreVersion(ctx, d.ID, hist[0].ID, f.drafter.ID, f.now),
				"period":  s.SetAmendmentPeriod(ctx, d.ID, &opens, &closes, f.now),
			} {
				if e := (*rencontres.Error)(nil); !errors.As(err, &e) || e.Key != want {
					t.Errorf("%s %s: %v", st, name, err)
				}
			}
		}
		if got, _ := s.Declaration(ctx, d.ID); got.Rev != 3 {
			t.Errorf("rev %d", got.Rev)
		}
	})
}

func TestDeclarationPeriodAndPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newDeclFixture(t, s)
		d := startDecl(t, s, f)
		opens, closes := f.now, f.now.Add(72*time.Hour)
		if err := s.SetAmendmentPeriod(ctx, d.ID, &opens, nil, f.now); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("one end: %v", err)
		}
		if err := s.SetAmendmentPeriod(ctx, d.ID, &closes, &opens, f.now); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("closing before opening: %v", err)
		}
		if err := s.SetAmendmentPeriod(ctx, d.ID, &opens, &closes, f.now); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Declaration(ctx, d.ID)
		if !got.AmendingAt(f.now.Add(time.Hour)) || got.AmendingAt(closes) {
			t.Errorf("period %v %v", got.AmendOpens, got.AmendCloses)
		}
		if err := s.SetAmendmentPeriod(ctx, d.ID, nil, nil, f.now); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Declaration(ctx, d.ID); got.AmendOpens != nil {
			t.Errorf("period not closed")
		}

		orgs, err := s.RegisteredOrgs(ctx, f.edition)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(orgs, f.frOrg) || !slices.Contains(orgs, f.jaOrg) {
			t.Errorf("registered %v", orgs)
		}
		joint, _ := s.JointCommittee(ctx, f.edition)
		if joint != f.joint {
			t.Errorf("joint committee %d, want %d", joint, f.joint)
		}
		for _, c := range []struct {
			u    *rencontres.User
			want bool
		}{{f.drafter, true}, {f.frContact, true}, {f.jaContact, true}, {f.outsider, false}} {
			if ok, err := s.TakesPart(ctx, f.edition, c.u.ID); err != nil || ok != c.want {
				t.Errorf("%s takes part: %v %v", c.u.Name, ok, err)
			}
		}
		// registered in person with the account's email
		registerDelegate(t, s, f.edition, f.frOrg, "paul.martin@example.org", "confirmed")
		if ok, _ := s.TakesPart(ctx, f.edition, f.outsider.ID); !ok {
			t.Errorf("registered by email: not taking part")
		}
		// an authority whose only delegate withdrew is not registered
		var other string
		if err := s.DB().QueryRow("SELECT key FROM organisations WHERE country = 'JP' AND id NOT IN (SELECT org_id FROM delegations WHERE event_id = $1) ORDER BY key LIMIT 1", f.edition).Scan(&other); err != nil {
			t.Fatal(err)
		}
		registerDelegate(t, s, f.edition, other, "retire@example.org", "withdrawn")
		if orgs, _ := s.RegisteredOrgs(ctx, f.edition); slices.Contains(orgs, other) {
			t.Errorf("withdrawn delegation counted: %v", orgs)
		}
	})
}
