package rencontres

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The web and API layers map them to HTTP
// statuses in one place; the domain only says what went wrong.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EINTERNAL  = "internal"
	EFORBIDDEN = "forbidden"
	// EUNAUTHORIZED: the request must be signed in, or its credentials
	// are wrong.
	EUNAUTHORIZED = "unauthorized"
	// ETOOMANY: too many attempts; try again later.
	ETOOMANY = "too_many_requests"
	// EREUSED: a request repeats an earlier one's idempotency key with
	// other content.
	EREUSED = "idempotency_key_reused"
)

// Error is a domain error: a stable code, a message key for translation and
// the arguments the message needs. Field, when set, names the input at fault.
type Error struct {
	Code    string
	Key     string // message key in the i18n catalogues
	Field   string
	Args    map[string]any
	Message string // English fallback, for logs and clients without a catalogue
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and an English message.
func Errorf(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is, or wraps, an *Error, and
// EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// NotFound is the error returned when a looked-up object does not exist.
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Key: "error.not_found", Message: what + " not found", Args: map[string]any{"What": what}}
}
