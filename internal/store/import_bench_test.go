package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// BenchmarkImportContacts measures an import of a contact list of 20,000
// rows against the full reference directory (38,000 authorities, imported
// from node_modules as `rencontres import` does), as docs/benchmarks.md
// reports: the preview (read the file, load the directory and the known
// contacts, match and compare every row), the confirmation (one
// transaction) and the preview of the same file once imported (every row
// unchanged), with the largest heap in use seen during each:
//
//	go test -run x -bench ImportContacts -benchtime 3x ./internal/store/
//
// (with RENCONTRES_TEST_POSTGRES set for PostgreSQL too). Each confirm
// iteration imports another 20,000 people (their addresses carry the
// iteration), so that every one creates as many contacts as the first.
func BenchmarkImportContacts(b *testing.B) {
	ctx := context.Background()
	for _, db := range benchDatabases() {
		s := db.open(b)
		realDirectory(b, s)
		rows := contactRows(b, s, 20000)
		b.Run(db.name+"/preview", func(b *testing.B) {
			data := contactCSV(rows, "p")
			peak := heapPeak(b)
			for b.Loop() {
				pv, err := contactimport.Prepare(ctx, s, contactimport.Request{Data: data})
				if err != nil || pv.Counts[contactimport.Created] != len(rows) {
					b.Fatalf("preview: %v, counts %v", err, pv.Counts)
				}
			}
			b.ReportMetric(float64(peak()>>20), "peak-heap-MiB")
		})
		b.Run(db.name+"/confirm", func(b *testing.B) {
			n := 0
			var peak func() uint64
			for b.Loop() {
				b.StopTimer()
				n++
				pv, err := contactimport.Prepare(ctx, s, contactimport.Request{Data: contactCSV(rows, fmt.Sprint("c", n))})
				if err != nil || !pv.Ready() {
					b.Fatalf("preview: %v, counts %v", err, pv.Counts)
				}
				if peak == nil {
					peak = heapPeak(b)
				}
				b.StartTimer()
				created, _, err := s.ImportContacts(ctx, nil, "bench.csv", pv.Writes())
				if err != nil || created != len(rows) {
					b.Fatalf("import: %d created, %v", created, err)
				}
			}
			b.ReportMetric(float64(peak()>>20), "peak-heap-MiB")
		})
		b.Run(db.name+"/again", func(b *testing.B) {
			data := contactCSV(rows, "c1")
			peak := heapPeak(b)
			for b.Loop() {
				pv, err := contactimport.Prepare(ctx, s, contactimport.Request{Data: data})
				if err != nil || pv.Counts[contactimport.Unchanged] != len(rows) {
					b.Fatalf("again: %v, counts %v", err, pv.Counts)
				}
			}
			b.ReportMetric(float64(peak()>>20), "peak-heap-MiB")
		})
	}
}

// contactRow is one person of the benchmark's list: the organisation as
// the file names it.
type contactRow struct{ org, code string }

// contactRows returns n rows naming authorities of the directory the way
// real lists do: half by official code, a quarter by a French name written
// otherwise (« Ville de Saint Martin d Heres »), a quarter by the Japanese
// name or its kana. Names that would be ambiguous in the real directory
// (the many Saint-Martin) are left out by a first preview, untimed, so that
// every row of the list is created.
func contactRows(b *testing.B, s *store.Store, n int) []contactRow {
	b.Helper()
	dir, err := s.ImportDirectory(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var rows []contactRow
	for i, o := range dir {
		fr, ja := o.Name[rencontres.French], o.Name[rencontres.Japanese]
		switch {
		case i%4 == 1 && o.Country == rencontres.France && o.Kind == rencontres.Commune && fr != "":
			rows = append(rows, contactRow{org: "Ville de " + strings.ReplaceAll(fr, "-", " ")})
		case i%4 == 3 && o.Country == rencontres.Japan && o.Kana != "" && i%8 == 3:
			rows = append(rows, contactRow{org: o.Kana})
		case i%4 == 3 && o.Country == rencontres.Japan && ja != "":
			rows = append(rows, contactRow{org: ja})
		case o.Code != "":
			rows = append(rows, contactRow{code: o.Code})
		}
	}
	pv, err := contactimport.Prepare(context.Background(), s, contactimport.Request{Data: contactCSV(rows, "probe")})
	if err != nil {
		b.Fatal(err)
	}
	var kept []contactRow
	by := map[string]int{}
	for k, r := range pv.Rows {
		if r.Status == contactimport.Created && len(kept) < n {
			kept = append(kept, rows[k])
			by[r.MatchedBy]++
		}
	}
	b.Logf("%d rows of %d candidates, matched by %v", len(kept), len(rows), by)
	if len(kept) < n {
		b.Fatalf("only %d of %d rows match one authority: %v", len(kept), len(rows), pv.Counts)
	}
	return kept
}

// contactCSV writes rows as a French Excel would (UTF-8 with BOM, « ; »),
// each person's address carrying tag.
func contactCSV(rows []contactRow, tag string) []byte {
	var csv bytes.Buffer
	csv.WriteString("\xEF\xBB\xBFCollectivité;Code officiel;Civilité;Nom;Courriel;Fonction;Téléphone\r\n")
	for i, r := range rows {
		civility, function := "Mme", "Chargée de mission"
		if i%2 == 1 {
			civility, function = "M.", "Directeur"
		}
		fmt.Fprintf(&csv, "%s;%s;%s;Personne %d;p%d.%s@example.org;%s;+33 1 00 00 %02d %02d\r\n",
			r.org, r.code, civility, i, i, tag, function, i%100, i/100%100)
	}
	return csv.Bytes()
}

// heapPeak samples the heap in use until the benchmark ends and returns a
// function that reads the largest value seen.
func heapPeak(b *testing.B) func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	b.Cleanup(func() { close(stop) })
	runtime.GC()
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
	return peak.Load
}

// benchDatabases are the databases a benchmark runs on: SQLite, and
// PostgreSQL when RENCONTRES_TEST_POSTGRES is set.
func benchDatabases() []benchDatabase {
	dbs := []benchDatabase{{"sqlite", storetest.SQLite}}
	if os.Getenv(storetest.PostgresEnv) != "" {
		dbs = append(dbs, benchDatabase{"postgres", storetest.Postgres})
	}
	return dbs
}

type benchDatabase struct {
	name string
	open func(testing.TB) *store.Store
}
