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
// message. File names sort by the time of writing.
func (o *Outbox) Send(ctx context.Context, m *Message) error {
	raw, _, err := build(m, o.from)
	if err != nil {
		return err
	}
	r := make([]byte, 4)
	rand.Read(r)
	name := time.Now().UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(r) + ".eml"
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
