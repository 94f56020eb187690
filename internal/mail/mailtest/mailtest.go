// Package mailtest is a real SMTP server for tests and benchmarks (go-smtp):
// it keeps every message it accepts, can refuse chosen recipients with a
// given answer, and can hold a message in the middle of its DATA, so that a
// test can kill the sender at that moment.
package mailtest

import (
	"bytes"
	"io"
	"net"
	"strings"
	"sync"

	"github.com/emersion/go-smtp"

	"github.com/rencontres/rencontres/internal/mail"
)

// Server is a running SMTP server on 127.0.0.1.
type Server struct {
	Addr string
	Port int

	srv *smtp.Server
	mu  sync.Mutex
	got []*mail.Received
	// refuse maps a recipient to the answer it gets.
	refuse map[string]*smtp.SMTPError
	// hold, when set, is called with each message's recipient when the
	// sender names it (RCPT TO), before any of the message is sent; it may
	// block.
	hold func(to string)
	// notify receives a value after each accepted message.
	notify chan struct{}
}

// Start starts a server; Close stops it.
func Start() (*Server, error) {
	s := &Server{refuse: map[string]*smtp.SMTPError{}, notify: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 32 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.Addr = ln.Addr().String()
	s.Port = ln.Addr().(*net.TCPAddr).Port
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Refuse makes the server answer code (550: permanent, 451: temporary)
// with message to every message for to; code 0 accepts them again.
func (s *Server) Refuse(to string, code int, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.refuse, strings.ToLower(to))
		return
	}
	s.refuse[strings.ToLower(to)] = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1}, Message: message}
}

// Hold sets a function called with each message's recipient at RCPT TO,
// before the sender sends the message; nil removes it. A test that kills
// the sender while it blocks knows the message was not delivered: once the
// message's last line is sent, a server may deliver it even if the sender
// dies before hearing so, and SMTP cannot tell the sender which happened.
func (s *Server) Hold(f func(to string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = f
}

// Received returns the messages accepted so far, in order.
func (s *Server) Received() []*mail.Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Received(nil), s.got...)
}

// Accepted is signalled after each accepted message.
func (s *Server) Accepted() <-chan struct{} { return s.notify }

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s  *Server
	to []string
}

// Plain sessions: no AUTH offered, as a relay on the same machine.
func (ss *session) Mail(from string, opts *smtp.MailOptions) error { return nil }

func (ss *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	refusal, hold := ss.s.refuse[strings.ToLower(to)], ss.s.hold
	ss.s.mu.Unlock()
	if hold != nil {
		hold(to)
	}
	if refusal != nil {
		return refusal
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err // the sender went away mid-message: nothing accepted
	}
	m, err := mail.Parse(bytes.NewReader(b))
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unreadable message: " + err.Error()}
	}
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, m)
	ss.s.mu.Unlock()
	select {
	case ss.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset()        { ss.to = nil }
func (ss *session) Logout() error { return nil }
