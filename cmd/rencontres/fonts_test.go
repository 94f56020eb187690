package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveLog starts the binary in dir with env, reads its log until it says
// it is running, stops it and returns every line it wrote.
func serveLog(t *testing.T, bin, dir, data string, env []string) []string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Dir, cmd.Env = dir, env
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var log []string
	running := false
	deadline := time.Now().Add(30 * time.Second)
	for !running && time.Now().Before(deadline) && lines.Scan() {
		log = append(log, lines.Text())
		running = strings.Contains(lines.Text(), "Rencontres is running")
	}
	if !running {
		cmd.Process.Kill()
		t.Fatalf("the server did not start: %v", log)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	for lines.Scan() {
		log = append(log, lines.Text())
	}
	cmd.Wait()
	return log
}

// The fonts are found wherever the server starts from: beside the binary,
// in the data folder or in RENCONTRES_FONT_DIR. Without them, serve says
// once, at start-up, which PDFs are unavailable and which npm package
// each lacks.
func TestServeFindsFontsAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	project, err := filepath.Abs("../../node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(project, "@expo-google-fonts/noto-serif-jp")); err != nil {
		t.Skip("the fonts are not installed (make refdata)")
	}
	binDir, elsewhere := t.TempDir(), t.TempDir()
	bin := filepath.Join(binDir, "rencontres")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RENCONTRES_") {
			env = append(env, kv)
		}
	}
	unavailable := func(log []string) []string {
		var out []string
		for _, l := range log {
			if strings.Contains(l, "PDF unavailable") {
				out = append(out, l)
			}
		}
		return out
	}

	// Started from a folder with no node_modules anywhere above it.
	data := filepath.Join(elsewhere, "data")
	got := unavailable(serveLog(t, bin, elsewhere, data, env))
	if len(got) != 2 || !strings.Contains(got[0], "campaign letters") || !strings.Contains(got[0], "@expo-google-fonts/noto-serif-jp") ||
		!strings.Contains(got[1], "badges") || !strings.Contains(got[1], "@expo-google-fonts/noto-sans-jp") {
		t.Errorf("without fonts, the log says:\n%s", strings.Join(got, "\n"))
	}

	for _, tc := range []struct {
		where string
		link  string
		env   []string
	}{
		{"beside the binary", filepath.Join(binDir, "node_modules"), env},
		{"in the data folder", filepath.Join(data, "node_modules"), env},
		{"in RENCONTRES_FONT_DIR", "", append(env[:len(env):len(env)], "RENCONTRES_FONT_DIR="+project)},
	} {
		if tc.link != "" {
			if err := os.Symlink(project, tc.link); err != nil {
				t.Fatal(err)
			}
		}
		if got := unavailable(serveLog(t, bin, elsewhere, data, tc.env)); len(got) != 0 {
			t.Errorf("fonts %s: the log says:\n%s", tc.where, strings.Join(got, "\n"))
		}
		if tc.link != "" {
			os.Remove(tc.link)
		}
	}
}
