package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// maxBody is the largest JSON body the API reads.
const maxBody = 256 << 10

var errBodyTooLarge = &rencontres.Error{Code: httpcode.TooLarge, Key: "error.json_too_large", Message: "the request body is larger than 256 KiB",
	Args: map[string]any{"Max": maxBody >> 10}}

// decode reads a JSON body into v, refusing unknown fields and trailing
// data, and says where a body is wrong.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.json_content_type", Message: "send the body as application/json"}
	}
	// Read at most one byte past the limit, so that a body over it is
	// told as such rather than cut into a syntax error.
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	var tooBig *http.MaxBytesError
	if len(b) > maxBody || errors.As(err, &tooBig) {
		return errBodyTooLarge
	}
	if err != nil {
		return err
	}
	if bytes.Contains(b, []byte(`\u0000`)) && holdsNul(b) {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.json_nul", Message: "the body holds a NUL character"}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.json_syntax", Message: err.Error(), Args: map[string]any{"Offset": syn.Offset}}
		case errors.As(err, &typ):
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.json_type", Field: typ.Field, Message: err.Error(), Args: map[string]any{"Type": typ.Type.String()}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.param_unknown", Field: name, Message: err.Error()}
		case errors.Is(err, io.EOF):
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.json_empty", Message: "the body is empty"}
		}
		var re *rencontres.Error
		if errors.As(err, &re) {
			return re
		}
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.json_value", Message: err.Error(), Args: map[string]any{"Detail": err.Error()}}
	}
	if dec.More() {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.json_trailing", Message: "the body has data after its JSON value"}
	}
	return nil
}

// holdsNul reports whether a JSON body holds a NUL character in one of
// its strings, names included, which PostgreSQL's text cannot store. Only
// a body with the escape \u0000 somewhere is read again for it.
func holdsNul(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		t, err := dec.Token()
		if err != nil {
			return false // the decoding proper says what is wrong
		}
		if s, ok := t.(string); ok && strings.ContainsRune(s, 0) {
			return true
		}
	}
}
