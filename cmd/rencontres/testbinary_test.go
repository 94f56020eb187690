package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// built is the command, built once for the tests that run it as a process
// (serve, kill -9, two processes): each used to build its own.
var built struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// testBinary returns the path of the command built from this package, and
// skips the test in -short mode.
func testBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "rencontres-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "rencontres")
		built.out, built.err = exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build: %v\n%s", built.err, built.out)
	}
	return built.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}
