package server_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/server"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// BenchmarkRender measures pages and API answers rendered from the database,
// bypassing the micro-cache: pages with a query parameter they ignore, the
// API with an Accept-Language header (its answers in other languages are
// not cached).
func BenchmarkRender(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			st := storetest.SQLite(b)
			if db == "postgres" {
				st = storetest.Postgres(b)
			}
			if _, err := demo.Load(b.Context(), st); err != nil {
				b.Fatal(err)
			}
			h, err := server.Handler(st, server.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				b.Fatal(err)
			}
			for _, path := range []string{"/fr/series/rencontres-franco-japonaises", "/ja/series/rencontres-franco-japonaises/7",
				"/fr/organisations?q=kumamoto", "/api/v1/editions", "/api/v1/organisations?q=kumamoto",
				"/fr/news", "/ja/news/1", "/fr/news.atom"} {
				b.Run(path, func(b *testing.B) {
					api := strings.HasPrefix(path, "/api/")
					sep := "?"
					if strings.Contains(path, "?") {
						sep = "&"
					}
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						i++
						target := path
						if !api {
							target += sep + "nocache=" + strconv.Itoa(i)
						}
						req := httptest.NewRequest("GET", target, nil)
						if api {
							req.Header.Set("Accept-Language", "en")
						}
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != 200 {
							b.Fatalf("%s: %d", path, rec.Code)
						}
					}
				})
			}
		})
	}
}
