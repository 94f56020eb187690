package server

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// nextLink is the address the page's pager links as rel="next", "" when
// it has none.
var nextLink = regexp.MustCompile(`rel="next" href="([^"]+)"`)

func pagerNext(body string) string {
	m := nextLink.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// The directory pages by cursor in the API, its offset kept for the
// clients that use it; a bad cursor is refused naming its field; the
// site's directory links its second page, which keeps the filters.
func TestDirectoryPagesByCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		var orgs []*rencontres.Organisation
		for i := range 45 {
			name := fmt.Sprintf("Bourg-Test %02d", i%20)
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("fr-t%03d", i), Kind: rencontres.Commune,
				Country: rencontres.France, Name: rencontres.Text{"fr": name}, Population: int64(100 + i)})
		}
		if _, _, err := st.UpsertOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		type list struct {
			Total, Limit, Offset int
			Next, Prev           string
			Orgs                 []struct {
				Key     string `json:"key"`
				Country string `json:"country"`
			} `json:"organisations"`
		}
		read := func(q string) list {
			t.Helper()
			code, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/organisations?"+q, nil)
			var l list
			if code != http.StatusOK || json.Unmarshal(b, &l) != nil {
				t.Fatalf("GET ?%s: %d %s", q, code, b)
			}
			return l
		}
		var keys []string
		seen := map[string]bool{}
		first := read("country=FR&kind=commune&limit=7")
		for l, n := first, 0; ; n++ {
			for _, o := range l.Orgs {
				if seen[o.Key] || o.Country != "FR" {
					t.Errorf("page %d: %s twice or not in France", n, o.Key)
				}
				seen[o.Key] = true
				keys = append(keys, o.Key)
			}
			if l.Next == "" {
				break
			}
			l = read("country=FR&kind=commune&limit=7&after=" + l.Next)
		}
		if len(keys) != first.Total || first.Limit != 7 || first.Prev != "" {
			t.Errorf("walked %d organisations, total %d, first page %+v", len(keys), first.Total, first)
		}
		// The offset pages read the same order.
		if old := read("country=FR&kind=commune&limit=7&offset=14"); len(old.Orgs) == 0 || old.Orgs[0].Key != keys[14] || old.Next != "" {
			t.Errorf("offset 14 starts at %+v, want %s", old.Orgs, keys[14])
		}
		for q, field := range map[string]string{"after=nope": "after", "before=%5B%5D": "before", "after=WzFd&offset=3": "offset", "after=WzFd&before=WzFd": "before"} {
			code, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/organisations?"+q, nil)
			var e struct {
				Error struct{ Field string } `json:"error"`
			}
			if json.Unmarshal(b, &e); code != http.StatusBadRequest || e.Error.Field != field {
				t.Errorf("?%s: %d %s, want 400 on %s", q, code, b, field)
			}
		}

		// The site: the first page links the second, which keeps the
		// country and shows other organisations.
		body := f.page(t, rencontres.Public, "/fr/organisations?country=FR")
		next := pagerNext(body)
		if !strings.Contains(next, "country=FR") || !strings.Contains(next, "after=") {
			t.Fatalf("first page's next link %q", next)
		}
		second := f.page(t, rencontres.Public, next)
		if !strings.Contains(second, `rel="prev"`) || !strings.Contains(second, "Première page") {
			t.Errorf("the second page has no link back")
		}
		// A cursor that leads nowhere shows the first page.
		if code, _, _ := f.call(t, rencontres.Public, "GET", "/fr/organisations?after=nope", nil); code != http.StatusOK {
			t.Errorf("a bad cursor on the site: %d", code)
		}
	})
}

