package e2e

import (
	"testing"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/server"
)

// freshMailing is fresh with the outbox sending to a real SMTP server of
// the test's own, returned to read what arrives (waitSMTP).
func freshMailing(t *testing.T) *mailtest.Server {
	t.Helper()
	smtp, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { smtp.Close() })
	start(t, server.Config{DataDir: t.TempDir(), Demo: true,
		Mail: mail.Config{SMTPHost: "127.0.0.1", SMTPPort: smtp.Port, SMTPTLS: "none", From: mail.Address{Name: "Rencontres", Email: "rencontres@example.org"}}})
	return smtp
}
