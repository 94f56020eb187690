package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

// The command reads a Japanese Excel's Shift_JIS CSV, prints the preview,
// refuses a file with faults and writes nothing, writes a clean one, and
// finds nothing to do the second time.
func TestContactsImportCommand(t *testing.T) {
	data := t.TempDir()
	good := filepath.Join("..", "..", "internal", "refdata", "testdata", "good")
	var stdout, stderr bytes.Buffer
	if status := run(context.Background(), []string{"import", "--data", data, "--from", good}, &stdout, &stderr); status != 0 {
		t.Fatalf("reference import: %s", stderr.String())
	}
	write := func(name, text string) string {
		b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bad := write("bad.csv", "自治体名,氏名,メール\r\n熊本市,熊本 花子,hanako@example.org\r\n熊本,熊本 太郎,taro@example.org\r\n人吉市,人吉 次郎,pas-une-adresse\r\n")
	good2 := write("good.csv", "自治体名,氏名,メール\r\n熊本市,熊本 花子,hanako@example.org\r\n熊本,熊本 太郎,taro@example.org\r\n")
	for _, tc := range []struct {
		args        []string
		status      int
		out, errOut string
	}{
		{[]string{"contacts", "import", bad, "--data", data, "--lang", "fr"}, 1,
			"Ligne 4, colonne C («\u00a0メール\u00a0»)\u00a0: «\u00a0pas-une-adresse\u00a0» n’est pas une adresse électronique.", "nothing written"},
		{[]string{"contacts", "import", good2, "--data", data, "--dry-run"}, 1, "Line 3: several authorities have this name: choose the right one. jp-430005", "nothing written"},
		{[]string{"contacts", "import", good2, "--data", data, "--choose", "3=jp-430005", "--dry-run"}, 0, "Shift_JIS", ""},
		{[]string{"contacts", "import", "--data", data, "--choose", "3=jp-430005", good2}, 0, "2 contact(s) created, 0 updated", ""},
		{[]string{"contacts", "import", good2, "--data", data, "--choose", "3=jp-430005"}, 0, "Unchanged 2", ""},
		{[]string{"contacts", "import", good2, "--data", data, "--choose", "three"}, 2, "", "want LINE=KEY"},
		{[]string{"contacts", "import", filepath.Join(data, "rencontres.db"), "--data", data}, 1, "", "neither a CSV nor"},
	} {
		stdout.Reset()
		stderr.Reset()
		status := run(context.Background(), tc.args, &stdout, &stderr)
		if status != tc.status || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.errOut) {
			t.Errorf("%v: status %d\nstdout %s\nstderr %s", tc.args[2:], status, stdout.String(), stderr.String())
		}
	}
}