// The audit log's page shows 100 entries, newest first, and links the
// next ones, keeping its filters; its export has every entry.
func TestAuditLogPagesByCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		base := time.Now().Add(-time.Hour)
		for i := range 130 {
			if err := st.Audit(ctx, &rencontres.AuditEntry{At: base.Add(time.Duration(i) * time.Second), Action: "test.paged",
				ObjectType: "thing", ObjectID: fmt.Sprintf("n%03d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		body := f.page(t, rencontres.Secretariat, "/fr/admin/audit?action=test.paged")
		if !strings.Contains(body, "n129") || strings.Contains(body, "n029") || !strings.Contains(body, "100 affichés sur 130") {
			t.Errorf("the first page is not the 100 newest of 130")
		}
		next := pagerNext(body)
		if !strings.Contains(next, "action=test.paged") {
			t.Fatalf("next link %q", next)
		}
		second := f.page(t, rencontres.Secretariat, next)
		if !strings.Contains(second, "n029") || strings.Contains(second, "n030") || pagerNext(second) != "" {
			t.Errorf("the second page is not the 30 oldest")
		}
		code, csv, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/admin/audit?action=test.paged&format=csv", nil)
		if lines := strings.Count(string(csv), "\n"); code != http.StatusOK || lines != 131 {
			t.Errorf("export: %d, %d lines, want 131", code, lines)
		}
	})
}

// The partnerships page by cursor over their filtered list, in the API
// when asked for a limit and on the site 50 at a time, keeping the
// filters; a partnership added between two pages does not shift the next.
func TestPartnershipsPageByCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		var orgs []*rencontres.Organisation
		for i := range 61 {
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("fr-p%03d", i), Kind: rencontres.Commune,
				Country: rencontres.France, Name: rencontres.Text{"fr": fmt.Sprintf("Jumelle %02d", i)}})
		}
		if _, _, err := st.UpsertOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		for i := range 60 {
			if err := st.CreatePartnership(ctx, &rencontres.Partnership{A: orgs[i].Key, B: "jp-431001", Kind: rencontres.Jumelage, Year: 1990 + i%30}); err != nil {
				t.Fatal(err)
			}
		}
		type list struct {
			Total, Limit int
			Next, Prev   string
			Partnerships []struct {
				ID int64 `json:"id"`
			}
		}
		read := func(q string) list {
			t.Helper()
			code, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/partnerships?"+q, nil)
			var l list
			if code != http.StatusOK || json.Unmarshal(b, &l) != nil {
				t.Fatalf("GET ?%s: %d %s", q, code, b)
			}
			return l
		}
		whole := read("kind=jumelage")
		if whole.Next != "" || len(whole.Partnerships) != whole.Total || whole.Total < 60 {
			t.Fatalf("the whole list: %d of %d, next %q", len(whole.Partnerships), whole.Total, whole.Next)
		}
		var ids []int64
		for l, n := read("kind=jumelage&limit=9"), 0; ; n++ {
			if l.Total != whole.Total+min(n, 1) || len(l.Partnerships) > 9 {
				t.Fatalf("page %d: %d rows, total %d", n, len(l.Partnerships), l.Total)
			}
			for _, p := range l.Partnerships {
				ids = append(ids, p.ID)
			}
			if n == 0 { // someone records a partnership meanwhile
				if err := st.CreatePartnership(ctx, &rencontres.Partnership{A: orgs[60].Key, B: "jp-431001", Kind: rencontres.Jumelage, Year: 2025}); err != nil {
					t.Fatal(err)
				}
			}
			if l.Next == "" {
				break
			}
			l = read("kind=jumelage&limit=9&after=" + l.Next)
		}
		for i, p := range whole.Partnerships {
			if i >= len(ids) || ids[i] != p.ID {
				t.Fatalf("the walk %v is not the whole list's order", ids)
			}
		}
		if code, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/partnerships?after=WzBd", nil); code != http.StatusBadRequest || !strings.Contains(string(b), `"field":"after"`) {
			t.Errorf("a cursor of no row: %d %s", code, b)
		}

		body := f.page(t, rencontres.Public, "/fr/partnerships?kind=jumelage")
		next := pagerNext(body)
		if !strings.Contains(next, "kind=jumelage") {
			t.Fatalf("next link %q", next)
		}
		if second := f.page(t, rencontres.Public, next); !strings.Contains(second, `rel="prev"`) {
			t.Errorf("the second page links no page before")
		}
	})
}

