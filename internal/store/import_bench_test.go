package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// TestImportTwentyThousandContacts measures an import of 20,000 contacts
// against a directory of 38,000 authorities, as docs/benchmarks.md
// reports: the preview (read, match, compare) and the confirmation (one
// transaction), their time and the largest heap seen. It runs with
// RENCONTRES_BENCH_IMPORT=1:
//
//	RENCONTRES_BENCH_IMPORT=1 go test ./internal/store/ -run TestImportTwentyThousandContacts -v
func TestImportTwentyThousandContacts(t *testing.T) {
	if os.Getenv("RENCONTRES_BENCH_IMPORT") == "" {
		t.Skip("set RENCONTRES_BENCH_IMPORT=1 to measure an import of 20,000 contacts")
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var orgs []*rencontres.Organisation
		for i := range 38000 {
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("fr-b%05d", i), Kind: rencontres.Commune, Country: rencontres.France,
				Code: fmt.Sprintf("B%04d", i), Name: rencontres.Text{"fr": fmt.Sprintf("Saint-Bench-%d", i), "ja": fmt.Sprintf("ベンチ%d", i)}})
		}
		if _, _, err := s.UpsertOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		var csv bytes.Buffer
		csv.WriteString("\xEF\xBB\xBFCollectivité;Code officiel;Civilité;Nom;Courriel;Fonction;Téléphone\r\n")
		for i := range 20000 {
			// Half found by code, half by a name written otherwise.
			org := fmt.Sprintf("Ville de Saint Bench %d;", i)
			if i%2 == 0 {
				org = fmt.Sprintf(";B%04d", i)
			}
			if i%2 == 0 {
				fmt.Fprintf(&csv, "%s;Mme;Personne %d;p%d@example.org;Chargée de mission;+33 1 00 00 %02d %02d\r\n", org, i, i, i%100, i/100%100)
			} else {
				fmt.Fprintf(&csv, "%s;M.;Personne %d;p%d@example.org;Directeur;+33 1 00 00 %02d %02d\r\n", org, i, i, i%100, i/100%100)
			}
		}
		data := csv.Bytes()

		var peak atomic.Uint64
		stop := make(chan struct{})
		go func() {
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		runtime.GC()
		start := time.Now()
		pv, err := contactimport.Prepare(ctx, s, contactimport.Request{Data: data})
		if err != nil {
			t.Fatal(err)
		}
		previewTime := time.Since(start)
		if !pv.Ready() || pv.Counts[contactimport.Created] != 20000 {
			t.Fatalf("preview counts %v, problems %v", pv.Counts, pv.Problems)
		}
		start = time.Now()
		created, _, err := s.ImportContacts(ctx, nil, "bench.csv", pv.Writes())
		if err != nil || created != 20000 {
			t.Fatalf("import: %d, %v", created, err)
		}
		confirmTime := time.Since(start)
		start = time.Now()
		again, err := contactimport.Prepare(ctx, s, contactimport.Request{Data: data})
		if err != nil || again.Counts[contactimport.Unchanged] != 20000 {
			t.Fatalf("again: %v %v", again.Counts, err)
		}
		againTime := time.Since(start)
		close(stop)
		t.Logf("%s: %d bytes; preview %v, confirm %v, preview again (all unchanged) %v; largest heap in use %d MiB",
			s.Dialect(), len(data), previewTime.Round(time.Millisecond), confirmTime.Round(time.Millisecond),
			againTime.Round(time.Millisecond), peak.Load()>>20)
		if previewTime > 5*time.Second {
			t.Errorf("the preview took %v, over the 5 s aim", previewTime)
		}
		if peak.Load() > 200<<20 {
			t.Errorf("the heap reached %d MiB, over the 200 MB aim", peak.Load()>>20)
		}
	})
}
