package mail

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// SMTPConfig says how to reach a mail server.
type SMTPConfig struct {
	Host               string
	Port               int
	Username, Password string
	// TLS is "starttls" (the default), "tls" (implicit, port 465) or
	// "none" (a relay on the same machine).
	TLS     string
	From    Address
	Timeout time.Duration
	// Conns is how many connections are kept open; 0 is DefaultConns.
	Conns int
}

// SMTP sends through a mail server, over a few connections it keeps open
// between messages: a connection carries message after message (go-mail
// says RSET after each), so that a campaign does not pay a TCP and TLS
// handshake, EHLO and AUTH per letter.
type SMTP struct {
	cfg  SMTPConfig
	opts []gomail.Option
	// idle holds the open connections not in use, at most Conns.
	idle chan *smtpConn
}

// smtpConn is an open connection and when it last carried a message.
type smtpConn struct {
	c    *gomail.Client
	sc   *smtp.Client
	used time.Time
	// sent is set once a message has gone over it: the next begins with
	// RSET (pipelined).
	sent bool
}

// send sends msg over cn: pipelined when the server offers it, else as
// go-mail does, waiting for each answer.
func (s *SMTP) send(cn *smtpConn, msg *gomail.Msg) error {
	if pipelines(cn.sc) {
		return s.sendPipelined(cn, msg)
	}
	return cn.c.SendWithSMTPClient(cn.sc, msg)
}

// close closes cn, saying QUIT if it still can.
func (cn *smtpConn) close() { cn.c.CloseWithSMTPClient(cn.sc) }

// DefaultConns is how many connections a sender keeps open unless told
// (--smtp-connections); the outbox sends over as many at once. MaxConns
// bounds the setting: mail servers refuse a sender that opens too many.
const (
	DefaultConns = 8
	MaxConns     = 32
)

// idleFor is how long an unused connection is kept: servers close idle
// ones after a minute or so, and a connection they closed costs a failed
// attempt to find out.
const idleFor = 20 * time.Second

// NewSMTP returns a sender for cfg; it connects at the first Send.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail: no SMTP host")
	}
	if _, err := ParseAddress(cfg.From.Email); err != nil {
		return nil, fmt.Errorf("mail: sender: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 15 * time.Second
	}
	// No NOOP before each message: a connection the server closed is
	// found by the first command, and the message goes on a new one.
	opts := []gomail.Option{gomail.WithTimeout(cfg.Timeout), gomail.WithoutNoop()}
	switch cfg.TLS {
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithPort(587))
	case "tls":
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(465))
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithPort(25))
	default:
		return nil, fmt.Errorf("mail: TLS mode %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.Port != 0 {
		opts = append(opts, gomail.WithPort(cfg.Port))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	if cfg.Conns <= 0 {
		cfg.Conns = DefaultConns
	}
	return &SMTP{cfg: cfg, opts: opts, idle: make(chan *smtpConn, cfg.Conns)}, nil
}

// Send delivers m. An error keeps the server's answer, and Permanent tells
// a refusal (5xx) from a failure worth retrying. A message that fails on a
// connection kept from before (the server may have closed it) is tried
// once more on a new one; one the server accepted is never sent again,
// even when the RSET after it fails.
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	_, msg, err := build(m, s.cfg.From)
	if err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		cn, kept, err := s.conn(ctx)
		if err != nil {
			return fmt.Errorf("mail: %w", err)
		}
		err = s.send(cn, msg)
		switch {
		case err == nil:
			s.put(cn)
			return nil
		case errors.Is(err, errRefused): // still in step: the next message goes on it
			s.put(cn)
			return fmt.Errorf("mail: send to %s: %w", s.cfg.Host, err)
		case msg.IsDelivered():
			cn.close() // accepted; only the RSET after it failed
			return nil
		}
		cn.close()
		if !kept || Permanent(err) || ctx.Err() != nil {
			return fmt.Errorf("mail: send to %s: %w", s.cfg.Host, err)
		}
	}
}

// conn returns an idle connection (kept true) or a new one.
func (s *SMTP) conn(ctx context.Context) (*smtpConn, bool, error) {
	for {
		select {
		case cn := <-s.idle:
			if time.Since(cn.used) < idleFor {
				return cn, true, nil
			}
			cn.close()
			continue
		default:
		}
		c, err := gomail.NewClient(s.cfg.Host, s.opts...)
		if err != nil {
			return nil, false, err
		}
		sc, err := c.DialToSMTPClientWithContext(ctx)
		if err != nil {
			return nil, false, err
		}
		return &smtpConn{c: c, sc: sc}, false, nil
	}
}

// put keeps a connection for the next message, or closes it when enough
// are kept.
func (s *SMTP) put(cn *smtpConn) {
	cn.used = time.Now()
	select {
	case s.idle <- cn:
	default:
		cn.close()
	}
}

// Close closes the connections kept open.
func (s *SMTP) Close() error {
	for {
		select {
		case cn := <-s.idle:
			cn.close()
		default:
			return nil
		}
	}
}

// Permanent reports whether a send error is a refusal that retrying will
// not change (an SMTP 5xx answer); network failures and 4xx answers are
// temporary.
func Permanent(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return !se.IsTemp()
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500
	}
	return false
}
