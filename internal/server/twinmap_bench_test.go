package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rencontres/rencontres/internal/refdata"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/server"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/rencontres/rencontres/internal/twinmap"
)

// placedAuthorities lists the authorities of a kind and country that have
// a position.
func placedAuthorities(b *testing.B, st *store.Store, c rencontres.Country, k rencontres.OrgKind) []string {
	var keys []string
	for offset := 0; ; {
		list, _, err := st.Organisations(context.Background(), rencontres.OrgFilter{Country: c, Kind: k, Limit: 1000, Offset: offset})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range list {
			if o.Lat != nil {
				keys = append(keys, o.Key)
			}
		}
		if len(list) == 0 {
			return keys
		}
		offset += len(list) // the store may give fewer than asked
	}
}

// BenchmarkMap renders the twinning map, bypassing the micro-cache, with
// the full reference directory (make refdata) and 5,000 partnerships
// between French communes and Japanese municipalities that have a
// position, drawn at random (seeded); it reports the page's bytes, cold
// (the map's data read from the database) and warm (kept in memory). Set
// RENCONTRES_BENCH_MAP=1 to run it: the import takes a while.
func BenchmarkMap(b *testing.B) {
	if os.Getenv("RENCONTRES_BENCH_MAP") != "1" {
		b.Skip("set RENCONTRES_BENCH_MAP=1 (imports the reference directory)")
	}
	dir := filepath.Join("..", "..", "node_modules")
	if err := refdata.CheckPackages(dir); err != nil {
		b.Skip(err)
	}
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			ctx := context.Background()
			// A database prepared beforehand (rencontres import, then
			// scripts/mapload) spares the import: RENCONTRES_BENCH_MAP_DATA
			// names its SQLite folder, RENCONTRES_BENCH_MAP_DB its
			// PostgreSQL URL.
			if st := preparedMapStore(b, db); st != nil {
				benchMapRenders(b, ctx, st)
				return
			}
			st := storetest.SQLite(b)
			if db == "postgres" {
				st = storetest.Postgres(b)
			}
			if _, err := refdata.Import(ctx, st, dir, nil); err != nil {
				b.Fatal(err)
			}
			fr := placedAuthorities(b, st, rencontres.France, rencontres.Commune)
			jp := placedAuthorities(b, st, rencontres.Japan, rencontres.Municipality)
			rnd := rand.New(rand.NewPCG(14, 2026))
			for n, failed := 0, 0; n < 5000; {
				p := &rencontres.Partnership{A: fr[rnd.IntN(len(fr))], B: jp[rnd.IntN(len(jp))],
					Kind: rencontres.PartnershipKinds[rnd.IntN(4)], Year: 1958 + rnd.IntN(68)}
				if err := st.CreatePartnership(ctx, p); err == nil {
					n++
				} else if failed++; failed > 100 {
					b.Fatal(err)
				}
			}
			benchMapRenders(b, ctx, st)
		})
	}
}

// preparedMapStore opens the database prepared for db (sqlite or
// postgres) when one is named, nil otherwise.
func preparedMapStore(b *testing.B, db string) *store.Store {
	url, data := os.Getenv("RENCONTRES_BENCH_MAP_DB"), os.Getenv("RENCONTRES_BENCH_MAP_DATA")
	if db == "sqlite" && data == "" || db == "postgres" && url == "" {
		return nil
	}
	if db == "sqlite" {
		url = ""
	}
	st, err := store.Open(context.Background(), url, data)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// benchMapRenders measures the map on a store holding the directory and
// its partnerships.
func benchMapRenders(b *testing.B, ctx context.Context, st *store.Store) {
	// The two halves of a render: reading the partnerships, and
	// drawing them. load reads them from the database (the cold
	// path); cached is what a render pays when the map's version
	// has not changed (one row read).
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := twinmap.Load(ctx, st); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		c := twinmap.NewCache()
		if _, err := c.Load(ctx, st); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.Load(ctx, st); err != nil {
				b.Fatal(err)
			}
		}
		if c.Reads() != 1 {
			b.Fatalf("%d reads, want 1", c.Reads())
		}
	})
	d, err := twinmap.Load(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	layout, err := twinmap.TheLayout()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("draw", func(b *testing.B) {
		size := 0
		for b.Loop() {
			m := twinmap.Build(layout, d.Select(twinmap.Filter{}))
			size = len(m.SVG(twinmap.Labels{ID: "m", Title: "t", Country: func(rencontres.Country) string { return "France" },
				Name:     func(o *rencontres.Organisation) string { return o.Name.In(rencontres.French) },
				Href:     func(o *rencontres.Organisation) string { return "/fr/organisations/" + o.Key },
				AreaHref: func(a *rencontres.Organisation) string { return "/fr/map?area=" + a.Key },
				Point:    func(pt *twinmap.Point, name string) string { return name }}))
		}
		b.ReportMetric(float64(size), "bytes/svg")
	})
	cache := twinmap.NewCache()
	requests := 0
	h, err := server.Handler(st, server.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MapCache: cache})
	if err != nil {
		b.Fatal(err)
	}
	// Each page twice: cold, its map's data dropped before each
	// render (as after a write), and warm, kept from the render
	// before (the version unchanged). Both bypass the micro-cache.
	for _, path := range []string{"/fr/map", "/fr/map?kind=jumelage&from=1980&to=1999", "/fr/map?area=jp-430005"} {
		for _, cold := range []bool{true, false} {
			name := "warm" + path
			if cold {
				name = "cold" + path
			}
			b.Run(name, func(b *testing.B) {
				size := 0
				for range b.N {
					// A URL never asked before: the micro-cache
					// cannot answer it.
					requests++
					i := requests
					if cold {
						b.StopTimer()
						cache.Reset()
						b.StartTimer()
					}
					req := httptest.NewRequest("GET", fmt.Sprintf("%s%snocache=%s", path, sep(path), strconv.Itoa(i)), nil)
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatalf("%s: %d", path, rec.Code)
					}
					size = rec.Body.Len()
				}
				b.ReportMetric(float64(size), "bytes/page")
			})
		}
	}
}

func sep(path string) string {
	for _, c := range path {
		if c == '?' {
			return "&"
		}
	}
	return "?"
}
