package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// adoptFixture is the demo's 7th edition (with its joint committee) and a
// declaration on it of two segments, written straight into its tables so
// that the adoption is tested apart from the draft's store; fr and ja are
// two authorities registered for the edition, one French, one Japanese,
// frContact and jaContact a contact of each; outsider an authority with no
// delegation there.
type adoptFixture struct {
	decl, edition                           int64
	segs                                    []int64
	fr, ja, outsider                        string
	frContact, jaContact, committee, nobody int64
	now                                     time.Time
}

func newAdoptFixture(t *testing.T, s *store.Store) *adoptFixture {
	t.Helper()
	ctx := context.Background()
	ed := freeSeventh(t, s)
	f := &adoptFixture{edition: ed.ID, now: time.Date(2022, 10, 5, 10, 0, 0, 0, time.UTC)}
	registered := func(country string) string {
		var key string
		if err := s.DB().QueryRow(`SELECT o.key FROM delegations d JOIN organisations o ON o.id = d.org_id
			WHERE d.event_id = $1 AND o.country = $2 AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = d.id AND r.status <> 'withdrawn')
			ORDER BY o.key LIMIT 1`, ed.ID, country).Scan(&key); err != nil {
			t.Fatalf("a registered authority of %s: %v", country, err)
		}
		return key
	}
	f.fr, f.ja = registered("FR"), registered("JP")
	if err := s.DB().QueryRow(`SELECT key FROM organisations WHERE country = 'FR' AND id NOT IN (SELECT org_id FROM delegations WHERE event_id = $1)
		ORDER BY key LIMIT 1`, ed.ID).Scan(&f.outsider); err != nil {
		t.Fatal(err)
	}
	contact := func(email, org string) int64 {
		u := &rencontres.User{Email: email, Name: "Contact " + org, Lang: rencontres.French, Role: rencontres.AuthorityContact}
		if err := s.InviteUser(ctx, u, org); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	f.frContact = contact("adopt.fr@example.org", f.fr)
	f.jaContact = contact("adopt.ja@example.org", f.ja)
	f.nobody = contact("adopt.outside@example.org", f.outsider)
	sec := &rencontres.User{Email: "adopt.sec@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}
	if err := s.CreateUser(ctx, sec, ""); err != nil {
		t.Fatal(err)
	}
	f.committee = sec.ID
	at := f.now.Add(-48 * time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z")
	if err := s.DB().QueryRow(`INSERT INTO declarations (edition_id, title, rev, created_at, updated_at) VALUES ($1, '{}', 2, $2, $2) RETURNING id`,
		ed.ID, at).Scan(&f.decl); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{
		`{"fr":"Préambule : nous, collectivités…","ja":"前文：私たち自治体は…"}`,
		`{"fr":"Article premier : coopérer.","ja":"第1条：協力する。"}`,
	} {
		var id int64
		if err := s.DB().QueryRow(`INSERT INTO declaration_segments (declaration_id, position, kind, text, version, updated_at)
			VALUES ($1, $2, $3, $4, 1, $5) RETURNING id`, f.decl, (i+1)*10, []string{"preamble", "article"}[i], text, at).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`INSERT INTO declaration_versions (declaration_id, segment_id, rev, version, action, position, kind, text, created_at)
			VALUES ($1, $2, $3, 1, 'create', $4, $5, $6, $7)`, f.decl, id, i+1, (i+1)*10, []string{"preamble", "article"}[i], text, at); err != nil {
			t.Fatal(err)
		}
		f.segs = append(f.segs, id)
	}
	return f
}

func wantCode(t *testing.T, what string, err error, code, key string) {
	t.Helper()
	var e *rencontres.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: err = %v, want %s %s", what, err, code, key)
	}
	for _, x := range e.All() {
		if x.Code == code && (key == "" || x.Key == key) {
			return
		}
	}
	t.Fatalf("%s: err = %v (%s), want %s %s", what, err, e.Key, code, key)
}

func TestDeclarationFreeze(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdoptFixture(t, s)
		wantCode(t, "endorsement without deadline", s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionEndorsement, nil, nil, f.now), rencontres.EINVALID, "error.required")
		past := f.now.Add(-time.Hour)
		wantCode(t, "deadline past", s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionEndorsement, &past, nil, f.now), rencontres.EINVALID, "adoption.error_endorse_until_past")
		wantCode(t, "bad mode", s.FreezeDeclaration(ctx, f.decl, "show of hands", nil, nil, f.now), rencontres.EINVALID, "adoption.error_mode")

		// A proposed amendment and a segment whose translation is to check
		// block the freeze, both named.
		var amend int64
		if err := s.DB().QueryRow(`INSERT INTO declaration_amendments (declaration_id, segment_id, base_version, kind, lang, text, created_at, updated_at)
			VALUES ($1, $2, 1, 'change', 'ja', '{"ja":"第1条：より良く協力する。"}', $3, $3) RETURNING id`, f.decl, f.segs[1], "2022-10-04T10:00:00.000000Z").Scan(&amend); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec("UPDATE declaration_segments SET check_langs = 'ja' WHERE id = $1", f.segs[0]); err != nil {
			t.Fatal(err)
		}
		err := s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionVote, nil, nil, f.now)
		wantCode(t, "pending amendment", err, rencontres.ECONFLICT, "adoption.error_amendments_pending")
		wantCode(t, "translation to check", err, rencontres.ECONFLICT, "adoption.error_translation_to_check")
		if !strings.Contains(err.Error(), "#") {
			t.Errorf("err = %v, want the amendments named", err)
		}
		var e *rencontres.Error
		errors.As(err, &e)
		if got := e.All()[0].Args["Amendments"]; got != "#"+strconv.FormatInt(amend, 10) {
			t.Errorf("amendments listed = %v, want #%d", got, amend)
		}
		if _, err := s.DB().Exec("UPDATE declaration_segments SET check_langs = '' WHERE id = $1", f.segs[0]); err != nil {
			t.Fatal(err)
		}
		// The committee leaves the amendment undecided, naming it; one
		// proposed since, which it did not name, still blocks the freeze.
		var later int64
		if err := s.DB().QueryRow(`INSERT INTO declaration_amendments (declaration_id, segment_id, base_version, kind, lang, text, created_at, updated_at)
			VALUES ($1, $2, 1, 'delete', 'fr', '{}', $3, $3) RETURNING id`, f.decl, f.segs[1], "2022-10-04T11:00:00.000000Z").Scan(&later); err != nil {
			t.Fatal(err)
		}
		until := f.now.Add(72 * time.Hour)
		err = s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionEndorsement, &until, []int64{amend}, f.now)
		wantCode(t, "amendment proposed since", err, rencontres.ECONFLICT, "adoption.error_amendments_pending")
		errors.As(err, &e)
		if got := e.All()[0].Args["Amendments"]; got != "#"+strconv.FormatInt(later, 10) {
			t.Errorf("amendments listed = %v, want #%d alone", got, later)
		}
		var state string
		s.DB().QueryRow("SELECT state FROM declarations WHERE id = $1", f.decl).Scan(&state)
		if state != "draft" {
			t.Fatalf("state after refused freezes = %s", state)
		}
		if err := s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionEndorsement, &until, []int64{later, amend}, f.now); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{amend, later} {
			if a, err := s.Amendment(ctx, id); err != nil || a.State != rencontres.AmendmentProposed || a.DecidedAt != nil {
				t.Errorf("amendment left undecided: %+v, %v; want proposed, undecided", a, err)
			}
		}
		wantCode(t, "decided after the freeze", s.RejectAmendment(ctx, amend, rencontres.Text{"fr": "Trop tard."}, 0, f.now), rencontres.ECONFLICT, "amendment.error_frozen")
		var mode, frozen, endorse string
		if err := s.DB().QueryRow("SELECT state, adoption_mode, frozen_at, endorse_until FROM declarations WHERE id = $1", f.decl).Scan(&state, &mode, &frozen, &endorse); err != nil {
			t.Fatal(err)
		}
		if state != "frozen" || mode != "endorsement" || !strings.HasPrefix(endorse, "2022-10-08T10:00") {
			t.Errorf("after freeze: %s %s %s %s", state, mode, frozen, endorse)
		}
		wantCode(t, "freeze twice", s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionVote, nil, nil, f.now), rencontres.ECONFLICT, "adoption.error_not_draft")
		wantCode(t, "unknown", s.FreezeDeclaration(ctx, f.decl+100, rencontres.AdoptionVote, nil, nil, f.now), rencontres.ENOTFOUND, "")
	})
}

