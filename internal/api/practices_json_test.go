package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// sqlLibrary reads the library by SQL (the store's reference search),
// and has no PracticesEncoded: the API encodes its lists as it always did.
type sqlLibrary struct{ st *store.Store }

func (l sqlLibrary) Practices(ctx context.Context, f rencontres.PracticeFilter) ([]*rencontres.Practice, int, error) {
	return l.st.PracticesFromDatabase(ctx, f)
}

func (l sqlLibrary) Practice(ctx context.Context, id int64) (*rencontres.Practice, error) {
	return l.st.Practice(ctx, id)
}

func (l sqlLibrary) PracticeDocument(ctx context.Context, practiceID, id int64) (*rencontres.ProposalDocument, []byte, error) {
	return l.st.PracticeDocument(ctx, practiceID, id)
}

// GET /api/v1/practices answers the same bytes, status and headers from
// the library kept in memory, its practices' JSON kept between requests,
// as from the SQL search encoded by encoding/json.
func TestPracticesJSONMatchesSQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		e, err := st.Edition(ctx, "rencontres-franco-japonaises", 8)
		if err != nil {
			t.Fatal(err)
		}
		released := time.Date(e.Year, 7, 1, 8, 0, 0, 0, time.UTC)
		call := &rencontres.Call{EventID: e.ID, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel"},
			Opens: released.AddDate(0, -4, 0), Deadline: released.AddDate(0, -2, 0), Released: &released}
		var ps []*store.SeededPractice
		for i := range 45 {
			at := released.Add(time.Duration(i/2) * time.Hour)
			ps = append(ps, &store.SeededPractice{Workshop: 1 + i%2, Proposal: rencontres.Proposal{
				Title:    rencontres.Text{"fr": fmt.Sprintf("Pratique <%d> « énergie » & \"écoles\"", i), "ja": fmt.Sprintf("事例%d：学校の省エネ", i)},
				Summary:  rencontres.Text{"fr": "Les écoles de Kumamoto économisent l’énergie.", "en": "Schools\tsave energy.", "ja": "熊本市の学校が省エネに取り組む。"},
				SDGs:     []int{7, 1 + i%17},
				Decision: rencontres.Accepted, Released: &at,
				Orgs: []rencontres.ProposalOrg{{Key: "jp-431001", Role: rencontres.LeadProposer}, {Key: "fr-13001", Role: rencontres.PartnerOrg}}}})
		}
		if err := st.SeedPractices(ctx, call, ps); err != nil {
			t.Fatal(err)
		}
		kept, sql, cat := http.NewServeMux(), http.NewServeMux(), i18n.MustLoad()
		api.New(api.Config{Library: st, Catalogue: cat, BaseURL: "https://rencontres.example.org/"}).Register(kept)
		api.New(api.Config{Library: sqlLibrary{st}, Catalogue: cat, BaseURL: "https://rencontres.example.org/"}).Register(sql)
		for round := range 2 { // the second from the JSON kept
			for _, q := range []string{"", "q=kumamoto", "q=%C3%A9nergie+%C3%A9coles", "q=%E7%86%8A%E6%9C%AC", "sdg=7", "sdg=7&page=2",
				"page=3", "page=99", "q=zzzz", "q=zzzz&page=2", "edition=rencontres-franco-japonaises/8&workshop=2", "edition=nowhere/1",
				"organisation=fr-13001&country=FR", "organisation=fr-99999", "kind=municipality&from=2000&to=2030", "q=%3Cb%3E"} {
				a, b := httptest.NewRecorder(), httptest.NewRecorder()
				kept.ServeHTTP(a, httptest.NewRequest("GET", "/api/v1/practices?"+q, nil))
				sql.ServeHTTP(b, httptest.NewRequest("GET", "/api/v1/practices?"+q, nil))
				// The kept lists are sent with their length, which
				// encoding/json's stream does not know.
				if cl := a.Header().Get("Content-Length"); a.Code == http.StatusOK && cl != strconv.Itoa(a.Body.Len()) {
					t.Errorf("round %d, %s: Content-Length %q for %d bytes", round, q, cl, a.Body.Len())
				}
				a.Header().Del("Content-Length")
				if a.Code != b.Code || a.Body.String() != b.Body.String() || fmt.Sprint(a.Header()) != fmt.Sprint(b.Header()) {
					t.Errorf("round %d, %s: %d %v\n%s\nwant %d %v\n%s", round, q, a.Code, a.Header(), a.Body, b.Code, b.Header(), b.Body)
				}
				if q == "" && round == 0 && len(a.Body.String()) < 20000 {
					t.Errorf("a page of twenty practices in %d bytes", len(a.Body.String()))
				}
			}
		}
	})
}
