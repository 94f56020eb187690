package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

var pdf = append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0, 1, 2, 0xff, '\n'}, 300)...)

func invitation() *Message {
	return &Message{
		To:          []Address{{Name: "山田 太郎 様", Email: "taro.yamada@example.org"}},
		Subject:     "「第8回日仏自治体交流会議」ご案内",
		Text:        "Madame, Monsieur,\n\nNous avons le plaisir de vous inviter… « Objet : 8e Rencontres »\n拝啓\n",
		HTML:        "<p>Madame, Monsieur,</p>",
		Attachments: []Attachment{{Filename: "Bulletin de participation.pdf", ContentType: "application/pdf", Data: pdf}},
		Headers:     map[string]string{"X-Rencontres-Kind": "invitation"},
	}
}

func checkInvitation(t *testing.T, r *Received) {
	t.Helper()
	if r.Subject != "「第8回日仏自治体交流会議」ご案内" {
		t.Errorf("subject = %q", r.Subject)
	}
	if len(r.To) != 1 || r.To[0].Name != "山田 太郎 様" || r.To[0].Email != "taro.yamada@example.org" {
		t.Errorf("to = %+v", r.To)
	}
	if !strings.Contains(r.Text, "« Objet : 8e Rencontres »") || !strings.Contains(r.Text, "拝啓") {
		t.Errorf("text = %q", r.Text)
	}
	if !strings.Contains(r.HTML, "<p>Madame, Monsieur,</p>") {
		t.Errorf("html = %q", r.HTML)
	}
	if len(r.Attachments) != 1 || r.Attachments[0].Filename != "Bulletin de participation.pdf" || !bytes.Equal(r.Attachments[0].Data, pdf) {
		t.Errorf("attachments = %d, first %q, same bytes %v", len(r.Attachments), r.Attachments[0].Filename, bytes.Equal(r.Attachments[0].Data, pdf))
	}
	if r.Header.Get("X-Rencontres-Kind") != "invitation" || r.From.Email != DefaultFrom.Email {
		t.Errorf("headers: kind %q from %q", r.Header.Get("X-Rencontres-Kind"), r.From.Email)
	}
}

func TestOutbox(t *testing.T) {
	dir := t.TempDir() + "/outbox"
	o, err := NewOutbox(dir, DefaultFrom)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first := invitation()
	if err := o.Send(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := &Message{To: []Address{{Email: "second@example.org"}}, Subject: "2", Text: "two"}
	if err := o.Send(ctx, second); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*Message{{Subject: "no one"}, {To: []Address{{Email: "not an address"}}}, {To: []Address{{Email: "a@localhost"}}}} {
		if err := o.Send(ctx, bad); err == nil {
			t.Errorf("%+v was sent", bad.To)
		}
	}
	msgs, err := ReadOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[1].To[0].Email != "second@example.org" {
		t.Fatalf("outbox holds %d messages, in order %v", len(msgs), msgs)
	}
	checkInvitation(t, msgs[0])
	info, _ := os.Stat(msgs[0].File)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("outbox file mode %v, want 0600", info.Mode().Perm())
	}
}

// smtpServer is a real SMTP server for the test, requiring AUTH PLAIN.
type smtpServer struct {
	mu       sync.Mutex
	from     string
	rcpt     []string
	data     []byte
	rcptFail *smtp.SMTPError
	// refuse is refused at RCPT (550); sessions and delivered count the
	// connections and the messages taken.
	refuse              string
	sessions, delivered int
}

func (s *smtpServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.sessions++
	s.mu.Unlock()
	return &session{s: s}, nil
}

type session struct {
	s    *smtpServer
	auth bool
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "rencontres" || password != "secret" {
			return errors.New("bad credentials")
		}
		ss.auth = true
		return nil
	}), nil
}
func (ss *session) Mail(from string, opts *smtp.MailOptions) error {
	if !ss.auth {
		return smtp.ErrAuthRequired
	}
	ss.s.mu.Lock()
	ss.s.from = from
	ss.s.mu.Unlock()
	return nil
}
func (ss *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if ss.s.rcptFail != nil {
		return ss.s.rcptFail
	}
	if to == ss.s.refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	ss.s.mu.Lock()
	ss.s.rcpt = append(ss.s.rcpt, to)
	ss.s.mu.Unlock()
	return nil
}
func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	ss.s.mu.Lock()
	ss.s.data = b
	ss.s.delivered++
	ss.s.mu.Unlock()
	return err
}
func (ss *session) Reset()        {}
func (ss *session) Logout() error { return nil }

