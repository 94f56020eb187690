package geo

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite outlines.json from node_modules/world-atlas")

// worldAtlas finds countries-50m.json: in the project's node_modules, or
// in the folder RENCONTRES_WORLD_ATLAS names.
func worldAtlas(t *testing.T) []byte {
	t.Helper()
	dir := os.Getenv("RENCONTRES_WORLD_ATLAS")
	if dir == "" {
		dir = filepath.Join("..", "..", "node_modules", "world-atlas")
	}
	data, err := os.ReadFile(filepath.Join(dir, "countries-50m.json"))
	if err != nil {
		if os.Getenv("RENCONTRES_REQUIRE_REFDATA") == "1" {
			t.Fatalf("%v: run make refdata (world-atlas is pinned in package-lock.json)", err)
		}
		t.Skipf("%v (set RENCONTRES_REQUIRE_REFDATA=1 to fail instead)", err)
	}
	return data
}

// TestOutlinesComeFromWorldAtlas checks that the embedded outlines are
// what Extract makes of the pinned world-atlas, so that they can be made
// again (go test ./internal/geo -run Outlines -update).
func TestOutlinesComeFromWorldAtlas(t *testing.T) {
	o, err := Extract(worldAtlas(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("outlines.json", append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(bytes.TrimSpace(outlinesJSON), got) && !*update {
		t.Fatal("outlines.json differs from what Extract makes of world-atlas: run with -update")
	}
}
