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
	// EUNAVAILABLE: the server is too busy to do it now; try again in
	// Args["RetryAfter"] seconds.
	EUNAVAILABLE = "unavailable"
)

// Error is a domain error: a stable code, a message key for translation and
// the arguments the message needs. Field, when set, names the input at fault.
type Error struct {
	Code    string
	Key     string // message key in the i18n catalogues
	Field   string
	Args    map[string]any
	Message string // English fallback, for logs and clients without a catalogue
	// Fields, when the input has several faults, lists each of them (the
	// error itself being the first): see Join.
	Fields []*Error
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

// Join gathers the faults of one input so that a form can show them all at
// once rather than one per attempt. It returns nil when every err is nil,
// the error itself when there is one, and otherwise the first fault
// carrying every fault in Fields: code that reads one *Error still gets a
// code, a message and a field, and forms and the API list them all. An
// error that is not an *Error (a database failure) wins over the faults of
// the input, which are then beside the point.
func Join(errs ...error) error {
	var all []*Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			return err
		}
		all = append(all, e.All()...)
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	first := *all[0]
	first.Fields = all
	return &first
}

// All returns every fault e carries: its Fields, or e itself.
func (e *Error) All() []*Error {
	if len(e.Fields) > 0 {
		return e.Fields
	}
	return []*Error{e}
}
