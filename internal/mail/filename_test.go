package mail_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/mail"
)

// An attachment named in French or Japanese reaches the reader under that
// name: RFC 2231 in the Content-Disposition, with an ASCII stand-in for old
// readers; characters no file system takes are replaced.
func TestAttachmentNames(t *testing.T) {
	dir := t.TempDir()
	o, err := mail.NewOutbox(dir, mail.Address{Name: "Cités Unies France — Rencontres", Email: "rencontres@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"Lettre d’invitation — Ville de Nancy.pdf", "第1回フランス側拡大運営委員会 会議次第（案）.pdf", "Ordre du jour: v2/final.pdf", "agenda.pdf"}
	m := &mail.Message{To: []mail.Address{{Email: "claire.duval@example.org"}}, Subject: "Invitation", Text: "Bonjour."}
	for _, n := range names {
		m.Attachments = append(m.Attachments, mail.Attachment{Filename: n, ContentType: "application/pdf", Data: []byte("%PDF-1.4 " + n)})
	}
	if err := o.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d files written", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	if !bytes.Contains(raw, []byte(`filename="Lettre d'invitation - Ville de Nancy.pdf"; filename*0*=UTF-8''Lettre%20d%E2%80%99invitation`)) {
		t.Errorf("the French name is not RFC 2231 encoded:\n%s", raw)
	}
	got, err := mail.ReadOutbox(dir)
	if err != nil || len(got) != 1 {
		t.Fatalf("read back: %v", err)
	}
	want := []string{names[0], names[1], "Ordre du jour- v2-final.pdf", "agenda.pdf"}
	for i, a := range got[0].Attachments {
		if a.Filename != want[i] || !strings.HasSuffix(string(a.Data), names[i]) {
			t.Errorf("attachment %d: %q, want %q", i, a.Filename, want[i])
		}
	}
	if len(got[0].Attachments) != len(want) {
		t.Errorf("%d attachments", len(got[0].Attachments))
	}
}
