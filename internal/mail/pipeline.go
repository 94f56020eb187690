package mail

import (
	"errors"
	"fmt"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// SMTP pipelining (RFC 2920). go-mail waits for the server's answer to
// each command: RSET, MAIL, RCPT, DATA and the message's end, five round
// trips a message, each a write and a read on both sides. When the server
// offers PIPELINING, a message goes in two: the envelope (the RSET that
// ends the previous message's transaction, MAIL, each RCPT and DATA) in
// one write whose answers are then read in order, and the message itself.
// go-mail still opens the connection (TLS, EHLO, AUTH) and builds the
// message; only the commands of a message are written here.

// errRefused marks an envelope the server refused; the connection is
// still in step, and the next message's RSET begins afresh.
var errRefused = errors.New("refused")

// sendPipelined sends msg over cn, whose server offers PIPELINING.
func (s *SMTP) sendPipelined(cn *smtpConn, msg *gomail.Msg) error {
	from, err := msg.GetSender(false)
	if err != nil {
		return err
	}
	rcpts, err := msg.GetRecipients()
	if err != nil {
		return err
	}
	for _, line := range append([]string{from}, rcpts...) {
		if strings.ContainsAny(line, "\r\n") {
			return &textproto.Error{Code: 501, Msg: "an address holds a line break"}
		}
	}
	if err := cn.sc.UpdateDeadline(s.cfg.Timeout); err != nil {
		return err
	}
	params := ""
	if ok, _ := cn.sc.Extension("8BITMIME"); ok {
		params += " BODY=8BITMIME"
	}
	if ok, _ := cn.sc.Extension("SMTPUTF8"); ok {
		params += " SMTPUTF8"
	}
	t := cn.sc.Text
	w := t.Writer.W
	if cn.sent {
		w.WriteString("RSET\r\n")
	}
	fmt.Fprintf(w, "MAIL FROM:%s%s\r\n", from, params)
	for _, to := range rcpts {
		fmt.Fprintf(w, "RCPT TO:%s\r\n", to)
	}
	w.WriteString("DATA\r\n")
	if err := w.Flush(); err != nil {
		return err
	}
	// Every answer is read, refused or not, to stay in step with the
	// server; the first refusal is the message's.
	var refusal error
	expect := func(code int) error {
		_, _, err := t.ReadResponse(code)
		var te *textproto.Error
		if errors.As(err, &te) {
			if refusal == nil {
				refusal = te
			}
			return nil
		}
		return err
	}
	if cn.sent {
		if err := expect(250); err != nil {
			return err
		}
	}
	cn.sent = true
	if err := expect(250); err != nil {
		return err
	}
	for range rcpts {
		if err := expect(25); err != nil {
			return err
		}
	}
	_, _, err = t.ReadResponse(354)
	var te *textproto.Error
	switch {
	case errors.As(err, &te) && refusal == nil:
		return fmt.Errorf("%w: %w", errRefused, te)
	case errors.As(err, &te): // DATA refused after a refused MAIL or RCPT
		return fmt.Errorf("%w: %w", errRefused, refusal)
	case err != nil:
		return err
	case refusal != nil:
		// The server took DATA though it refused a recipient: an empty
		// message ends it (RFC 2920, 3.1), and the message is not sent.
		if _, err := w.WriteString(".\r\n"); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if _, _, err := t.ReadResponse(250); err != nil && !errors.As(err, &te) {
			return err
		}
		return fmt.Errorf("%w: %w", errRefused, refusal)
	}
	dw := t.DotWriter()
	if _, err := msg.WriteTo(dw); err != nil {
		return err
	}
	if err := dw.Close(); err != nil {
		return err
	}
	if _, _, err := t.ReadResponse(250); err != nil {
		if errors.As(err, &te) {
			return fmt.Errorf("%w: %w", errRefused, te)
		}
		return err
	}
	return nil
}

// pipelines reports whether the server of sc offers pipelining.
func pipelines(sc *smtp.Client) bool {
	ok, _ := sc.Extension("PIPELINING")
	return ok
}
