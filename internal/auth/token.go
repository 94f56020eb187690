// Package auth signs people in: session cookies, single-use sign-in links,
// personal API tokens and staff passwords. Secrets are random, shown once,
// and stored only as hashes.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// secretLen is the length of an encoded 32-byte secret.
const secretLen = 43

// APITokenPrefix starts every personal API token, so that a leaked token
// is recognisable by secret scanners and by people.
const APITokenPrefix = "rct_"

// newSecret returns 32 random bytes, base64url-encoded without padding.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash returns the hex SHA-256 of a secret: what the database keeps. A
// fast hash suffices because the secrets are 256-bit random, not chosen by
// people.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewSessionToken returns a new session token and its hash.
func NewSessionToken() (token, hash string) {
	t := newSecret()
	return t, Hash(t)
}

// NewLinkToken returns a new sign-in link token and its hash.
func NewLinkToken() (token, hash string) { return NewSessionToken() }

// NewAPIToken returns a new API token, its hash, and the prefix shown to
// its owner to tell tokens apart.
func NewAPIToken() (token, hash, prefix string) {
	t := APITokenPrefix + newSecret()
	return t, Hash(t), t[:len(APITokenPrefix)+6]
}

// ErrMalformed is returned by the parsers for input that cannot be a
// token; such input never reaches the database.
var ErrMalformed = errors.New("malformed token")

// ParseSecret checks that s has the shape of a session or link token.
func ParseSecret(s string) (string, error) {
	if len(s) != secretLen {
		return "", ErrMalformed
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return "", ErrMalformed
		}
	}
	return s, nil
}

// ParseBearer reads an Authorization header of the form
// "Bearer rct_…" and returns the token. An empty header returns "" and no
// error: the request is simply anonymous.
func ParseBearer(header string) (string, error) {
	if header == "" {
		return "", nil
	}
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", ErrMalformed
	}
	tok = strings.TrimSpace(tok)
	rest, ok := strings.CutPrefix(tok, APITokenPrefix)
	if !ok {
		return "", ErrMalformed
	}
	if _, err := ParseSecret(rest); err != nil {
		return "", err
	}
	return tok, nil
}
