package store_test

import (
	"context"
	"os"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// BenchmarkLibrarySearch reads the library's searches of scripts/bench.sh
// from a database that scripts/librarybench filled (20,000 practices):
// RENCONTRES_LIBRARY_BENCH_DATA names its SQLite data folder, or
// RENCONTRES_LIBRARY_BENCH_DB its PostgreSQL URL. Skipped without either.
//
//	go run ./scripts/librarybench -data /tmp/lib -n 20000
//	RENCONTRES_LIBRARY_BENCH_DATA=/tmp/lib go test ./internal/store -run '^$' -bench LibrarySearch -cpuprofile cpu.out
func BenchmarkLibrarySearch(b *testing.B) {
	st := openLibraryBench(b)
	// The library read into memory first, as the first search does.
	if _, _, err := st.Practices(context.Background(), rencontres.PracticeFilter{}); err != nil {
		b.Fatal(err)
	}
	for _, c := range librarySearches {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				if _, _, err := st.Practices(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLibrarySQL reads the same searches by SQL, as before the
// library was kept in memory (the reference path).
func BenchmarkLibrarySQL(b *testing.B) {
	st := openLibraryBench(b)
	for _, c := range librarySearches {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				if _, _, err := st.PracticesFromDatabase(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLibraryRead reads the whole library into memory, as the first
// search after a write does, and reports the heap the copy holds.
func BenchmarkLibraryRead(b *testing.B) {
	st := openLibraryBench(b)
	ctx := context.Background()
	var heap uint64
	for b.Loop() {
		h, err := st.ReadLibraryForTest(ctx)
		if err != nil {
			b.Fatal(err)
		}
		heap = h
	}
	b.ReportMetric(float64(heap)/(1<<20), "MiB-heap")
}

var librarySearches = []struct {
	name string
	f    rencontres.PracticeFilter
}{
	{"kumamoto", rencontres.PracticeFilter{Query: "kumamoto"}},
	{"kanji", rencontres.PracticeFilter{Query: "熊本"}},
	{"energie-ecoles", rencontres.PracticeFilter{Query: "énergie écoles"}},
	{"shi", rencontres.PracticeFilter{Query: "市"}},
	{"s", rencontres.PracticeFilter{Query: "s"}},
	{"kumamoto-sdg", rencontres.PracticeFilter{Query: "kumamoto", SDG: 7}},
	{"sdg", rencontres.PracticeFilter{SDG: 7}},
	{"workshop", rencontres.PracticeFilter{Series: "rencontres-franco-japonaises", Number: 7, Workshop: 3}},
	{"page500", rencontres.PracticeFilter{Page: 500}},
	{"all", rencontres.PracticeFilter{}},
}

func openLibraryBench(b *testing.B) *store.Store {
	b.Helper()
	data, url := os.Getenv("RENCONTRES_LIBRARY_BENCH_DATA"), os.Getenv("RENCONTRES_LIBRARY_BENCH_DB")
	if data == "" && url == "" {
		b.Skip("RENCONTRES_LIBRARY_BENCH_DATA or RENCONTRES_LIBRARY_BENCH_DB names a library filled by scripts/librarybench")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, url, data)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return st
}
