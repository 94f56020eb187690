package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// walk reads a list paged by cursor forward from its first page to its
// last, then back from the last to the first, and returns the rows of
// each walk (the backward one without the last page) with the head of
// the first page.
func walk[T any](t *testing.T, limit int, read func(cursor.Request) ([]T, cursor.Head, error)) (forward, back []T, first cursor.Head) {
	t.Helper()
	r := cursor.Request{Limit: limit}
	var last cursor.Head
	for n := 0; ; n++ {
		rows, h, err := read(r)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			first = h
		}
		if len(rows) > limit {
			t.Fatalf("page %d has %d rows, over the limit %d", n, len(rows), limit)
		}
		if (r.After == "") != (h.Prev == "") {
			t.Fatalf("page %d: prev %q after %q", n, h.Prev, r.After)
		}
		forward = append(forward, rows...)
		last = h
		if h.Next == "" {
			break
		}
		if n > 10000 {
			t.Fatal("the walk does not end")
		}
		r = cursor.Request{After: h.Next, Limit: limit}
	}
	for h := last; h.Prev != ""; {
		rows, hh, err := read(cursor.Request{Before: h.Prev, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if hh.Next == "" {
			t.Fatal("a page reached going back has no next")
		}
		back = append(slices.Clone(rows), back...)
		h = hh
	}
	return forward, back, first
}

func TestAuditPageWalk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		base := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		var want []int64 // the entries of action "a.one", newest first
		for i := range 31 {
			e := &rencontres.AuditEntry{At: base.Add(time.Duration(i/3) * time.Second), Action: []string{"a.one", "a.two"}[i%2],
				ObjectType: "user", ObjectID: "x"}
			if err := s.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
			if e.Action == "a.one" {
				want = append(want, e.ID)
			}
		}
		slices.Reverse(want) // ids grow with at, and break its ties
		f := rencontres.AuditFilter{Action: "a.one"}
		read := func(r cursor.Request) ([]int64, cursor.Head, error) {
			page, h, err := s.AuditPage(ctx, f, r)
			var ids []int64
			for _, e := range page {
				ids = append(ids, e.ID)
			}
			return ids, h, err
		}
		forward, back, first := walk(t, 4, read)
		if !slices.Equal(forward, want) {
			t.Errorf("forward walk = %v, want %v", forward, want)
		}
		if n := len(want) - ((len(want)-1)%4 + 1); !slices.Equal(back, want[:n]) {
			t.Errorf("backward walk = %v, want %v", back, want[:n])
		}
		if first.Total != len(want) || first.Limit != 4 {
			t.Errorf("head = %+v, want total %d", first, len(want))
		}
		_, h, err := s.AuditPage(ctx, rencontres.AuditFilter{Action: "a.two", Since: base.Add(5 * time.Second)}, cursor.Request{Limit: 2})
		if err != nil || h.Total != 8 {
			t.Errorf("total of a.two since +5 s = %d, %v, want 8", h.Total, err)
		}

		// A newer entry written between two pages does not shift the next.
		p1, h1, _ := read(cursor.Request{Limit: 4})
		if err := s.Audit(ctx, &rencontres.AuditEntry{At: base.Add(time.Hour), Action: "a.one"}); err != nil {
			t.Fatal(err)
		}
		p2, h2, _ := read(cursor.Request{After: h1.Next, Limit: 4})
		if !slices.Equal(p1, want[:4]) || !slices.Equal(p2, want[4:8]) || h2.Total != len(want)+1 {
			t.Errorf("pages %v then %v (total %d), want %v then %v", p1, p2, h2.Total, want[:4], want[4:8])
		}

		// A forged cursor of another shape is refused, naming its field.
		if _, _, err := s.AuditPage(ctx, f, cursor.Request{After: cursor.Encode("x"), Limit: 4}); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("forged cursor: %v", err)
		}

		// The export reads every entry in the page's order.
		var all []int64
		if err := s.EachAudit(ctx, f, func(e *rencontres.AuditEntry) error { all = append(all, e.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(all) != len(want)+1 || !slices.Equal(all[1:], want) {
			t.Errorf("EachAudit = %v", all)
		}
	})
}

// towns are n communes and municipalities named "Ville …", in France and
// Japan, some of them named alike so that the order needs its ids.
func towns(n int) []*rencontres.Organisation {
	var out []*rencontres.Organisation
	for i := range n {
		c, kind := rencontres.France, rencontres.Commune
		if i%3 == 0 {
			c, kind = rencontres.Japan, rencontres.Municipality
		}
		code := fmt.Sprintf("%05d", 10000+i)
		out = append(out, &rencontres.Organisation{Key: strings.ToLower(string(c)) + "-" + code, Kind: kind, Country: c, Code: code,
			Name: rencontres.Text{"fr": fmt.Sprintf("Ville %02d", i%17)}, Population: int64(1000 + i)})
	}
	return out
}

func orgKeys(list []*rencontres.Organisation) []string {
	var out []string
	for _, o := range list {
		out = append(out, o.Key)
	}
	return out
}