func TestDeclarationVote(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdoptFixture(t, s)
		wantCode(t, "vote on a draft", s.RecordVote(ctx, f.decl, f.fr, rencontres.VoteFor, f.committee, f.now), rencontres.ECONFLICT, "adoption.error_not_frozen")
		if err := s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionVote, nil, nil, f.now); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "endorse a vote", s.EndorseDeclaration(ctx, f.decl, f.fr, f.frContact, f.now), rencontres.ECONFLICT, "adoption.error_not_endorsement")
		wantCode(t, "bad choice", s.RecordVote(ctx, f.decl, f.fr, "maybe", f.committee, f.now), rencontres.EINVALID, "adoption.error_vote_choice")
		wantCode(t, "not registered", s.RecordVote(ctx, f.decl, f.outsider, rencontres.VoteFor, f.committee, f.now), rencontres.EFORBIDDEN, "adoption.error_not_registered")
		wantCode(t, "unknown authority", s.RecordVote(ctx, f.decl, "fr-nowhere", rencontres.VoteFor, f.committee, f.now), rencontres.ENOTFOUND, "")
		// One against, nothing for: no majority.
		if err := s.RecordVote(ctx, f.decl, f.fr, rencontres.VoteAgainst, f.committee, f.now); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordVote(ctx, f.decl, f.ja, rencontres.VoteAbstain, f.committee, f.now); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "no majority", s.AdoptDeclaration(ctx, f.decl, f.committee, f.now), rencontres.ECONFLICT, "adoption.error_no_majority")
		// The vote changes until the adoption: one vote per authority.
		if err := s.RecordVote(ctx, f.decl, f.fr, rencontres.VoteFor, f.committee, f.now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, err := s.Adoptions(ctx, f.decl)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("adoptions = %d, want 2 (one per authority)", len(got))
		}
		for _, a := range got {
			want := map[string]rencontres.AdoptionChoice{f.fr: rencontres.VoteFor, f.ja: rencontres.VoteAbstain}[a.OrgKey]
			if a.Choice != want || a.OrgName.IsZero() {
				t.Errorf("%s: %s %v, want %s", a.OrgKey, a.Choice, a.OrgName, want)
			}
			if a.Country == rencontres.Japan && a.OrgKana == "" {
				t.Errorf("%s: no kana", a.OrgKey)
			}
		}
		hook := hookEndpoint(t, s, rencontres.HookDeclarationAdopted)
		if err := s.AdoptDeclaration(ctx, f.decl, f.committee, f.now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		var state string
		var rev, adoptedRev int64
		var adoptedAt string
		if err := s.DB().QueryRow("SELECT state, rev, adopted_rev, adopted_at FROM declarations WHERE id = $1", f.decl).Scan(&state, &rev, &adoptedRev, &adoptedAt); err != nil {
			t.Fatal(err)
		}
		if state != "adopted" || adoptedRev != rev || !strings.HasPrefix(adoptedAt, "2022-10-05T11:00") {
			t.Errorf("adopted: %s rev %d adopted_rev %d at %s", state, rev, adoptedRev, adoptedAt)
		}
		wantCode(t, "vote after adoption", s.RecordVote(ctx, f.decl, f.ja, rencontres.VoteFor, f.committee, f.now), rencontres.ECONFLICT, "adoption.error_not_frozen")
		wantCode(t, "adopt twice", s.AdoptDeclaration(ctx, f.decl, f.committee, f.now), rencontres.ECONFLICT, "adoption.error_not_frozen")
		if got := hookTypes(t, s, hook); !slices.Equal(got, []string{rencontres.HookDeclarationAdopted}) {
			t.Errorf("webhooks told %v, want the adoption once", got)
		}
	})
}