// A call's proposals page by cursor for the secretariat, on the site and
// in the API (when asked for a limit); a bad cursor is 400 in the API.
func TestCallProposalsPageByCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		for range 4 {
			p, err := st.Proposal(ctx, f.proposal)
			if err != nil {
				t.Fatal(err)
			}
			p.ID = 0
			if err := st.SaveProposal(ctx, p, f.users[rencontres.AuthorityContact].ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		type list struct {
			Total, Limit int
			Next         string
			Proposals    []struct {
				ID int64 `json:"id"`
			}
		}
		path := fmt.Sprintf("/api/v1/calls/%d/proposals", f.openCall)
		read := func(q string) list {
			t.Helper()
			code, b, _ := f.call(t, rencontres.Secretariat, "GET", path+"?"+q, nil)
			var l list
			if code != http.StatusOK || json.Unmarshal(b, &l) != nil {
				t.Fatalf("GET %s?%s: %d %s", path, q, code, b)
			}
			return l
		}
		whole := read("")
		var ids []int64
		for l := read("limit=2"); ; l = read("limit=2&after=" + l.Next) {
			for _, p := range l.Proposals {
				ids = append(ids, p.ID)
			}
			if l.Total != whole.Total || l.Next == "" {
				break
			}
		}
		if whole.Total < 5 || len(ids) != whole.Total {
			t.Fatalf("walked %v of %d", ids, whole.Total)
		}
		for i, p := range whole.Proposals {
			if ids[i] != p.ID {
				t.Fatalf("walk %v is not the list's order", ids)
			}
		}
		if code, b, _ := f.call(t, rencontres.Secretariat, "GET", path+"?before=xyz", nil); code != http.StatusBadRequest || !strings.Contains(string(b), `"field":"before"`) {
			t.Errorf("bad cursor: %d %s", code, b)
		}
		page := fmt.Sprintf("/fr/calls/%d/proposals?limit=2", f.openCall)
		next := pagerNext(f.page(t, rencontres.Secretariat, page))
		if !strings.Contains(next, "limit=2") {
			t.Fatalf("next link %q", next)
		}
		if second := f.page(t, rencontres.Secretariat, next); !strings.Contains(second, `rel="prev"`) {
			t.Errorf("the second page links no page before")
		}
	})
}

// A sent mailing's recipients page by cursor on its page and in the API
// (when asked for a limit), the counts by state over all of them.
func TestCampaignRecipientsPageByCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ev := f.copil(t)
		var extra []string
		for i := range 7 {
			extra = append(extra, fmt.Sprintf("p%d@example.org; fr-13001; Personne %d", i, i))
		}
		c := map[string]any{"event_id": ev.ID, "name": "Paged", "letters": campaignLetters("Bonjour,\n\nRépondez : {{link}}"),
			"filter": map[string]any{"extra": extra}}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
		if code != 201 {
			t.Fatalf("create: %d %s", code, b)
		}
		camp := decodeAs[rencontres.Campaign](t, b)
		path := fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
		// The draft's editor lists its recipients a page at a time too.
		draftNext := pagerNext(f.page(t, sec, fmt.Sprintf("/fr/campaigns/%d?limit=3", camp.ID)))
		if !strings.Contains(draftNext, "after=") || !strings.Contains(draftNext, "limit=3") {
			t.Fatalf("the draft's next link %q", draftNext)
		}
		if second := f.page(t, sec, draftNext); !strings.Contains(second, `rel="prev"`) || !strings.Contains(second, "3 affichés sur 7") {
			t.Errorf("the second page of the draft's recipients")
		}
		if code, b, _ := f.call(t, sec, "POST", path+"/send", map[string]any{"skip_problems": true, "confirm_past": true}); code != 202 {
			t.Fatalf("send: %d %s", code, b)
		}
		type list struct {
			Total, Limit int
			Next         string
			Counts       map[string]int
			Recipients   []struct{ Email string }
		}
		read := func(q string) list {
			t.Helper()
			code, b, _ := f.call(t, sec, "GET", path+"/recipients?"+q, nil)
			var l list
			if code != http.StatusOK || json.Unmarshal(b, &l) != nil {
				t.Fatalf("GET recipients?%s: %d %s", q, code, b)
			}
			return l
		}
		whole := read("")
		var got []string
		for l := read("limit=3"); ; l = read("limit=3&after=" + l.Next) {
			if l.Total != 7 || l.Counts["queued"]+l.Counts["sent"] != 7 || len(l.Recipients) > 3 {
				t.Fatalf("a page: %+v", l)
			}
			for _, r := range l.Recipients {
				got = append(got, r.Email)
			}
			if l.Next == "" {
				break
			}
		}
		if len(whole.Recipients) != 7 || fmt.Sprint(got) != fmt.Sprint(func() []string {
			var out []string
			for _, r := range whole.Recipients {
				out = append(out, r.Email)
			}
			return out
		}()) {
			t.Errorf("walk %v, whole %+v", got, whole.Recipients)
		}
		if code, b, _ := f.call(t, sec, "GET", path+"/recipients?after=%21", nil); code != http.StatusBadRequest || !strings.Contains(string(b), `"field":"after"`) {
			t.Errorf("bad cursor: %d %s", code, b)
		}
		next := pagerNext(f.page(t, sec, fmt.Sprintf("/fr/campaigns/%d?limit=3", camp.ID)))
		if !strings.Contains(next, "after=") {
			t.Fatalf("next link %q", next)
		}
		if second := f.page(t, sec, next); !strings.Contains(second, `rel="prev"`) || !strings.Contains(second, "3 affichés sur 7") {
			t.Errorf("the second page of recipients")
		}
	})
}
