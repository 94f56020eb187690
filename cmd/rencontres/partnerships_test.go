package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// The command reads the demo's partnerships exported as a Japanese
// workbook back without a change, refuses an edited file with a bad year
// at its cell (status 1), and says how to call it (status 2).
func TestPartnershipsImportCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, "", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	list, err := st.AllPartnerships(ctx)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, format string, lang rencontres.Lang, edit func(string) string) string {
		var buf bytes.Buffer
		if err := export.Partnerships(export.Reader{P: i18n.MustLoad().Printer(lang)}, list).Write(&buf, format); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(edit(buf.String())), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	same := func(s string) string { return s }
	xlsx := write("提携.xlsx", "xlsx", rencontres.Japanese, same)
	bad := write("partenariats.csv", "csv", rencontres.French, func(s string) string {
		return strings.Replace(s, ",1958,", ",l’an 58,", 1)
	})
	line := 0
	for i, p := range list {
		if p.Year == 1958 && line == 0 {
			line = i + 2
		}
	}
	var stdout, stderr bytes.Buffer
	for _, tc := range []struct {
		args        []string
		status      int
		out, errOut string
	}{
		{[]string{"partnerships", "import", xlsx, "--data", data, "--lang", "ja", "--dry-run"}, 0, fmt.Sprintf("変更なし %d件", len(list)), ""},
		{[]string{"partnerships", "import", xlsx, "--data", data}, 0, "0 partnership(s) created, 0 updated", ""},
		{[]string{"partnerships", "import", bad, "--data", data, "--lang", "fr"}, 1,
			fmt.Sprintf("Ligne %d, colonne L («\u00a0Année de signature\u00a0»)\u00a0: «\u00a0l’an 58\u00a0» n’est pas une année.", line),
			"nothing written"},
		{[]string{"partnerships", "export", xlsx}, 2, "", "want 'rencontres partnerships import FILE"},
	} {
		stdout.Reset()
		stderr.Reset()
		status := run(ctx, tc.args, &stdout, &stderr)
		if status != tc.status || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.errOut) {
			t.Errorf("%v: status %d\nstdout %s\nstderr %s", tc.args[2:], status, stdout.String(), stderr.String())
		}
	}
}
