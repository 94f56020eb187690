package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// reviewFixture is the demo's 7th edition with a call for good practices
// on it, reviewing open around now, and its reviewers: Bernard LEROY, who
// sits on the French committee for Nancy (twinned with Kanazawa); Aiko
// TANAKA, of the Japanese committee and Kumamoto's contact; the
// secretariat; and Paul MARTIN, of another edition's committee.
type reviewFixture struct {
	call, edition                       int64
	leroy, tanaka, secretariat, outside *rencontres.User
	now                                 time.Time
}

func newReviewFixture(t *testing.T, s *store.Store) *reviewFixture {
	t.Helper()
	ctx := context.Background()
	ed := demoEdition(t, s, 7)
	other, err := s.Edition(ctx, "rencontres-franco-japonaises", 8)
	if err != nil {
		t.Fatal(err)
	}
	f := &reviewFixture{edition: ed.ID, now: time.Date(2022, 5, 10, 9, 0, 0, 0, time.UTC)}
	committee := func(e *rencontres.Edition, kind string) int64 {
		for _, c := range e.Committees {
			if c.Kind == kind {
				return c.ID
			}
		}
		var id int64
		if err := s.DB().QueryRow("INSERT INTO committees (edition_id, kind, name) VALUES ($1, $2, '{}') RETURNING id", e.ID, kind).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	member := func(email, name string, c int64) *rencontres.User {
		u := &rencontres.User{Email: email, Name: name, Lang: rencontres.French, Role: rencontres.CommitteeMember}
		if err := s.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.BindCommittee(ctx, u.ID, c); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.leroy = member("bernard.leroy@example.org", "Bernard LEROY", committee(ed, "french"))
	f.tanaka = member("aiko.tanaka@example.org", "Aiko TANAKA", committee(ed, "japanese"))
	if _, err := s.DB().Exec("INSERT INTO user_organisations (user_id, org_id) SELECT $1, id FROM organisations WHERE key = 'jp-431001'", f.tanaka.ID); err != nil {
		t.Fatal(err)
	}
	f.outside = member("paul.martin@example.org", "Paul MARTIN", committee(other, "french"))
	f.secretariat = &rencontres.User{Email: "revue@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}
	if err := s.CreateUser(ctx, f.secretariat, ""); err != nil {
		t.Fatal(err)
	}
	cats, _ := json.Marshal([]rencontres.ScoreCategory{
		{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence", "ja": "テーマとの関連性"}, Min: 1, Max: 5, Weight: 2},
		{Key: "innovation", Label: rencontres.Text{"fr": "Innovation", "ja": "革新性"}, Min: 0, Max: 10, Weight: 1},
	})
	at := func(d time.Duration) string { return f.now.Add(d).UTC().Format("2006-01-02T15:04:05.000000Z") }
	if err := s.DB().QueryRow(`INSERT INTO calls (event_id, kind, title, opens_at, deadline, workshops, categories, visibility, min_reviews,
		review_opens, review_closes, created_at, updated_at) VALUES ($1, 'practice', '{"fr":"Appel à bonnes pratiques","ja":"優良事例の募集"}',
		$2, $3, '[0,1,2]', $4, 'after_own', 2, $5, $6, $2, $2) RETURNING id`,
		ed.ID, at(-60*24*time.Hour), at(-2*24*time.Hour), string(cats), at(-24*time.Hour), at(10*24*time.Hour)).Scan(&f.call); err != nil {
		t.Fatal(err)
	}
	return f
}

// proposal inserts a submitted proposal of lead (and partners), to
// workshop seq (-1: none), with presenters.
func (f *reviewFixture) proposal(t *testing.T, s *store.Store, title string, workshop int, lead string, partners []string, presenters ...string) int64 {
	t.Helper()
	var ws any
	if workshop >= 0 {
		ws = workshop
	}
	var id int64
	ttl, _ := json.Marshal(rencontres.Text{"fr": title, "ja": title + "（日本語）"})
	if err := s.DB().QueryRow(`INSERT INTO proposals (call_id, title, summary, workshop, contact_name, contact_email, created_at, updated_at)
		VALUES ($1, $2, '{"fr":"Résumé."}', $3, 'Marie CONTACT', $4, '2022-04-01T00:00:00.000000Z', '2022-04-01T00:00:00.000000Z') RETURNING id`,
		f.call, string(ttl), ws, fmt.Sprintf("contact.%s@example.org", lead)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	add := func(key, role string) {
		if _, err := s.DB().Exec("INSERT INTO proposal_organisations (proposal_id, org_id, role) SELECT $1, id, $2 FROM organisations WHERE key = $3", id, role, key); err != nil {
			t.Fatal(err)
		}
	}
	add(lead, "lead")
	for _, p := range partners {
		add(p, "partner")
	}
	for i, p := range presenters {
		if _, err := s.DB().Exec("INSERT INTO proposal_presenters (proposal_id, seq, person) VALUES ($1, $2, $3)", id, i, p); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// TestReviewConflicts: a reviewer is never assigned a proposal of their own
// authority (their account's, or their committee seat's), nor of a twin
// of it, nor one they declared a conflict on; one who is not a reviewer
// of the call is refused; a refused list changes nothing.
func TestReviewConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReviewFixture(t, s)
		nancy := f.proposal(t, s, "Tramway de Nancy", 0, "fr-54395", nil)
		kanazawa := f.proposal(t, s, "Artisanat de Kanazawa", 1, "jp-172014", nil)
		withKumamoto := f.proposal(t, s, "Eau de Shizuoka", 2, "jp-221007", []string{"jp-431001"})
		paris := f.proposal(t, s, "Jardins de Paris", 2, "fr-75056", nil)

		revs, err := s.Reviewers(ctx, f.call)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, r := range revs {
			got[r.UserID] = true
		}
		if !got[f.leroy.ID] || !got[f.tanaka.ID] || !got[f.secretariat.ID] || got[f.outside.ID] {
			t.Fatalf("reviewers %v: want LEROY, TANAKA and the secretariat, not MARTIN", got)
		}

		for _, c := range []struct {
			proposal, user int64
			want           rencontres.ConflictReason
		}{
			{nancy, f.leroy.ID, rencontres.ConflictOwn},         // his seat's authority
			{kanazawa, f.leroy.ID, rencontres.ConflictTwin},     // Nancy's twin
			{withKumamoto, f.tanaka.ID, rencontres.ConflictOwn}, // her authority is a partner of it
			{nancy, f.tanaka.ID, ""},
			{paris, f.leroy.ID, ""},
		} {
			if got, err := s.Conflict(ctx, c.proposal, c.user); err != nil || got != c.want {
				t.Errorf("conflict of %d on %d: %q, %v; want %q", c.user, c.proposal, got, err, c.want)
			}
		}

		err = s.SetReviewers(ctx, nancy, []int64{f.tanaka.ID, f.leroy.ID}, f.secretariat.ID, f.now)
		wantError(t, "own authority", err, rencontres.ECONFLICT, "reviewers[1]", "error.review_conflict_own")
		err = s.SetReviewers(ctx, kanazawa, []int64{f.leroy.ID}, f.secretariat.ID, f.now)
		wantError(t, "twin", err, rencontres.ECONFLICT, "reviewers[0]", "error.review_conflict_twin")
		err = s.SetReviewers(ctx, paris, []int64{f.outside.ID}, f.secretariat.ID, f.now)
		wantError(t, "another edition's committee", err, rencontres.EINVALID, "reviewers[0]", "error.not_reviewer")
		if list, _ := s.ProposalReviewers(ctx, nancy); len(list) != 0 {
			t.Errorf("a refused list left %d assignments", len(list))
		}

		// Declared: LEROY is assigned Paris, then declares a conflict; he
		// is no longer assigned, and cannot be again.
		if err := s.SetReviewers(ctx, paris, []int64{f.leroy.ID, f.tanaka.ID}, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if err := s.DeclareConflict(ctx, paris, f.leroy.ID, "Ma sœur y travaille.", f.now); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.ProposalReviewers(ctx, paris); len(list) != 1 || list[0].UserID != f.tanaka.ID {
			t.Errorf("after the declaration, reviewers %+v: want TANAKA only", list)
		}
		err = s.SetReviewers(ctx, paris, []int64{f.leroy.ID}, f.secretariat.ID, f.now)
		wantError(t, "declared", err, rencontres.ECONFLICT, "reviewers[0]", "error.review_conflict_declared")
		err = s.SaveReview(ctx, &rencontres.Review{ProposalID: paris, UserID: f.leroy.ID, Scores: map[string]int{"relevance": 3, "innovation": 3}}, f.now)
		wantError(t, "a review after declaring a conflict", err, rencontres.ECONFLICT, "proposal", "error.review_not_assigned")
		if err := s.DeclareConflict(ctx, paris, f.outside.ID, "", f.now); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("a conflict declared by someone not reviewing: %v", err)
		}
	})
}

// TestSaveReview: only an assigned reviewer reviews, while reviewing is
// open, every category scored within its scale; the others' reviews are
// seen after one's own.
func TestSaveReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReviewFixture(t, s)
		p := f.proposal(t, s, "Jardins de Paris", 2, "fr-75056", nil)
		if err := s.SetReviewers(ctx, p, []int64{f.leroy.ID, f.tanaka.ID}, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		err := s.SaveReview(ctx, &rencontres.Review{ProposalID: p, UserID: f.secretariat.ID, Scores: map[string]int{"relevance": 3, "innovation": 3}}, f.now)
		wantError(t, "not assigned", err, rencontres.ECONFLICT, "proposal", "error.review_not_assigned")

		bad := &rencontres.Review{ProposalID: p, UserID: f.leroy.ID, Scores: map[string]int{"relevance": 6, "novelty": 1}}
		got := faults(t, s.SaveReview(ctx, bad, f.now))
		if got["scores.relevance"] == nil || got["scores.relevance"].Key != "error.score_out_of_scale" || got["scores.relevance"].Args["Max"] != 5 {
			t.Errorf("a score of 6 on 1–5: %+v", got["scores.relevance"])
		}
		if got["scores.innovation"] == nil || got["scores.innovation"].Key != "error.score_missing" || got["scores.novelty"] == nil {
			t.Errorf("faults %v: want the missing innovation and the unknown novelty", got)
		}
		if _, err := s.Review(ctx, p, f.leroy.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Fatalf("a refused review was saved: %v", err)
		}
		err = s.SaveReview(ctx, &rencontres.Review{ProposalID: p, UserID: f.leroy.ID, Scores: map[string]int{"relevance": 5, "innovation": 10}}, f.now.Add(11*24*time.Hour))
		wantError(t, "after reviewing closed", err, rencontres.ECONFLICT, "proposal", "error.review_not_open")

		mine := &rencontres.Review{ProposalID: p, UserID: f.leroy.ID, Scores: map[string]int{"relevance": 5, "innovation": 0},
			CommentAuthors: " Très clair. ", CommentCommittee: "À retenir."}
		if err := s.SaveReview(ctx, mine, f.now); err != nil {
			t.Fatal(err)
		}
		// TANAKA has not reviewed: with "after their own", she sees none.
		if list, _ := s.Reviews(ctx, p, f.tanaka.ID); len(list) != 0 {
			t.Errorf("TANAKA sees %d reviews before writing hers", len(list))
		}
		if err := s.SaveReview(ctx, &rencontres.Review{ProposalID: p, UserID: f.tanaka.ID, Scores: map[string]int{"relevance": 1, "innovation": 10},
			CommentCommittee: "D’accord avec Bernard LEROY sur le fond."}, f.now); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Reviews(ctx, p, f.tanaka.ID); len(list) != 2 {
			t.Errorf("TANAKA sees %d reviews after hers, want 2", len(list))
		}
		if list, _ := s.Reviews(ctx, p, 0); len(list) != 2 || list[0].CommentAuthors != "Très clair." || list[0].Reviewer != "Bernard LEROY" {
			t.Errorf("the secretariat reads %+v", list)
		}
		// (2×100 + 1×0)/3 and (2×0 + 1×100)/3: a mean of 50, a spread of 16.7.
		d, err := s.Dashboard(ctx, f.call, f.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Proposals) != 1 || d.Proposals[0].Mean == nil || *d.Proposals[0].Mean != 50 || *d.Proposals[0].Spread != 16.7 ||
			d.Proposals[0].TooFew || !d.Proposals[0].Pending || d.Pending != 1 || d.Phase != rencontres.ReviewOpen {
			t.Errorf("dashboard %+v, row %+v", d, d.Proposals)
		}
		for _, r := range d.Reviewers {
			if r.UserID == f.leroy.ID && (r.Assigned != 1 || r.Done != 1) {
				t.Errorf("LEROY on the dashboard: %+v", r)
			}
		}

		// His reviews are his personal data; erased, he leaves his scores
		// and no word he wrote, nor his name in another's comment.
		pd, err := s.PersonalData(ctx, f.leroy.ID)
		if err != nil || len(pd.Reviews) != 1 || pd.Reviews[0].CommentCommittee != "À retenir." {
			t.Fatalf("his personal data's reviews: %+v, %v", pd.Reviews, err)
		}
		if err := s.EraseUser(ctx, f.leroy.ID); err != nil {
			t.Fatal(err)
		}
		list, _ := s.Reviews(ctx, p, 0)
		for _, rv := range list {
			if rv.UserID == f.leroy.ID && (rv.CommentAuthors != "" || rv.CommentCommittee != "" || rv.Scores["relevance"] != 5) {
				t.Errorf("his review after the erasure: %+v", rv)
			}
			if rv.UserID == f.tanaka.ID && strings.Contains(rv.CommentCommittee, "LEROY") {
				t.Errorf("TANAKA's comment still names him: %q", rv.CommentCommittee)
			}
		}
	})
}

// TestSpreadReviewers: on generated proposals of the demo's authorities,
// each proposal gets k reviewers, none in conflict, and no reviewer has
// more than one proposal above another.
func TestSpreadReviewers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReviewFixture(t, s)
		keys := []string{"fr-54395", "jp-172014", "fr-13001", "jp-431001", "fr-75056", "jp-221007", "fr-33063", "jp-401307", "fr-13055"}
		rng := rand.New(rand.NewPCG(15, 2))
		for i := range 23 {
			f.proposal(t, s, fmt.Sprintf("Pratique %d", i), i%3, keys[rng.IntN(len(keys))], nil)
		}
		if _, err := s.SpreadReviewers(ctx, f.call, 0, f.secretariat.ID, f.now); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("k = 0: %v", err)
		}
		added, err := s.SpreadReviewers(ctx, f.call, 2, f.secretariat.ID, f.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(added) != 46 {
			t.Errorf("%d assignments, want 46", len(added))
		}
		for _, a := range added {
			if why, _ := s.Conflict(ctx, a.ProposalID, a.UserID); why != "" {
				t.Errorf("%+v is in conflict (%s)", a, why)
			}
		}
		revs, _ := s.Reviewers(ctx, f.call)
		lo, hi := 1<<30, 0
		for _, r := range revs {
			lo, hi = min(lo, r.Assigned), max(hi, r.Assigned)
		}
		if hi-lo > 1 || len(revs) < 3 {
			t.Errorf("loads from %d to %d over %d reviewers", lo, hi, len(revs))
		}
		// A second spread finds every proposal served.
		if again, err := s.SpreadReviewers(ctx, f.call, 2, f.secretariat.ID, f.now); err != nil || len(again) != 0 {
			t.Errorf("a second spread added %d (%v)", len(again), err)
		}
	})
}