func startSMTP(t *testing.T, backend *smtpServer) int {
	t.Helper()
	srv := smtp.NewServer(backend)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func TestSMTPConversation(t *testing.T) {
	backend := &smtpServer{}
	port := startSMTP(t, backend)
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, Username: "rencontres", Password: "secret", TLS: "none", From: DefaultFrom})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), invitation()); err != nil {
		t.Fatal(err)
	}
	backend.mu.Lock()
	defer backend.mu.Unlock()
	if backend.from != DefaultFrom.Email || len(backend.rcpt) != 1 || backend.rcpt[0] != "taro.yamada@example.org" {
		t.Errorf("MAIL FROM %q RCPT TO %v", backend.from, backend.rcpt)
	}
	r, err := Parse(bytes.NewReader(backend.data))
	if err != nil {
		t.Fatal(err)
	}
	checkInvitation(t, r)
}

func TestSMTPRefusals(t *testing.T) {
	for _, tc := range []struct {
		code      int
		permanent bool
	}{{550, true}, {451, false}} {
		backend := &smtpServer{rcptFail: &smtp.SMTPError{Code: tc.code, EnhancedCode: smtp.EnhancedCode{tc.code / 100, 1, 1}, Message: "mailbox unavailable here"}}
		port := startSMTP(t, backend)
		s, _ := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, Username: "rencontres", Password: "secret", TLS: "none", From: DefaultFrom})
		err := s.Send(context.Background(), invitation())
		if err == nil || !strings.Contains(err.Error(), "mailbox unavailable here") {
			t.Errorf("%d: error %v lacks the server's answer", tc.code, err)
		}
		if got := Permanent(err); got != tc.permanent {
			t.Errorf("%d: Permanent = %v, want %v (%v)", tc.code, got, tc.permanent, err)
		}
	}
	// Nobody listening: a temporary failure, within the timeout.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s, _ := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none", From: DefaultFrom, Timeout: 2 * time.Second})
	start := time.Now()
	err := s.Send(context.Background(), invitation())
	if err == nil || Permanent(err) || time.Since(start) > 10*time.Second {
		t.Errorf("unreachable server: %v, permanent %v, after %s", err, Permanent(err), time.Since(start))
	}
}

// The server offers PIPELINING: each message's envelope goes in one
// write. A refused recipient leaves the connection in step, and the
// messages before and after it go over the same connection.
func TestSMTPPipelinedOnOneConnection(t *testing.T) {
	backend := &smtpServer{refuse: "nobody@example.org"}
	port := startSMTP(t, backend)
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, Username: "rencontres", Password: "secret", TLS: "none", From: DefaultFrom, Conns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, to := range []string{"a@example.org", "nobody@example.org", "b@example.org", "c@example.org"} {
		m := invitation()
		m.To = []Address{{Email: to}}
		err := s.Send(context.Background(), m)
		if refused := to == backend.refuse; refused != (err != nil) || refused && !Permanent(err) {
			t.Fatalf("message %d to %s: %v (permanent %v)", i, to, err, Permanent(err))
		}
	}
	backend.mu.Lock()
	defer backend.mu.Unlock()
	if backend.delivered != 3 || backend.sessions != 1 {
		t.Errorf("%d messages taken over %d connections, want 3 over 1", backend.delivered, backend.sessions)
	}
	want := []string{"a@example.org", "b@example.org", "c@example.org"}
	if !slices.Equal(backend.rcpt, want) {
		t.Errorf("recipients %v, want %v", backend.rcpt, want)
	}
	r, err := Parse(bytes.NewReader(backend.data))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Attachments) != 1 {
		t.Errorf("the last message has %d attachments, want 1", len(r.Attachments))
	}
}

func TestConfigFromEnv(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"RENCONTRES_SMTP_PORT", "abc", "RENCONTRES_SMTP_PORT"},
		{"RENCONTRES_SMTP_PORT", "70000", "RENCONTRES_SMTP_PORT"},
		{"RENCONTRES_SMTP_TLS", "maybe", "RENCONTRES_SMTP_TLS"},
		{"RENCONTRES_MAIL_FROM", "noreply", "RENCONTRES_MAIL_FROM"},
	} {
		t.Setenv(tc.name, tc.value)
		if _, err := ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%s: %v", tc.name, tc.value, err)
		}
		os.Unsetenv(tc.name)
	}
	t.Setenv("RENCONTRES_MAIL_FROM", "Rencontres CUF <rencontres@example.org>")
	c, err := ConfigFromEnv()
	if err != nil || c.From.Email != "rencontres@example.org" || c.From.Name != "Rencontres CUF" || c.SMTPHost != "" {
		t.Errorf("config = %+v, %v", c, err)
	}
	if _, where, err := New(c, t.TempDir()); err != nil || !strings.HasPrefix(where, "outbox ") {
		t.Errorf("New without SMTP = %q, %v", where, err)
	}
}