func TestDeclarationEndorsement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdoptFixture(t, s)
		until := f.now.Add(48 * time.Hour)
		if err := s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionEndorsement, &until, nil, f.now); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "vote on an endorsement", s.RecordVote(ctx, f.decl, f.fr, rencontres.VoteFor, f.committee, f.now), rencontres.ECONFLICT, "adoption.error_not_vote")
		wantCode(t, "adopt with none", s.AdoptDeclaration(ctx, f.decl, f.committee, f.now), rencontres.ECONFLICT, "adoption.error_no_endorsement")
		wantCode(t, "not registered", s.EndorseDeclaration(ctx, f.decl, f.outsider, f.nobody, f.now), rencontres.EFORBIDDEN, "adoption.error_not_registered")
		wantCode(t, "another's contact", s.EndorseDeclaration(ctx, f.decl, f.fr, f.jaContact, f.now), rencontres.EFORBIDDEN, "adoption.error_not_contact")
		wantCode(t, "the committee", s.EndorseDeclaration(ctx, f.decl, f.fr, f.committee, f.now), rencontres.EFORBIDDEN, "adoption.error_not_contact")
		if err := s.EndorseDeclaration(ctx, f.decl, f.fr, f.frContact, f.now); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "twice", s.EndorseDeclaration(ctx, f.decl, f.fr, f.frContact, f.now.Add(time.Minute)), rencontres.ECONFLICT, "adoption.error_already_endorsed")
		wantCode(t, "after the deadline", s.EndorseDeclaration(ctx, f.decl, f.ja, f.jaContact, until), rencontres.ECONFLICT, "adoption.error_endorsement_closed")
		if err := s.EndorseDeclaration(ctx, f.decl, f.ja, f.jaContact, until.Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		got, err := s.Adoptions(ctx, f.decl)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Choice != rencontres.Endorse || got[0].UserID == 0 {
			t.Fatalf("adoptions = %+v", got)
		}
		if err := s.AdoptDeclaration(ctx, f.decl, f.committee, until); err != nil {
			t.Fatal(err)
		}
		// The signer's data names the endorsement; their erasure keeps it
		// with the authority.
		pd, err := s.PersonalData(ctx, f.jaContact)
		if err != nil {
			t.Fatal(err)
		}
		if len(pd.DeclarationAdoptions) != 1 || pd.DeclarationAdoptions[0].OrgKey != f.ja || pd.DeclarationAdoptions[0].DeclarationID != f.decl {
			t.Errorf("personal data = %+v", pd.DeclarationAdoptions)
		}
		if err := s.EraseUser(ctx, f.jaContact); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Adoptions(ctx, f.decl)
		for _, a := range got {
			if a.OrgKey == f.ja && a.UserID != 0 {
				t.Errorf("erased signer still on the endorsement: %+v", a)
			}
		}
		if len(got) != 2 {
			t.Errorf("adoptions after erasure = %d, want 2", len(got))
		}
	})
}

