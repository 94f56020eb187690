package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
)

// hostileNames are display names that a hand-quoted header cannot carry:
// quotes, a comma or semicolon (which split an address list), angle
// brackets, a backslash, non-ASCII letters, Japanese, a line break.
var hostileNames = []struct{ name, want string }{
	{`Jean "JJ" Dupont`, `Jean "JJ" Dupont`},
	{"Dupont, Jean", "Dupont, Jean"},
	{"Dupont; Jean", "Dupont; Jean"},
	{"<Jean> Dupont", "<Jean> Dupont"},
	{`Jean \ Dupont`, `Jean \ Dupont`},
	{"Nadia BENSAÏD", "Nadia BENSAÏD"},
	{"森 健二", "森 健二"},
	{"「森」健二, 静岡市国際交流課長（代理）", "「森」健二, 静岡市国際交流課長（代理）"},
	{"Jean\r\nBcc: victim@example.org", "Jean Bcc: victim@example.org"},
	{"", ""},
}

// Every name reaches its address through a real SMTP server, and the
// message read back with net/mail gives the same name and address: the
// header is quoted or encoded, never broken.
func TestAnyDisplayNameThroughSMTP(t *testing.T) {
	sink, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	from := mail.Address{Name: `Cités Unies France, "CUF"`, Email: "rencontres@example.org"}
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: sink.Port, TLS: "none", From: from, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range hostileNames {
		m := &mail.Message{To: []mail.Address{{Name: tc.name, Email: "person@example.org"}}, ReplyTo: &mail.Address{Name: tc.name, Email: "reply@example.org"},
			Subject: "Lien de connexion", Text: "Bonjour"}
		if err := s.Send(context.Background(), m); err != nil {
			t.Errorf("%q: %v", tc.name, err)
			continue
		}
		got := sink.Received()
		if len(got) != i+1 {
			t.Fatalf("%q: the server holds %d messages, want %d", tc.name, len(got), i+1)
		}
		r := got[i]
		if len(r.To) != 1 || r.To[0].Name != tc.want || r.To[0].Email != "person@example.org" {
			t.Errorf("%q: To read back as %+v", tc.name, r.To)
		}
		if r.From.Name != from.Name || r.From.Email != from.Email {
			t.Errorf("%q: From read back as %+v", tc.name, r.From)
		}
		reply, err := r.Header.AddressList("Reply-To")
		if err != nil || len(reply) != 1 || reply[0].Name != tc.want || reply[0].Address != "reply@example.org" {
			t.Errorf("%q: Reply-To read back as %v, %v", tc.name, reply, err)
		}
		if r.Header.Get("Bcc") != "" {
			t.Errorf("%q: a header was injected", tc.name)
		}
		for _, line := range strings.Split(r.Header.Get("To"), "\n") {
			for _, c := range line {
				if c > 127 {
					t.Errorf("%q: To header has raw non-ASCII %q", tc.name, r.Header.Get("To"))
					break
				}
			}
		}
	}
}

// The .eml outbox writes the same headers.
func TestAnyDisplayNameInOutbox(t *testing.T) {
	dir := t.TempDir()
	o, err := mail.NewOutbox(dir, mail.DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range hostileNames {
		if err := o.Send(context.Background(), &mail.Message{To: []mail.Address{{Name: tc.name, Email: "person@example.org"}}, Subject: "x", Text: "y"}); err != nil {
			t.Errorf("%q: %v", tc.name, err)
		}
	}
	got, err := mail.ReadOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, r := range got {
		if len(r.To) == 1 && r.To[0].Email == "person@example.org" {
			names[r.To[0].Name] = true
		}
	}
	for _, tc := range hostileNames {
		if !names[tc.want] {
			t.Errorf("%q not read back from the outbox (got %v)", tc.want, names)
		}
	}
}
