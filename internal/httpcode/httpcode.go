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
