package store

import (
	"context"
	"os"
	"strings"
	"testing"
)

// On PostgreSQL the directory's search reads on sessions that keep one
// generic plan per statement, and only the search does: the other reads
// keep PostgreSQL's own choice.
func TestSearchPoolKeepsGenericPlans(t *testing.T) {
	url := os.Getenv("RENCONTRES_TEST_POSTGRES")
	if url == "" {
		t.Skip("RENCONTRES_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	s, err := Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mode := func(q querier) string {
		var m string
		if err := q.QueryRowContext(ctx, "SHOW plan_cache_mode").Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if got := mode(s.searcher()); got != "force_generic_plan" {
		t.Errorf("the search reads with plan_cache_mode %q", got)
	}
	if got := mode(s.reader()); got != "auto" {
		t.Errorf("other reads have plan_cache_mode %q", got)
	}
}

// PostgreSQL's JIT is off on every pool unless the URL sets it: compiling
// a costly query at each run took most of its time (docs/decisions.md).
func TestJITOffUnlessAsked(t *testing.T) {
	url := os.Getenv("RENCONTRES_TEST_POSTGRES")
	if url == "" {
		t.Skip("RENCONTRES_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	show := func(q querier) string {
		var v string
		if err := q.QueryRowContext(ctx, "SHOW jit").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct{ url, want string }{{url, "off"}, {url + "&jit=on", "on"}} {
		s, err := Open(ctx, tc.url, "")
		if err != nil {
			t.Fatal(err)
		}
		for name, q := range map[string]querier{"reads": s.reader(), "search": s.searcher(), "batches": s.batch} {
			if got := show(q); got != tc.want {
				t.Errorf("%s: jit = %s on %s, want %s", tc.url, got, name, tc.want)
			}
		}
		if !strings.Contains(tc.url, "jit") && strings.Contains(s.Where, "jit") {
			t.Errorf("the database's description shows the setting: %s", s.Where)
		}
		s.Close()
	}
}
