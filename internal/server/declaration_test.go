package server

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
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

// The draft through the API, on both databases: read by those who take
// part (not found to others), a save against a stale version answered 409
// with the other's text and nothing saved, the French changed alone
// marking the Japanese, confirmed, the versions listed, a restore.
func TestDeclarationDraftAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		f.joinJointCommittee(t)
		base := "/api/v1/declarations/" + strconv.FormatInt(f.declaration, 10)
		seg := base + "/segments/" + strconv.FormatInt(f.segment, 10)
		code, body, _ := f.call(t, rencontres.CommitteeMember, "GET", base, nil)
		var got struct {
			rencontres.Declaration
			Drafts   bool                         `json:"drafts"`
			Versions []*rencontres.SegmentVersion `json:"versions"`
		}
		if err := json.Unmarshal(body, &got); code != 200 || err != nil {
			t.Fatalf("GET as the committee: %d %s", code, body)
		}
		if !got.Drafts || len(got.Segments) != 2 || got.Segments[1].Number != 1 || len(got.Versions) != 3 {
			t.Errorf("the declaration: drafts %v, %d segments, %d versions", got.Drafts, len(got.Segments), len(got.Versions))
		}
		// the participant takes no part in the 7th edition; the contact's
		// authority is registered for it
		if code, _, _ := f.call(t, rencontres.Participant, "GET", base, nil); code != 404 {
			t.Errorf("GET as a participant not taking part: %d", code)
		}
		code, body, _ = f.call(t, rencontres.AuthorityContact, "GET", base, nil)
		if code != 200 || !strings.Contains(string(body), `"drafts":false`) {
			t.Errorf("GET as the contact of a registered authority: %d", code)
		}
		if code, _, _ := f.call(t, rencontres.AuthorityContact, "PUT", seg, map[string]any{"version": 2, "text": map[string]string{"fr": "x", "ja": "x"}}); code != 403 {
			t.Errorf("PUT as a contact: %d", code)
		}
		if code, _, _ := f.call(t, rencontres.Public, "GET", base, nil); code != 401 {
			t.Errorf("GET anonymous: %d", code)
		}
		// version 1 is stale: 409 with the secretariat's text
		code, body, _ = f.call(t, rencontres.CommitteeMember, "PUT", seg, map[string]any{"version": 1, "text": map[string]string{"fr": "Autre", "ja": "別"}})
		var conflict struct {
			Error   struct{ Code string } `json:"error"`
			Current *rencontres.Segment   `json:"current"`
		}
		if err := json.Unmarshal(body, &conflict); code != 409 || err != nil || conflict.Error.Code != "conflict" ||
			conflict.Current == nil || conflict.Current.Text["fr"] != "Renforcer durablement les échanges." || conflict.Current.Version != 2 {
			t.Fatalf("a stale save: %d %s", code, body)
		}
		// the French alone, against version 2: the Japanese marked
		code, body, _ = f.call(t, rencontres.CommitteeMember, "PUT", seg, map[string]any{"version": 2,
			"text": map[string]string{"fr": "Renforcer durablement les échanges de jeunes.", "ja": "交流を強化する。"}})
		var saved rencontres.Segment
		if err := json.Unmarshal(body, &saved); code != 200 || err != nil || saved.Version != 3 || len(saved.Check) != 1 || saved.Check[0] != rencontres.Japanese {
			t.Fatalf("the French alone: %d %s", code, body)
		}
		code, body, _ = f.call(t, rencontres.CommitteeMember, "POST", seg+"/confirm", map[string]any{"version": 3, "lang": "ja"})
		var confirmed rencontres.Segment
		if err := json.Unmarshal(body, &confirmed); code != 200 || err != nil || confirmed.NeedsCheck() {
			t.Fatalf("confirmed: %d %s", code, body)
		}
		// an empty segment: 400 on its field
		code, body, _ = f.call(t, rencontres.CommitteeMember, "POST", base+"/segments", map[string]any{"after": f.segment, "text": map[string]string{"en": "only English"}})
		if code != 400 || !strings.Contains(string(body), `"field":"text_fr"`) {
			t.Errorf("an empty segment: %d %s", code, body)
		}
		code, body, _ = f.call(t, rencontres.CommitteeMember, "GET", base+"/versions?segment="+strconv.FormatInt(f.segment, 10), nil)
		var vs struct{ Versions []*rencontres.SegmentVersion }
		if err := json.Unmarshal(body, &vs); code != 200 || err != nil || len(vs.Versions) != 4 {
			t.Fatalf("versions: %d %s", code, body)
		}
		code, body, _ = f.call(t, rencontres.Secretariat, "POST", base+"/versions/"+strconv.FormatInt(f.declVersion, 10)+"/restore", nil)
		if code != 200 || !strings.Contains(string(body), "Renforcer les échanges.") {
			t.Errorf("restore: %d %s", code, body)
		}
		code, _, _ = f.call(t, rencontres.Secretariat, "PUT", base+"/period", map[string]any{"amendments_open_at": "2030-01-01T09:00:00Z"})
		if code != 400 {
			t.Errorf("a period with one end: %d", code)
		}
	})
}
