package auth

import (
	"fmt"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Password length bounds, in characters. The upper bound keeps a hostile
// request from making the server hash megabytes.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// CheckPasswordRules refuses passwords too short or too long.
func CheckPasswordRules(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.password_short", Field: "password",
			Message: fmt.Sprintf("the password is too short: %d characters at least", MinPasswordLen), Args: map[string]any{"Min": MinPasswordLen}}
	case n > MaxPasswordLen:
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.password_long", Field: "password",
			Message: fmt.Sprintf("the password is too long: %d characters at most", MaxPasswordLen), Args: map[string]any{"Max": MaxPasswordLen}}
	}
	return nil
}

// HashPassword hashes a password with argon2id, a memory-hard function, so
// that a stolen database does not give passwords away cheaply.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	return argon2id.CreateHash(pw, argon2id.DefaultParams)
}

// CheckPassword reports whether pw matches hash. An empty hash matches
// nothing.
func CheckPassword(pw, hash string) bool {
	if hash == "" || utf8.RuneCountInString(pw) > MaxPasswordLen {
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	return err == nil && ok
}

// dummyHash is compared against when an address has no account, so that a
// refusal takes as long whether or not the account exists.
var dummyHash, _ = argon2id.CreateHash("not a password of anyone", argon2id.DefaultParams)

// SpendPasswordTime does the work of one password check for nothing.
func SpendPasswordTime(pw string) { CheckPassword(pw, dummyHash) }
