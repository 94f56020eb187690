package server

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// countingStore is the real store, counting the calls the list of
// declarations makes to it: those that read one edition at a time, the
// calls the list is not to make, and those that read all at once.
type countingStore struct {
	*store.Store
	calls map[string]int
}

func (c *countingStore) Declarations(ctx context.Context) ([]*rencontres.Declaration, error) {
	c.calls["Declarations"]++
	return c.Store.Declarations(ctx)
}

func (c *countingStore) JointCommittees(ctx context.Context) (map[int64]int64, error) {
	c.calls["JointCommittees"]++
	return c.Store.JointCommittees(ctx)
}

func (c *countingStore) EditionsTakenPart(ctx context.Context, userID int64) ([]int64, error) {
	c.calls["EditionsTakenPart"]++
	return c.Store.EditionsTakenPart(ctx, userID)
}

func (c *countingStore) DeclarationOfEdition(ctx context.Context, editionID int64) (*rencontres.Declaration, error) {
	c.calls["DeclarationOfEdition"]++
	return c.Store.DeclarationOfEdition(ctx, editionID)
}

func (c *countingStore) TakesPart(ctx context.Context, editionID, userID int64) (bool, error) {
	c.calls["TakesPart"]++
	return c.Store.TakesPart(ctx, editionID, userID)
}

func (c *countingStore) JointCommittee(ctx context.Context, editionID int64) (int64, error) {
	c.calls["JointCommittee"]++
	return c.Store.JointCommittee(ctx, editionID)
}

// GET /api/v1/declarations on both databases, with a declaration on
// every edition of the demo: every one to the secretariat in the order of
// the editions, the 7th edition's alone to those who take part in it (the
// committee member, Kumamoto's contact) and to the joint committee's
// member it drafts with, none to a participant who takes part in none,
// 401 to the public; and, read through a store that counts the calls,
// three reads however many editions, none of one edition at a time.
func TestDeclarationList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		eds, err := st.Events(ctx, rencontres.EventFilter{Kind: rencontres.EditionEvent})
		if err != nil {
			t.Fatal(err)
		}
		var want []int64 // the editions with a declaration, in order
		for _, e := range eds {
			if _, err := st.DeclarationOfEdition(ctx, e.ID); err == nil {
				want = append(want, e.ID)
				continue
			}
			d := &rencontres.Declaration{EditionID: e.ID, Segments: []*rencontres.Segment{
				{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力する。"}}}}
			if err := st.StartDeclaration(ctx, d, 0, time.Now()); err != nil {
				t.Fatalf("edition %d: %v", e.ID, err)
			}
			want = append(want, e.ID)
		}
		if len(want) < 10 {
			t.Fatalf("only %d editions", len(want))
		}
		list := func(role rencontres.Role) []int64 {
			t.Helper()
			status, b, _ := f.call(t, role, "GET", "/api/v1/declarations", nil)
			if status != 200 {
				t.Fatalf("as %s: %d %s", role, status, b)
			}
			var out struct {
				Declarations []*rencontres.Declaration `json:"declarations"`
			}
			if err := json.Unmarshal(b, &out); err != nil || out.Declarations == nil {
				t.Fatalf("as %s: %v %s", role, err, b)
			}
			var got []int64
			for _, d := range out.Declarations {
				if len(d.Segments) != 0 || d.TimeZone == "" {
					t.Errorf("as %s: declaration %d listed with %d segments, zone %q", role, d.ID, len(d.Segments), d.TimeZone)
				}
				got = append(got, d.EditionID)
			}
			return got
		}
		same := func(role rencontres.Role, got, want []int64) {
			t.Helper()
			if len(got) != len(want) {
				t.Fatalf("as %s: editions %v, want %v", role, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("as %s: editions %v, want %v", role, got, want)
				}
			}
		}
		same(rencontres.Secretariat, list(rencontres.Secretariat), want)
		same(rencontres.CommitteeMember, list(rencontres.CommitteeMember), []int64{f.edition})
		same(rencontres.AuthorityContact, list(rencontres.AuthorityContact), []int64{f.edition})
		same(rencontres.Participant, list(rencontres.Participant), nil)
		if status, _, _ := f.call(t, rencontres.Public, "GET", "/api/v1/declarations", nil); status != 401 {
			t.Errorf("as the public: %d, want 401", status)
		}

		// The member drafts on the 7th edition's joint committee, and
		// reads through a store that counts.
		f.joinJointCommittee(t)
		member := f.users[rencontres.CommitteeMember]
		committees, err := st.UserCommitteeIDs(ctx, member.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := &countingStore{Store: st, calls: map[string]int{}}
		got, err := declaration.Readable(ctx, c, &rencontres.Actor{User: member, Committees: committees})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].EditionID != f.edition {
			t.Errorf("the member reads %d declarations, want the 7th edition's", len(got))
		}
		for name, n := range c.calls {
			if n != 1 || (name != "Declarations" && name != "JointCommittees" && name != "EditionsTakenPart") {
				t.Errorf("%s called %d times for %d editions", name, n, len(want))
			}
		}
		if len(c.calls) != 3 {
			t.Errorf("calls %v, want Declarations, JointCommittees and EditionsTakenPart once each", c.calls)
		}
	})
}
