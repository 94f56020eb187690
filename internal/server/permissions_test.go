package server

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// examplePath fills a route pattern's wildcards with values that exist.
func (f *fixture) examplePath(pattern string) string {
	validToken := strings.Repeat("A", 43)
	pattern = f.amendPath(pattern)
	r := strings.NewReplacer("{$}", "", "{series}", "rencontres-franco-japonaises", "{number}", "7", "{key}", "jp-431001",
		"{slug}", "raict", "{token}", validToken, "{id}", strconv.FormatInt(f.victim.ID, 10),
		"{committee}", strconv.FormatInt(f.committee, 10), "{event}", strconv.FormatInt(f.edition, 10),
		"{session}", strconv.FormatInt(f.sessionID, 10), "{item}", "1", "{decision}", "1", "{document}", "1", "{member}", "1",
		"{campaign}", strconv.FormatInt(f.campaign, 10), "{partnership}", "1", "{report}", "1",
		"{post}", strconv.FormatInt(f.newsPost, 10), "{photo}", strconv.FormatInt(f.newsPhoto, 10),
		"{practice}", strconv.FormatInt(f.practice, 10),
		"{call}", strconv.FormatInt(f.openCall, 10), "{proposal}", strconv.FormatInt(f.proposal, 10),
		"declarations/{id}", "declarations/"+strconv.FormatInt(f.declaration, 10),
		"{declaration}", strconv.FormatInt(f.declaration, 10), "{segment}", strconv.FormatInt(f.segment, 10),
		"{rev}", "1", "{version}", strconv.FormatInt(f.declVersion, 10), "{webhook}", "1", "{delivery}", "1",
		"{request}", "1", "{organisation}", f.declOrg)
	return r.Replace(pattern)
}

// expectedPolicy is who may do what, written out by hand: the walk below
// checks every route against it, and it is compared with
// rencontres.Policy both ways, so that a permission given to the wrong
// role (a participant reading the audit log) fails here instead of
// passing because the test read the policy it checks.
var expectedPolicy = map[rencontres.Role]map[rencontres.Permission]rencontres.Scope{
	rencontres.Secretariat: {
		rencontres.ReadPublic: rencontres.All, rencontres.SignIn: rencontres.All, rencontres.UseAccount: rencontres.Self,
		rencontres.SetPassword: rencontres.Self, rencontres.ReadOrganisation: rencontres.All, rencontres.ManagePeople: rencontres.All,
		rencontres.ReadAudit: rencontres.All, rencontres.ReadCommittee: rencontres.All, rencontres.ManageEvents: rencontres.All,
		rencontres.ManageRegistrations: rencontres.All, rencontres.ManageContacts: rencontres.All,
		rencontres.ManageDirectory:    rencontres.All,
		rencontres.ManagePartnerships: rencontres.All, rencontres.ReportPartnerships: rencontres.All,
		rencontres.ManageNews: rencontres.All, rencontres.ManageCalls: rencontres.All,
		rencontres.ProposePractices: rencontres.All, rencontres.ReviewProposals: rencontres.All,
		rencontres.DraftDeclarations: rencontres.All, rencontres.AmendDeclarations: rencontres.All,
		rencontres.ReadDeclarations: rencontres.All,
		rencontres.EditCooperation:  rencontres.All, rencontres.RequestMeetings: rencontres.All,
		rencontres.ManageWebhooks: rencontres.All,
	},
	rencontres.CommitteeMember: {
		rencontres.ReadPublic: rencontres.All, rencontres.SignIn: rencontres.All, rencontres.UseAccount: rencontres.Self,
		rencontres.ReadCommittee: rencontres.OwnCommittee, rencontres.ReviewProposals: rencontres.OwnCommittee,
		rencontres.DraftDeclarations: rencontres.OwnCommittee, rencontres.ReadDeclarations: rencontres.All,
	},
	rencontres.AuthorityContact: {
		rencontres.ReadPublic: rencontres.All, rencontres.SignIn: rencontres.All, rencontres.UseAccount: rencontres.Self,
		rencontres.ReadOrganisation: rencontres.OwnOrg, rencontres.ManageRegistrations: rencontres.OwnOrg,
		rencontres.ManageContacts:     rencontres.OwnOrg,
		rencontres.ReportPartnerships: rencontres.OwnOrg, rencontres.ProposePractices: rencontres.OwnOrg,
		rencontres.AmendDeclarations: rencontres.OwnOrg, rencontres.ReadDeclarations: rencontres.All,
		rencontres.EditCooperation: rencontres.OwnOrg, rencontres.RequestMeetings: rencontres.OwnOrg,
	},
	rencontres.Participant: {
		rencontres.ReadPublic: rencontres.All, rencontres.SignIn: rencontres.All, rencontres.UseAccount: rencontres.Self,
		rencontres.ReadDeclarations: rencontres.All,
	},
	rencontres.Public: {
		rencontres.ReadPublic: rencontres.All, rencontres.SignIn: rencontres.All,
	},
}

