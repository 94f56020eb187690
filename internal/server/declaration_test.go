package server

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// startDeclaration starts the edition's final declaration with a preamble
// and an article edited in French alone (so marked to check in Japanese),
// and returns its id, the article's and the article's first version's.
func startDeclaration(t *testing.T, st *store.Store, edition, by int64) (decl, segment, version int64) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	// The demo's declaration, adopted, is the 7th edition's: it moves to
	// the 8th (where the tests of the adoption and the crawl read it as
	// published), so that the 7th, with its registrations and committees,
	// holds a draft.
	eighth, err := st.Edition(ctx, "rencontres-franco-japonaises", 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MoveDeclaration(ctx, edition, eighth.ID); err != nil {
		t.Fatal(err)
	}
	d := &rencontres.Declaration{EditionID: edition, Segments: []*rencontres.Segment{
		{Kind: rencontres.SegmentPreamble, Text: rencontres.Text{"fr": "Nous, collectivités réunies,", "ja": "我々自治体は、"}},
		{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Renforcer les échanges.", "ja": "交流を強化する。"}},
	}}
	if err := st.StartDeclaration(ctx, d, by, now); err != nil {
		t.Fatal(err)
	}
	sg := d.Segments[1]
	sg.Text = rencontres.Text{"fr": "Renforcer durablement les échanges.", "ja": "交流を強化する。"}
	if err := st.SaveSegment(ctx, d.ID, sg, 0, by, now); err != nil {
		t.Fatal(err)
	}
	h, err := st.SegmentHistory(ctx, d.ID, sg.ID)
	if err != nil || len(h) != 2 {
		t.Fatalf("history: %v", err)
	}
	return d.ID, sg.ID, h[1].ID
}

// joinJointCommittee seats the committee member on the edition's joint
// committee (made when the demo has none), so that they draft.
func (f *fixture) joinJointCommittee(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	joint, err := f.st.JointCommittee(ctx, f.edition)
	if err != nil {
		t.Fatal(err)
	}
	if joint == 0 {
		c := &rencontres.Committee{EditionID: f.edition, Kind: "joint", Name: rencontres.Text{"fr": "Comité mixte", "ja": "合同委員会"}}
		if err := f.st.SaveCommittee(ctx, c); err != nil {
			t.Fatal(err)
		}
		joint = c.ID
	}
	if joint != f.committee {
		if err := f.st.BindCommittee(ctx, f.users[rencontres.CommitteeMember].ID, joint); err != nil {
			t.Fatal(err)
		}
	}
}
