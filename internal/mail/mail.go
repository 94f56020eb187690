// Package mail is the one component that sends email: sign-in links now,
// confirmations, invitations and reminders later. Without SMTP settings it
// writes each message as an .eml file in the data folder's outbox, so that
// the product works on a machine with no mail server; with them it sends
// through SMTP. Both produce the same bytes.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"unicode"

	gomail "github.com/wneessen/go-mail"
)

// Address is a mailbox: a display name, which may be Japanese, and an
// address.
type Address struct{ Name, Email string }

// mailbox is the address as net/mail writes it: a display name of any
// characters (quotes, commas, angle brackets, Japanese) quoted or encoded
// as RFC 5322 and RFC 2047 require, so that no name can make a message
// unsendable. Names are never pasted between quotes by hand: go-mail's
// *Format functions do that, and a name holding a quote then fails to
// parse, for every message to that person. Control characters, which a
// header cannot hold, become spaces.
func (a Address) mailbox() *mail.Address {
	name := strings.Join(strings.FieldsFunc(a.Name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	return &mail.Address{Name: name, Address: a.Email}
}

// Attachment is a file sent with a message.
type Attachment struct {
	Filename, ContentType string
	Data                  []byte
}

// Message is an email in UTF-8. Subject and names may be in any script;
// they are encoded on the wire.
type Message struct {
	From        Address // zero: the sender's default
	To          []Address
	ReplyTo     *Address
	Subject     string
	Text        string // text/plain body
	HTML        string // optional text/html alternative
	Attachments []Attachment
	// ID, when set, becomes the left part of the Message-ID, so that a
	// retried send is recognisable; otherwise one is generated.
	ID      string
	Headers map[string]string
}

// Sender sends messages.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// build checks a message and renders it as RFC 5322 bytes.
func build(m *Message, defaultFrom Address) ([]byte, *gomail.Msg, error) {
	if len(m.To) == 0 {
		return nil, nil, fmt.Errorf("mail: the message has no recipient")
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from := m.From
	if from.Email == "" {
		from = defaultFrom
	}
	if _, err := ParseAddress(from.Email); err != nil {
		return nil, nil, fmt.Errorf("mail: sender: %w", err)
	}
	msg.FromMailAddress(from.mailbox())
	var to []*mail.Address
	for _, a := range m.To {
		if _, err := ParseAddress(a.Email); err != nil {
			return nil, nil, fmt.Errorf("mail: recipient: %w", err)
		}
		to = append(to, a.mailbox())
	}
	msg.ToMailAddress(to...)
	if m.ReplyTo != nil {
		if _, err := ParseAddress(m.ReplyTo.Email); err != nil {
			return nil, nil, fmt.Errorf("mail: reply-to: %w", err)
		}
		msg.ReplyToMailAddress(m.ReplyTo.mailbox())
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	id := m.ID
	if id == "" {
		b := make([]byte, 12)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	domain := from.Email[strings.LastIndexByte(from.Email, '@')+1:]
	msg.SetMessageIDWithValue(id + "@" + domain)
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		a.Filename = SafeFilename(a.Filename)
		opts := []gomail.FileOption{withFilename(a.Filename)}
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Data), opts...); err != nil {
			return nil, nil, fmt.Errorf("mail: attachment %q: %w", a.Filename, err)
		}
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, nil, fmt.Errorf("mail: render: %w", err)
	}
	return buf.Bytes(), msg, nil
}