// The policy is the table above, no more, no less.
func TestPolicyIsTheExpectedTable(t *testing.T) {
	roles := append([]rencontres.Role{rencontres.Public}, rencontres.AccountRoles...)
	if len(rencontres.Policy) != len(roles) {
		t.Errorf("Policy has %d roles, want %d", len(rencontres.Policy), len(roles))
	}
	for _, role := range roles {
		for perm, want := range expectedPolicy[role] {
			if got, ok := rencontres.Policy[role][perm]; !ok || got != want {
				t.Errorf("Policy[%s][%s] = %q, want %q", role, perm, got, want)
			}
		}
		for perm, got := range rencontres.Policy[role] {
			if _, ok := expectedPolicy[role][perm]; !ok {
				t.Errorf("Policy gives %s the permission %s (%s), which the table denies", role, perm, got)
			}
		}
	}
}

// Every route of the site and of the API, with every role: allowed where
// the table above grants the route's permission, and then answering for
// real (no server error, no template printing <no value>); refused
// otherwise, with the right status. A new route must declare a permission
// to be registered at all, and is walked here as soon as it exists.
func TestPermissionsOfEveryRoute(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	draft := &rencontres.Campaign{EventID: f.edition, Name: "Invitation"}
	if err := f.st.SaveCampaign(context.Background(), draft, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.campaign = draft.ID
	// The committee member drafts the declaration: they sit on the
	// edition's joint committee too.
	f.joinJointCommittee(t)
	if len(f.routes) < 70 {
		t.Fatalf("only %d routes found", len(f.routes))
	}
	roles := append([]rencontres.Role{rencontres.Public}, rencontres.AccountRoles...)
	for _, route := range f.routes {
		parts := strings.Fields(route)
		method, pattern, perm := parts[0], parts[1], rencontres.Permission(parts[2])
		for _, role := range roles {
			_, allowed := expectedPolicy[role][perm]
			req, _ := http.NewRequest(method, f.srv.URL+f.examplePath(pattern), strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c := f.session(t, role); c != nil {
				req.AddCookie(c)
			}
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			refused := resp.StatusCode == 401 || resp.StatusCode == 403 || strings.Contains(loc, "/login?next=")
			if allowed && refused {
				t.Errorf("%s %s as %s: refused (%d %s), want allowed", method, pattern, role, resp.StatusCode, loc)
			}
			if allowed && resp.StatusCode >= 500 {
				t.Errorf("%s %s as %s: %d, want a real answer", method, pattern, role, resp.StatusCode)
			}
			// Text answers only: a PDF's compressed streams may hold any bytes.
			text := !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/pdf")
			if allowed && text && (strings.Contains(string(body), "<no value>") || strings.Contains(string(body), "%!")) {
				t.Errorf("%s %s as %s: the answer shows a template or formatting defect", method, pattern, role)
			}
			if !allowed && !refused {
				t.Errorf("%s %s as %s: allowed (%d), want refused", method, pattern, role, resp.StatusCode)
			}
			if !allowed && role == rencontres.Public && method == "GET" && strings.HasPrefix(pattern, "/api/") && resp.StatusCode != 401 {
				t.Errorf("%s %s as public: %d, want 401", method, pattern, resp.StatusCode)
			}
			if !allowed && role == rencontres.Public && method == "GET" && !strings.HasPrefix(pattern, "/api/") && !strings.Contains(loc, "/login?next=") {
				t.Errorf("%s %s as public: %d, want a redirect to the sign-in page", method, pattern, resp.StatusCode)
			}
		}
	}
}
