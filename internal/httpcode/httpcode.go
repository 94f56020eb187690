// Package httpcode maps the domain's error codes to HTTP statuses: one
// table for the site and the API alike.
package httpcode

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// TooLarge is the code of a request body over the server's limit: an HTTP
// matter, so it is defined here rather than in the domain.
const TooLarge = "too_large"

var statuses = map[string]int{
	rencontres.EINVALID:      http.StatusBadRequest,
	rencontres.EUNAUTHORIZED: http.StatusUnauthorized,
	rencontres.EFORBIDDEN:    http.StatusForbidden,
	rencontres.ENOTFOUND:     http.StatusNotFound,
	rencontres.ECONFLICT:     http.StatusConflict,
	rencontres.ETOOMANY:      http.StatusTooManyRequests,
	TooLarge:                 http.StatusRequestEntityTooLarge,
	rencontres.EREUSED:       http.StatusUnprocessableEntity,
	rencontres.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// RetryAfter sets the Retry-After header of an answer to err when it is
// an unavailable error saying how long to wait.
func RetryAfter(h http.Header, err error) {
	var e *rencontres.Error
	if errors.As(err, &e) && e.Code == rencontres.EUNAVAILABLE {
		if s, ok := e.Args["RetryAfter"].(int); ok && s > 0 {
			h.Set("Retry-After", strconv.Itoa(s))
		}
	}
}

// Of returns the status of an error code; 500 for internal and unknown
// codes.
func Of(code string) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Attachment is a response that names itself a file of a type only when
// its first byte is written: a document made whole before it is written
// (a PDF) goes straight to the client rather than through one more
// buffer, and an error met before then is still answered as an error.
type Attachment struct {
	W           http.ResponseWriter
	Type, Name  string
	wroteHeader bool
}

// Write sets the headers on the first call, then writes p.
func (a *Attachment) Write(p []byte) (int, error) {
	if !a.wroteHeader {
		a.wroteHeader = true
		h := a.W.Header()
		h.Set("Content-Type", a.Type)
		h.Set("Content-Disposition", `attachment; filename="`+a.Name+`"`)
	}
	return a.W.Write(p)
}