func TestDeclarationCorrection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdoptFixture(t, s)
		reason := rencontres.Text{"fr": "Coquille dans l’article premier", "ja": "第1条の誤字"}
		fix := []*rencontres.Segment{{ID: f.segs[1], Version: 1, Text: rencontres.Text{"fr": "Article premier : coopérer davantage.", "ja": "第1条：一層協力する。"}}}
		_, err := s.CorrectDeclaration(ctx, f.decl, fix, reason, f.committee, f.now)
		wantCode(t, "correct a draft", err, rencontres.ECONFLICT, "adoption.error_not_adopted")
		if err := s.FreezeDeclaration(ctx, f.decl, rencontres.AdoptionVote, nil, nil, f.now); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordVote(ctx, f.decl, f.ja, rencontres.VoteFor, f.committee, f.now); err != nil {
			t.Fatal(err)
		}
		if err := s.AdoptDeclaration(ctx, f.decl, f.committee, f.now); err != nil {
			t.Fatal(err)
		}
		// The adopted text is immutable: no edit, deletion or restore.
		wantCode(t, "edit adopted", s.SaveSegment(ctx, f.decl, &rencontres.Segment{ID: f.segs[1], Version: 1, Kind: rencontres.SegmentArticle,
			Text: rencontres.Text{"fr": "Autre.", "ja": "別。"}}, 0, f.committee, f.now), rencontres.EINVALID, "declaration.err_adopted")
		wantCode(t, "delete adopted", s.DeleteSegment(ctx, f.decl, f.segs[1], 1, f.committee, f.now), rencontres.EINVALID, "declaration.err_adopted")
		var firstVersion int64
		if err := s.DB().QueryRow("SELECT id FROM declaration_versions WHERE segment_id = $1 AND version = 1", f.segs[1]).Scan(&firstVersion); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "restore adopted", s.RestoreVersion(ctx, f.decl, firstVersion, f.committee, f.now), rencontres.EINVALID, "declaration.err_adopted")
		_, err = s.CorrectDeclaration(ctx, f.decl, []*rencontres.Segment{{ID: f.segs[1], Version: 1, Text: rencontres.Text{"fr": "Article premier."}}}, nil, f.committee, f.now)
		wantCode(t, "no reason", err, rencontres.EINVALID, "error.required")
		wantCode(t, "no Japanese", err, rencontres.EINVALID, "adoption.error_language_required")
		_, err = s.CorrectDeclaration(ctx, f.decl, []*rencontres.Segment{{ID: f.segs[1], Version: 1, Text: rencontres.Text{"fr": "Article premier : coopérer.", "ja": "第1条：協力する。"}}}, reason, f.committee, f.now)
		wantCode(t, "unchanged", err, rencontres.EINVALID, "adoption.error_correction_unchanged")
		_, err = s.CorrectDeclaration(ctx, f.decl, []*rencontres.Segment{{ID: f.segs[1] + 1000, Version: 1, Text: fix[0].Text}}, reason, f.committee, f.now)
		wantCode(t, "unknown segment", err, rencontres.ENOTFOUND, "adoption.error_segment_gone")
		c, err := s.CorrectDeclaration(ctx, f.decl, fix, reason, f.committee, f.now.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.Rev != 3 {
			t.Errorf("correction = %+v, want rev 3", c)
		}
		stale := []*rencontres.Segment{{ID: f.segs[1], Version: 1, Text: rencontres.Text{"fr": "Autre chose.", "ja": "別のこと。"}}}
		_, err = s.CorrectDeclaration(ctx, f.decl, stale, reason, f.committee, f.now)
		wantCode(t, "stale version", err, rencontres.ECONFLICT, "adoption.error_correction_conflict")
		var action, text string
		var version, corr, rev int64
		if err := s.DB().QueryRow(`SELECT action, text, version, correction_id, rev FROM declaration_versions WHERE segment_id = $1 ORDER BY version DESC LIMIT 1`,
			f.segs[1]).Scan(&action, &text, &version, &corr, &rev); err != nil {
			t.Fatal(err)
		}
		if action != "correction" || version != 2 || corr != c.ID || rev != 3 || !strings.Contains(text, "davantage") {
			t.Errorf("version = %s v%d correction %d rev %d %s", action, version, corr, rev, text)
		}
		var adoptedRev, declRev int64
		s.DB().QueryRow("SELECT adopted_rev, rev FROM declarations WHERE id = $1", f.decl).Scan(&adoptedRev, &declRev)
		if adoptedRev != 2 || declRev != 3 {
			t.Errorf("adopted_rev %d rev %d, want 2 and 3", adoptedRev, declRev)
		}
		// The history shows the correction; the text as adopted is still
		// read at adopted_rev, the corrected one now.
		hist, err := s.DeclarationHistory(ctx, f.decl)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) == 0 || hist[0].Action != rencontres.VersionCorrection || hist[0].CorrectionID != c.ID {
			t.Errorf("history head = %+v, want the correction", hist[0])
		}
		then, err := s.DeclarationAt(ctx, f.decl, adoptedRev)
		if err != nil {
			t.Fatal(err)
		}
		now, err := s.Declaration(ctx, f.decl)
		if err != nil {
			t.Fatal(err)
		}
		if then.Segments[1].Text["fr"] != "Article premier : coopérer." || now.Segments[1].Text["fr"] != "Article premier : coopérer davantage." {
			t.Errorf("as adopted %q, now %q", then.Segments[1].Text["fr"], now.Segments[1].Text["fr"])
		}
		list, err := s.Corrections(ctx, f.decl)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Reason[rencontres.French] != reason[rencontres.French] || !list[0].At.Equal(f.now.Add(24*time.Hour)) {
			t.Errorf("corrections = %+v", list)
		}
	})
}
