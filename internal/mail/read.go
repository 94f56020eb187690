package mail

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Received is a message read back: headers decoded, bodies in UTF-8.
type Received struct {
	From        Address
	To          []Address
	Subject     string
	Text, HTML  string
	Attachments []Attachment
	Header      mail.Header
	File        string // the outbox file, when read from one
}

// ReadOutbox reads every message of an outbox folder, oldest first.
func ReadOutbox(dir string) ([]*Received, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*Received
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			return nil, err
		}
		r, err := Parse(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(n), err)
		}
		r.File = n
		out = append(out, r)
	}
	return out, nil
}

var words = &mime.WordDecoder{}

// Parse reads one RFC 5322 message.
func Parse(r io.Reader) (*Received, error) {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return nil, err
	}
	rec := &Received{Header: msg.Header}
	if rec.Subject, err = words.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	if from, err := msg.Header.AddressList("From"); err == nil && len(from) > 0 {
		rec.From = Address{from[0].Name, from[0].Address}
	}
	to, err := msg.Header.AddressList("To")
	if err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	for _, a := range to {
		rec.To = append(rec.To, Address{a.Name, a.Address})
	}
	return rec, rec.part(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body)
}

// part reads a body part, descending into multiparts.
func (rec *Received) part(ctype, encoding, disposition string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		mediaType, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := rec.part(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p); err != nil {
				return err
			}
		}
	}
	var data []byte
	switch strings.ToLower(encoding) {
	case "base64":
		data, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
	case "quoted-printable":
		data, err = io.ReadAll(quotedprintable.NewReader(body))
	default:
		data, err = io.ReadAll(body)
	}
	if err != nil {
		return err
	}
	disp, dparams, _ := mime.ParseMediaType(disposition)
	if disp == "attachment" || disp == "inline" && dparams["filename"] != "" {
		name, _ := words.DecodeHeader(dparams["filename"])
		if name == "" {
			name = params["name"]
		}
		rec.Attachments = append(rec.Attachments, Attachment{Filename: name, ContentType: mediaType, Data: data})
		return nil
	}
	switch mediaType {
	case "text/html":
		rec.HTML += string(data)
	default:
		rec.Text += string(data)
	}
	return nil
}
