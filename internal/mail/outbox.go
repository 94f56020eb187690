package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Outbox writes each message as an .eml file in a folder: the default
// sender, for a machine with no mail server, and a record anyone can open
// in a mail program.
type Outbox struct {
	dir  string
	from Address
}

// NewOutbox returns an Outbox writing into dir, which it creates.
func NewOutbox(dir string, from Address) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail outbox: %w", err)
	}
	return &Outbox{dir: dir, from: from}, nil
}

// Send writes m to a new file, atomically: a reader never sees half a
// message. File names sort by the time of writing. A message with an ID
// (the queue's messages have one, made of their creation time and number)
// is written once: a second Send of it, after a crash between writing the
// file and recording it sent, finds the file and writes nothing.
func (o *Outbox) Send(ctx context.Context, m *Message) error {
	var name string
	if fileSafe(m.ID) {
		name = m.ID + ".eml"
		if _, err := os.Stat(filepath.Join(o.dir, name)); err == nil {
			return nil
		}
	} else {
		r := make([]byte, 4)
		rand.Read(r)
		name = time.Now().UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(r) + ".eml"
	}
	raw, _, err := build(m, o.from)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(o.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("mail outbox: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("mail outbox: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail outbox: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("mail outbox: %w", err)
	}
	return os.Rename(tmp.Name(), filepath.Join(o.dir, name))
}

// fileSafe reports whether an ID can name a file as it is: letters,
// digits, dots and hyphens, not starting with a dot.
func fileSafe(id string) bool {
	if id == "" || id[0] == '.' {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
