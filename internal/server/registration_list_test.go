package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// bigEdition fills the 7th edition with n more registrations, each
// choosing a new workshop, and gives the workshop.
func (f *fixture) bigEdition(t *testing.T, n int) *rencontres.Session {
	t.Helper()
	ctx := context.Background()
	var model *rencontres.Session
	for _, s := range f.sessionsOf(t, f.edition) {
		model = s
		break
	}
	ws := &rencontres.Session{EditionID: f.edition, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier des listes longues"},
		Start: model.Start, End: model.End}
	if err := f.st.SaveSession(ctx, ws); err != nil {
		t.Fatal(err)
	}
	storetest.FillRegistrations(t, f.st, f.edition, n, ws.ID)
	return ws
}

// csvRows reads a downloaded CSV, its header first.
func csvRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// An edition of a few thousand registrations, walked through the API a
// page at a time, forward then back, with and without filters: every
// registration once, in the order of submission, the whole list counted;
// a bad cursor is refused; its exports hold every row; its page on the
// site shows a hundred and links the next.
func TestRegistrationListPaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		sec := rencontres.Secretariat
		ws := f.bigEdition(t, 2600)
		base := fmt.Sprintf("/api/v1/events/%d/registrations", f.edition)

		// q=nom001 matches a thousand, which SQLite reads from the
		// search's index; q=nom00 every filled one, by the rows.
		for _, filter := range []string{"", "elected=true", fmt.Sprintf("session=%d&q=nom0012", ws.ID), "country=JP", "q=nom001", "q=NOM00"} {
			all, err := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.edition})
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			for _, r := range all {
				ok := true
				switch filter {
				case "elected=true":
					ok = r.Elected
				case "country=JP":
					ok = r.Country == rencontres.Japan
				case "":
				case "q=nom001", "q=NOM00":
					ok = strings.HasPrefix(strings.ToLower(r.FamilyName), strings.ToLower(strings.TrimPrefix(filter, "q=")))
				default:
					ok = strings.HasPrefix(r.FamilyName, "Nom0012")
				}
				if ok {
					want = append(want, r.ID)
				}
			}
			var forward []int64
			var pages [][]int64
			q := "limit=500&" + filter
			var list api.RegistrationList
			for range 100 {
				code, b, _ := f.call(t, sec, "GET", base+"?"+q, nil)
				if code != 200 {
					t.Fatalf("%s: %d %s", q, code, b)
				}
				list = decodeAs[api.RegistrationList](t, b)
				var ids []int64
				for _, r := range list.Registrations {
					ids = append(ids, r.ID)
				}
				forward = append(forward, ids...)
				pages = append(pages, ids)
				if list.Total != len(want) || list.Limit != 500 || list.Counts == nil {
					t.Fatalf("%s: total %d, limit %d, want %d, 500, and the counts", q, list.Total, list.Limit, len(want))
				}
				if list.Next == "" {
					break
				}
				q = "limit=500&after=" + list.Next + "&" + filter
			}
			if !slices.Equal(forward, want) || len(want) == 0 {
				t.Fatalf("%q: forward read %d registrations, want %d (> 0)", filter, len(forward), len(want))
			}
			// Back from the last page, each page as it was read forward.
			for i := len(pages) - 2; i >= 0; i-- {
				code, b, _ := f.call(t, sec, "GET", base+"?limit=500&before="+list.Prev+"&"+filter, nil)
				if code != 200 {
					t.Fatalf("back: %d %s", code, b)
				}
				list = decodeAs[api.RegistrationList](t, b)
				var ids []int64
				for _, r := range list.Registrations {
					ids = append(ids, r.ID)
				}
				if !slices.Equal(ids, pages[i]) {
					t.Fatalf("%q: page %d read back differs", filter, i)
				}
			}
			if list.Prev != "" {
				t.Errorf("%q: the first page read back links a page before it", filter)
			}
		}

		// A bad cursor or limit is refused, naming the parameter.
		for q, field := range map[string]string{"after=nonsense": "after", "before=" + "WyJ4Il0": "before", "limit=501": "limit", "after=WzFd&before=WzJd": "before",
			"q=" + strings.Repeat("é", 101): "q"} {
			code, b, _ := f.call(t, sec, "GET", base+"?"+q, nil)
			if code != 400 || !strings.Contains(string(b), `"field":"`+field+`"`) {
				t.Errorf("%s: %d %s", q, code, b)
			}
		}

		// The exports hold every registration of the filtered list.
		total := 0
		if n, err := st.CountRegistrations(ctx, rencontres.RegistrationFilter{EventID: f.edition}); err != nil || n < 2600 {
			t.Fatalf("count %d, %v", n, err)
		} else {
			total = n
		}
		code, b, _ := f.call(t, sec, "GET", base+"?format=csv", nil)
		if rows := csvRows(t, b); code != 200 || len(rows) != total+1 {
			t.Errorf("CSV: %d, %d rows, want %d and a header", code, len(rows), total)
		}
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/fr/events/%d/registrations?format=xlsx&elected=yes", f.edition), nil)
		elected, _ := st.CountRegistrations(ctx, rencontres.RegistrationFilter{EventID: f.edition, Elected: ptrTo(true)})
		if _, rows := sheetRows(t, b, "Inscriptions"); code != 200 || len(rows) != elected+1 || elected < 1300 {
			t.Errorf("workbook: %d, %d rows, want %d and a header", code, len(rows), elected)
		}

		// The site's page shows a hundred, the count, and links the next
		// page, which keeps the filter.
		page := f.page(t, sec, fmt.Sprintf("/fr/events/%d/registrations?country=FR", f.edition))
		next := regexp.MustCompile(`<a rel="next" href="([^"]+)"`).FindStringSubmatch(page)
		if next == nil || !strings.Contains(next[1], "country=FR") || strings.Count(page, `/delegation?org=`) != 100 {
			t.Fatalf("the first page: next %v, %d rows", next, strings.Count(page, `/delegation?org=`))
		}
		second := f.page(t, sec, html.UnescapeString(next[1]))
		if !strings.Contains(second, `rel="prev"`) || strings.Count(second, `/delegation?org=`) != 100 || strings.Contains(second, "/delegation?org=jp-") {
			t.Errorf("the second page does not show the next hundred of France")
		}
		// An old or forged cursor on the site shows the first page.
		// A search longer than a name is refused on the page too, saying
		// so; one of a hundred characters is read.
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/fr/events/%d/registrations?q=%s", f.edition, strings.Repeat("é", 101)), nil)
		if code != 400 || !strings.Contains(string(b), "est trop long") || !strings.Contains(string(b), "100 caractères au plus") {
			t.Errorf("a search of 101 characters: %d %.300s", code, b)
		}
		if code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/fr/events/%d/registrations?q=%s", f.edition, strings.Repeat("é", 100)), nil); code != 200 {
			t.Errorf("a search of 100 characters: %d %.300s", code, b)
		}
		if code, b, _ = f.call(t, sec, "GET", "/fr/admin/people?q="+strings.Repeat("é", 101), nil); code != 400 || !strings.Contains(string(b), "100 caractères au plus") {
			t.Errorf("the people's page, a search of 101 characters: %d %.300s", code, b)
		}
		if p := f.page(t, sec, fmt.Sprintf("/fr/events/%d/registrations?after=forged", f.edition)); !strings.Contains(p, `rel="next"`) {
			t.Errorf("a forged cursor did not show the first page")
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

// A session's attendance list of a few thousand people, through the API
// a page at a time and as a spreadsheet, and on the site.
func TestAttendanceListPaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		ws := f.bigEdition(t, 1200)
		base := fmt.Sprintf("/api/v1/events/%d/sessions/%d/attendance", f.edition, ws.ID)
		seen := map[int64]bool{}
		var seated, waiting int
		q := "limit=250"
		for range 100 {
			code, b, _ := f.call(t, sec, "GET", base+"?"+q, nil)
			if code != 200 {
				t.Fatalf("%s: %d %s", q, code, b)
			}
			a := decodeAs[api.AttendanceList](t, b)
			if a.Total != 1200 || a.Session.ID != ws.ID {
				t.Fatalf("total %d, session %+v", a.Total, a.Session)
			}
			for _, p := range slices.Concat(a.Seated, a.Waiting) {
				if seen[p.ID] {
					t.Fatalf("%d twice", p.ID)
				}
				seen[p.ID] = true
			}
			if len(a.Seated) > 0 && waiting > 0 {
				t.Fatal("seats after the waiting list")
			}
			seated, waiting = seated+len(a.Seated), waiting+len(a.Waiting)
			if a.Next == "" {
				break
			}
			q = "limit=250&after=" + a.Next
		}
		if seated != 1080 || waiting != 120 {
			t.Errorf("%d seated, %d waiting; want 1080, 120", seated, waiting)
		}
		code, b, _ := f.call(t, sec, "GET", base+"?format=csv", nil)
		if rows := csvRows(t, b); code != 200 || len(rows) != 1201 {
			t.Errorf("CSV: %d, %d rows", code, len(rows))
		}
		code, b, _ = f.call(t, sec, "GET", base+"?after=bad", nil)
		if code != 400 || !strings.Contains(string(b), `"field":"after"`) {
			t.Errorf("bad cursor: %d %s", code, b)
		}
		page := f.page(t, sec, fmt.Sprintf("/fr/events/%d/sessions/%d/attendance", f.edition, ws.ID))
		next := regexp.MustCompile(`<a rel="next" href="([^"]+)"`).FindStringSubmatch(page)
		if next == nil || !strings.Contains(page, "1\u00a0080") && !strings.Contains(page, "1080") {
			t.Fatalf("the attendance page: next %v", next)
		}
		second := f.page(t, sec, html.UnescapeString(next[1]))
		if !strings.Contains(second, `rel="prev"`) {
			t.Errorf("the second page of the attendance list links no page before it")
		}
		all := f.page(t, sec, fmt.Sprintf("/fr/events/%d/attendance", f.edition))
		if !strings.Contains(all, html.EscapeString(next[1])) && !strings.Contains(all, next[1]) {
			t.Errorf("the page of every list does not link the next page of the long one")
		}
	})
}
