package store

import (
	"context"
	"os"
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
