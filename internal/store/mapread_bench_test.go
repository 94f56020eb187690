package store_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/store"
)

// BenchmarkMapPartnerships reads the map's partnerships from a database
// prepared beforehand (rencontres import, then scripts/mapload):
// RENCONTRES_BENCH_MAP_DATA names a SQLite data folder, or
// RENCONTRES_BENCH_MAP_DB a PostgreSQL URL. It is the cold half of the
// map's render, without the import BenchmarkMap in internal/server pays
// first.
func BenchmarkMapPartnerships(b *testing.B) {
	data, db := os.Getenv("RENCONTRES_BENCH_MAP_DATA"), os.Getenv("RENCONTRES_BENCH_MAP_DB")
	if data == "" && db == "" {
		b.Skip("set RENCONTRES_BENCH_MAP_DATA (SQLite folder) or RENCONTRES_BENCH_MAP_DB (PostgreSQL URL)")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db, data)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	n := 0
	// The process's CPU time, beside the wall time: on a machine shared
	// with other work the wall time is mostly waiting for a core.
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	for b.Loop() {
		list, err := st.MapPartnerships(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n = len(list)
	}
	b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(n), "partnerships")
}
