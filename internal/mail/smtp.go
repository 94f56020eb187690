package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
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
}

// SMTP sends through a mail server.
type SMTP struct {
	cfg  SMTPConfig
	opts []gomail.Option
}

// NewSMTP returns a sender for cfg; it connects at each Send.
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
	opts := []gomail.Option{gomail.WithTimeout(cfg.Timeout)}
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
	return &SMTP{cfg: cfg, opts: opts}, nil
}

// Send delivers m. An error keeps the server's answer, and Permanent tells
// a refusal (5xx) from a failure worth retrying.
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	_, msg, err := build(m, s.cfg.From)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s: %w", s.cfg.Host, err)
	}
	return nil
}

// Permanent reports whether a send error is a refusal that retrying will
// not change (an SMTP 5xx answer); network failures and 4xx answers are
// temporary.
func Permanent(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return !se.IsTemp()
	}
	return false
}