func TestOrganisationsPageWalk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, towns(40)); err != nil {
			t.Fatal(err)
		}
		for _, f := range []rencontres.OrgFilter{{Country: rencontres.France}, {}, {Query: "ville 1"}, {Query: "ville", Country: rencontres.Japan}} {
			// The offset pages, read whole, are the order to find.
			all, total, err := s.Organisations(ctx, rencontres.OrgFilter{Query: f.Query, Country: f.Country, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			want := orgKeys(all)
			read := func(r cursor.Request) ([]string, cursor.Head, error) {
				page, h, err := s.OrganisationsPage(ctx, f, r)
				return orgKeys(page), h, err
			}
			forward, back, first := walk(t, 4, read)
			if !slices.Equal(forward, want) || len(want) == 0 {
				t.Errorf("%+v: forward walk = %v, want %v", f, forward, want)
			}
			if n := len(want) - ((len(want)-1)%4 + 1); !slices.Equal(back, want[:n]) {
				t.Errorf("%+v: backward walk = %v, want %v", f, back, want[:n])
			}
			if first.Total != total || total != len(want) {
				t.Errorf("%+v: total %d, want %d", f, first.Total, len(want))
			}
		}

		// A town added between two pages, sorting before them, does not
		// shift the next page of the directory.
		f := rencontres.OrgFilter{Country: rencontres.France}
		p1, h1, _ := s.OrganisationsPage(ctx, f, cursor.Request{Limit: 5})
		all, _, _ := s.Organisations(ctx, rencontres.OrgFilter{Country: rencontres.France, Limit: 10})
		if _, _, err := s.UpsertOrganisations(ctx, []*rencontres.Organisation{{Key: "fr-00001", Kind: rencontres.Commune, Country: rencontres.France,
			Code: "00001", Name: rencontres.Text{"fr": "Abbeville"}}}); err != nil {
			t.Fatal(err)
		}
		p2, h2, _ := s.OrganisationsPage(ctx, f, cursor.Request{After: h1.Next, Limit: 5})
		if got, want := orgKeys(append(p1, p2...)), orgKeys(all); !slices.Equal(got, want) || h2.Total != h1.Total+1 {
			t.Errorf("pages %v (total %d then %d), want %v", got, h1.Total, h2.Total, want)
		}

		// A cursor of the directory is not one of a search.
		if _, _, err := s.OrganisationsPage(ctx, rencontres.OrgFilter{Query: "ville"}, cursor.Request{After: h1.Next, Limit: 5}); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("a directory's cursor in a search: %v", err)
		}
	})
}

func TestProposalsPageWalk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newCallFixture(t, s)
		var want []int64 // Kumamoto's, oldest first
		for i := range 15 {
			p := f.proposal()
			if i%3 != 0 {
				p.Orgs[1].Key = "jp-431001"
			}
			// Two at a time share their instant: the id breaks the tie.
			if err := s.SaveProposal(ctx, p, f.contact.ID, f.now.Add(time.Duration(i/2)*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if i%3 != 0 {
				want = append(want, p.ID)
			}
		}
		flt := rencontres.ProposalFilter{CallID: f.call.ID, OrgKey: "jp-431001"}
		read := func(r cursor.Request) ([]int64, cursor.Head, error) {
			page, h, err := s.ProposalsPage(ctx, flt, r)
			var ids []int64
			for _, p := range page {
				if len(p.Orgs) != 2 {
					t.Errorf("proposal %d without its authorities", p.ID)
				}
				ids = append(ids, p.ID)
			}
			return ids, h, err
		}
		forward, back, first := walk(t, 3, read)
		if !slices.Equal(forward, want) {
			t.Errorf("forward walk = %v, want %v", forward, want)
		}
		if n := len(want) - ((len(want)-1)%3 + 1); !slices.Equal(back, want[:n]) {
			t.Errorf("backward walk = %v, want %v", back, want[:n])
		}
		if first.Total != len(want) {
			t.Errorf("total %d, want %d", first.Total, len(want))
		}
		if _, h, _ := s.ProposalsPage(ctx, rencontres.ProposalFilter{CallID: f.call.ID}, cursor.Request{Limit: 1}); h.Total != 15 {
			t.Errorf("the call's total %d, want 15", h.Total)
		}
		// A proposal sent between two pages comes at the end, after them.
		p1, h1, _ := read(cursor.Request{Limit: 3})
		p := f.proposal()
		p.Orgs[1].Key = "jp-431001"
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		p2, _, _ := read(cursor.Request{After: h1.Next, Limit: 3})
		if !slices.Equal(p1, want[:3]) || !slices.Equal(p2, want[3:6]) {
			t.Errorf("pages %v then %v, want %v then %v", p1, p2, want[:3], want[3:6])
		}
		if n, err := s.ProposalsPending(ctx, f.call.ID); err != nil || n != 16 {
			t.Errorf("pending %d, %v, want 16", n, err)
		}
	})
}
