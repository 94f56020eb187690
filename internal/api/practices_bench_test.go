package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/store"
)

// BenchmarkLibraryAPI answers GET /api/v1/practices through the API's
// handler (parameters, store, JSON), on a database that
// scripts/librarybench filled: RENCONTRES_LIBRARY_BENCH_DATA names its
// SQLite data folder, or RENCONTRES_LIBRARY_BENCH_DB its PostgreSQL URL.
// Skipped without either. With -cpuprofile it shows where a search's time
// goes beside the store's own benchmark (internal/store).
func BenchmarkLibraryAPI(b *testing.B) {
	data, url := os.Getenv("RENCONTRES_LIBRARY_BENCH_DATA"), os.Getenv("RENCONTRES_LIBRARY_BENCH_DB")
	if data == "" && url == "" {
		b.Skip("RENCONTRES_LIBRARY_BENCH_DATA or RENCONTRES_LIBRARY_BENCH_DB names a library filled by scripts/librarybench")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, url, data)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	api.New(api.Config{Library: st}).Register(mux)
	for _, q := range []string{"q=kumamoto", "q=%E5%B8%82", "q=%C3%A9nergie+%C3%A9coles", "q=kumamoto&sdg=7", "sdg=7", "page=500", ""} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				mux.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/practices?"+q, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", q, w.Code, w.Body)
				}
			}
		})
	}
}
