package server

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The partnerships exported by the page (.xlsx, French) and by the API
// (CSV, keys) import back through POST /api/v1/imports with
// kind=partnerships unchanged; a bad year is refused (400) at its cell.
func TestPartnershipsExportImportsUnchanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := newSchemaClient(t, f)
		var csvFile []byte
		for _, path := range []string{"/fr/partnerships?format=xlsx", "/api/v1/partnerships?format=csv", "/ja/partnerships?format=csv"} {
			req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+c.token)
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			file, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %.300s", path, resp.StatusCode, file)
			}
			if strings.HasSuffix(path, "csv") {
				csvFile = file
			}
			for _, dry := range []string{"true", "false"} {
				body, ct := multipartFile(t, "partnerships.csv", file, "kind", "partnerships", "dry_run", dry)
				req, _ = http.NewRequest("POST", f.srv.URL+"/api/v1/imports", body)
				req.Header.Set("Content-Type", ct)
				got := c.do(req, 200)
				if got["created"] != float64(0) || got["updated"] != float64(0) || got["unchanged"] == float64(0) {
					t.Errorf("%s imported again (dry run %s): %v", path, dry, got)
				}
			}
		}
		bad := strings.Replace(string(csvFile), ",1958,", ",58年,", 1)
		if bad == string(csvFile) {
			t.Fatal("no partnership signed in 1958 in the demo")
		}
		body, ct := multipartFile(t, "partnerships.csv", []byte(bad), "kind", "partnerships")
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/imports?lang=en", body)
		req.Header.Set("Content-Type", ct)
		got := c.do(req, 400)
		if s := strings.Join(strings.Fields(strings.ReplaceAll(fmt.Sprint(got), "\u00a0", " ")), " "); !strings.Contains(s, "column L") || !strings.Contains(s, "“58年” is not a year") {
			t.Errorf("bad year: %v", got)
		}
	})
}
