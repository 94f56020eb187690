package mail

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Config chooses the sender: SMTP when SMTPHost is set, the outbox
// otherwise.
type Config struct {
	SMTPHost     string
	SMTPPort     int
	SMTPUser     string
	SMTPPassword string
	SMTPTLS      string
	// SMTPConns is how many connections to the server are kept open and
	// used at once; 0 is DefaultConns.
	SMTPConns int
	From      Address
}

// Connections is how many messages the outbox sends at once: SMTPConns,
// or DefaultConns.
func (c Config) Connections() int {
	if c.SMTPConns > 0 {
		return c.SMTPConns
	}
	return DefaultConns
}

// DefaultFrom is the sender when none is configured.
var DefaultFrom = Address{Name: "Rencontres", Email: "noreply@rencontres.example.org"}

// ConfigFromEnv reads RENCONTRES_SMTP_HOST, _PORT, _USER, _PASSWORD, _TLS
// and RENCONTRES_MAIL_FROM, and says which one is wrong.
func ConfigFromEnv() (Config, error) {
	c := Config{SMTPHost: os.Getenv("RENCONTRES_SMTP_HOST"), SMTPUser: os.Getenv("RENCONTRES_SMTP_USER"),
		SMTPPassword: os.Getenv("RENCONTRES_SMTP_PASSWORD"), SMTPTLS: os.Getenv("RENCONTRES_SMTP_TLS"), From: DefaultFrom}
	if p := os.Getenv("RENCONTRES_SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("RENCONTRES_SMTP_PORT=%q: want a port number from 1 to 65535", p)
		}
		c.SMTPPort = n
	}
	switch c.SMTPTLS {
	case "", "starttls", "tls", "none":
	default:
		return c, fmt.Errorf("RENCONTRES_SMTP_TLS=%q: want starttls, tls or none", c.SMTPTLS)
	}
	if v := os.Getenv("RENCONTRES_SMTP_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxConns {
			return c, fmt.Errorf("RENCONTRES_SMTP_CONNECTIONS=%q: want a number from 1 to %d", v, MaxConns)
		}
		c.SMTPConns = n
	}
	if f := os.Getenv("RENCONTRES_MAIL_FROM"); f != "" {
		a, err := ParseAddress(f)
		if err != nil {
			return c, fmt.Errorf("RENCONTRES_MAIL_FROM=%q: want an address such as \"Rencontres <noreply@example.org>\"", f)
		}
		c.From = a
	}
	return c, nil
}

// Override applies settings given by flags over those of the environment:
// a sender address when from is not empty, then checks the whole.
func (c *Config) Override(from string) error {
	if from != "" {
		a, err := ParseAddress(from)
		if err != nil {
			return fmt.Errorf("-mail-from %q: want an address such as \"Rencontres <noreply@example.org>\"", from)
		}
		c.From = a
	}
	if c.SMTPConns < 0 || c.SMTPConns > MaxConns {
		return fmt.Errorf("-smtp-connections %d: want a number from 1 to %d", c.SMTPConns, MaxConns)
	}
	if c.SMTPPort < 0 || c.SMTPPort > 65535 {
		return fmt.Errorf("-smtp-port %d: want a port number from 1 to 65535", c.SMTPPort)
	}
	switch c.SMTPTLS {
	case "", "starttls", "tls", "none":
	default:
		return fmt.Errorf("-smtp-tls %q: want starttls, tls or none", c.SMTPTLS)
	}
	return nil
}

// New returns the configured sender and a description of it for the log.
func New(cfg Config, dataDir string) (Sender, string, error) {
	if cfg.From.Email == "" {
		cfg.From = DefaultFrom
	}
	if cfg.SMTPHost == "" {
		dir := filepath.Join(dataDir, "outbox")
		o, err := NewOutbox(dir, cfg.From)
		return o, "outbox " + dir, err
	}
	s, err := NewSMTP(SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUser, Password: cfg.SMTPPassword,
		TLS: cfg.SMTPTLS, From: cfg.From, Conns: cfg.SMTPConns})
	if err != nil {
		return nil, "", err
	}
	return s, fmt.Sprintf("SMTP %s:%d as %s", cfg.SMTPHost, cfg.SMTPPort, cfg.From.Email), nil
}
