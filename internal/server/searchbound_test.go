package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A search with more matches than rencontres.SearchCountBound says « more
// than 1,000 » on the directory page and in the API, whose pages past the
// bound still answer; a narrower one gives its exact count.
func TestBroadSearchSaysMoreThanTheBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := newSite(t, st)
		var orgs []*rencontres.Organisation
		for i := 1; i <= rencontres.SearchCountBound+3; i++ {
			name := fmt.Sprintf("Saint-Test-%d", i)
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("fr-t%d", i), Kind: rencontres.Commune,
				Country: rencontres.France, Name: rencontres.Text{"fr": name, "en": name}, Population: int64(i)})
		}
		if _, _, err := st.UpsertOrganisations(context.Background(), orgs); err != nil {
			t.Fatal(err)
		}
		type list struct {
			Total      int  `json:"total"`
			LowerBound bool `json:"total_is_lower_bound"`
			Orgs       []struct {
				Key string `json:"key"`
			} `json:"organisations"`
		}
		var broad, past, narrow list
		getJSON(t, srv.URL+"/api/v1/organisations?q=saint+test&limit=10", &broad)
		if broad.Total != rencontres.SearchCountBound || !broad.LowerBound || len(broad.Orgs) != 10 {
			t.Errorf("saint test: total %d, lower bound %v, %d organisations; want 1000, true, 10", broad.Total, broad.LowerBound, len(broad.Orgs))
		}
		getJSON(t, srv.URL+"/api/v1/organisations?q=saint+test&limit=10&offset=1000", &past)
		if !past.LowerBound || len(past.Orgs) != 3 {
			t.Errorf("saint test past 1000: lower bound %v, %d organisations; want true, 3", past.LowerBound, len(past.Orgs))
		}
		getJSON(t, srv.URL+"/api/v1/organisations?q=Saint-Test-10", &narrow)
		if narrow.Total != 15 || narrow.LowerBound || len(narrow.Orgs) != 15 {
			t.Errorf("Saint-Test-10: total %d, lower bound %v, %d organisations; want exactly 15", narrow.Total, narrow.LowerBound, len(narrow.Orgs))
		}
		for path, want := range map[string]string{
			"/fr/organisations?q=saint+test":    "Plus de 1\u00a0000\u00a0résultats",
			"/ja/organisations?q=saint+test":    "1,000件以上",
			"/en/organisations?q=saint+test":    "More than 1,000 results",
			"/fr/organisations?q=Saint-Test-10": "15 résultats",
		} {
			if _, body := get(t, srv.URL+path); !strings.Contains(body, want) {
				t.Errorf("GET %s: body lacks %q", path, want)
			}
		}
	})
}
