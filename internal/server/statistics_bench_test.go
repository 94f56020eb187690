package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// BenchmarkStatistics renders the statistics pages and API answer from
// the database on the demo data, through the site's and the API's
// handlers without the micro-cache in front (the pages refuse parameters
// they do not know, so BenchmarkRender's nocache= cannot bypass it).
func BenchmarkStatistics(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			st := storetest.SQLite(b)
			if db == "postgres" {
				st = storetest.Postgres(b)
			}
			if _, err := demo.Load(b.Context(), st); err != nil {
				b.Fatal(err)
			}
			p, err := build(st, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				b.Fatal(err)
			}
			mux := http.NewServeMux()
			p.site.Register(mux)
			p.api.Register(mux)
			for _, path := range []string{"/fr/statistics", "/ja/series/rencontres-franco-japonaises/7/statistics", "/api/v1/statistics"} {
				b.Run(path, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						rec := httptest.NewRecorder()
						mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
						if rec.Code != 200 {
							b.Fatalf("%s: %d", path, rec.Code)
						}
						b.SetBytes(int64(rec.Body.Len()))
					}
				})
			}
		})
	}
}
