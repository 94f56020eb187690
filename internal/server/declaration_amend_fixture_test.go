package server

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// registeredOrg is the key of an authority registered for the fixture's
// edition, which amends, votes and endorses there: the contact's.
func registeredOrg(t *testing.T, st *store.Store, f *fixture) string {
	t.Helper()
	registered, err := st.RegisteredOrgs(context.Background(), f.edition)
	if err != nil {
		t.Fatal(err)
	}
	key := f.users[rencontres.AuthorityContact].OrgKeys[0]
	if !slices.Contains(registered, key) {
		t.Fatalf("%s is not registered for the 7th edition (%v)", key, registered)
	}
	return key
}

// amendFixture opens the amendments of the fixture's declaration of the
// 7th edition (started if none) from an hour ago for a month, and proposes
// Kumamoto's amendment (jp-431001, the fixture's contact) to its first
// segment, in Japanese. The committee member does not join the joint
// committee here (the member's committees are counted elsewhere): a test
// that has them draft calls joinJointCommittee.
func amendFixture(t *testing.T, st *store.Store, f *fixture) (declID, amendID int64) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	d := &rencontres.Declaration{ID: f.declaration}
	if d.ID == 0 {
		d = &rencontres.Declaration{EditionID: f.edition, Segments: []*rencontres.Segment{
			{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力する。"}},
		}}
		if err := st.StartDeclaration(ctx, d, f.users[rencontres.Secretariat].ID, now.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	opens, closes := now.Add(-time.Hour), now.AddDate(0, 1, 0)
	if err := st.SetAmendmentPeriod(ctx, d.ID, &opens, &closes, now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The period's notices to the registered authorities' contacts are
	// cancelled: the tests that count the emails sent by what they do
	// find only theirs (TestDeclarationNoticeMails opens the period
	// again; the personal data still list them, cancelled).
	if err := st.CancelDeclarationMail(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	got, err := st.Declaration(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := &rencontres.Amendment{DeclarationID: d.ID, SegmentID: got.Segments[0].ID, BaseVersion: got.Segments[0].Version, Kind: rencontres.AmendChange,
		OrgKey: "jp-431001", Lang: rencontres.Japanese, Text: rencontres.Text{"ja": "自治体は対等に協力する。"}, Justification: rencontres.Text{"ja": "対等を明記する。"}}
	if err := st.ProposeAmendment(ctx, a, f.users[rencontres.AuthorityContact].ID, now); err != nil {
		t.Fatal(err)
	}
	return d.ID, a.ID
}

// amendPath fills the wildcards of the amendments' routes: the fixture's
// declaration and amendment.
func (f *fixture) amendPath(pattern string) string {
	if strings.Contains(pattern, "amendment") {
		pattern = strings.ReplaceAll(pattern, "{amendment}", strconv.FormatInt(f.amendment, 10))
		pattern = strings.ReplaceAll(pattern, "{declaration}", strconv.FormatInt(f.amendDecl, 10))
		pattern = strings.Replace(pattern, "/api/v1/declarations/{id}/", "/api/v1/declarations/"+strconv.FormatInt(f.amendDecl, 10)+"/", 1)
	}
	return pattern
}
