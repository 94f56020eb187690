package contactimport

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Uploads keeps the files sent for import between the preview and the
// confirmation, on the server, under a random token: the file never goes
// back and forth through the page. A file is removed once imported or
// cancelled, and any file older than TTL by Sweep, which the server's
// hourly purge runs and every new upload too.
type Uploads struct {
	Dir string
	TTL time.Duration
}

// Upload is a file kept for import.
type Upload struct {
	Token string `json:"-"`
	Name  string `json:"name"`
	Owner int64  `json:"owner"`
	// Kind is what the file holds: "contacts" or "partnerships".
	Kind    string    `json:"kind,omitempty"`
	Created time.Time `json:"created"`
	Data    []byte    `json:"-"`
}

// DefaultTTL is how long an uploaded file waits for its confirmation.
const DefaultTTL = 24 * time.Hour

var errExpired = &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "import.expired", Message: "this import is no longer available"}

func (u *Uploads) ttl() time.Duration {
	if u.TTL > 0 {
		return u.TTL
	}
	return DefaultTTL
}

// Save keeps data, a file of kind (contacts or partnerships), and returns
// its token.
func (u *Uploads) Save(name string, owner int64, kind string, data []byte) (*Upload, error) {
	if err := os.MkdirAll(u.Dir, 0o700); err != nil {
		return nil, err
	}
	u.Sweep(time.Now())
	b := make([]byte, 16)
	rand.Read(b)
	up := &Upload{Token: hex.EncodeToString(b), Name: filepath.Base(name), Owner: owner, Kind: kind, Created: time.Now().UTC(), Data: data}
	meta, _ := json.Marshal(up)
	if err := os.WriteFile(u.path(up.Token, ".data"), data, 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(u.path(up.Token, ".json"), meta, 0o600); err != nil {
		return nil, err
	}
	return up, nil
}

// Load returns the file of a token, if its owner asks within the TTL.
func (u *Uploads) Load(token string, owner int64) (*Upload, error) {
	if len(token) != 32 || strings.Trim(token, "0123456789abcdef") != "" {
		return nil, errExpired
	}
	meta, err := os.ReadFile(u.path(token, ".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errExpired
	} else if err != nil {
		return nil, err
	}
	up := &Upload{Token: token}
	if err := json.Unmarshal(meta, up); err != nil {
		return nil, err
	}
	if up.Owner != owner || time.Since(up.Created) > u.ttl() {
		return nil, errExpired
	}
	if up.Data, err = os.ReadFile(u.path(token, ".data")); err != nil {
		return nil, errExpired
	}
	return up, nil
}

// Remove forgets a file.
func (u *Uploads) Remove(token string) {
	os.Remove(u.path(token, ".data"))
	os.Remove(u.path(token, ".json"))
}

func (u *Uploads) path(token, ext string) string { return filepath.Join(u.Dir, token+ext) }

// Sweep removes the files that have waited longer than the TTL at now,
// and returns how many uploads it removed.
func (u *Uploads) Sweep(now time.Time) int {
	entries, err := os.ReadDir(u.Dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() && now.Sub(info.ModTime()) > u.ttl() {
			if os.Remove(filepath.Join(u.Dir, e.Name())) == nil && strings.HasSuffix(e.Name(), ".json") {
				n++
			}
		}
	}
	return n
}
