package refdata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// errMissing is the error of a required field that is absent or null.
var errMissing = errors.New("missing")

// jsonFile is a reference-data file read whole: the files are at most a
// few tens of megabytes, and holding the bytes lets an error be placed on
// its line after the fact instead of tracking positions while decoding.
type jsonFile struct {
	path string // inside the node_modules folder, with slashes
	data []byte
}

// readFile reads the file at rel, a slash-separated path inside dir.
func readFile(dir, rel string) (*jsonFile, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("reference data: %w", err)
	}
	return &jsonFile{path: rel, data: data}, nil
}

// errorAt returns a FileError for the byte offset off.
func (f *jsonFile) errorAt(off int64, field string, err error) error {
	off = min(max(off, 0), int64(len(f.data)))
	return &FileError{Path: f.path, Line: bytes.Count(f.data[:off], []byte("\n")) + 1, Offset: off, Field: field, Err: err}
}

// entries checks that the file is JSON holding an array of objects and
// calls fn with each object in turn, stopping at the first error.
func (f *jsonFile) entries(fn func(o *object) error) error {
	// The offsets of json.Decoder's syntax errors are relative to its
	// internal buffer, so the syntax is checked first with Unmarshal, whose
	// offsets are exact.
	if !json.Valid(f.data) {
		var syntax *json.SyntaxError
		if err := json.Unmarshal(f.data, new(json.RawMessage)); errors.As(err, &syntax) {
			return f.errorAt(syntax.Offset, "", fmt.Errorf("invalid JSON: %w", err))
		} else if err != nil {
			return f.errorAt(int64(len(f.data)), "", fmt.Errorf("invalid JSON: %w", err))
		}
	}
	dec := json.NewDecoder(bytes.NewReader(f.data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return f.errorAt(valueStart(f.data, 0), "", errors.New("want an array of entries"))
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return f.errorAt(dec.InputOffset(), "", fmt.Errorf("invalid JSON: %w", err))
		}
		// The raw value holds no surrounding space, so it ends where the
		// decoder stands.
		start := dec.InputOffset() - int64(len(raw))
		o := &object{f: f, top: raw, base: start}
		if raw[0] != '{' {
			return f.errorAt(start, "", errors.New("want an object"))
		}
		if err := json.Unmarshal(raw, &o.fields); err != nil {
			return f.errorAt(start, "", err)
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return nil
}

// object is a JSON object inside a reference-data file: a top-level entry
// or an object nested in one, such as a municipality inside a prefecture.
type object struct {
	f      *jsonFile
	top    json.RawMessage // the top-level entry holding the object
	base   int64           // offset of top in the file
	path   []any           // keys and indexes from top down to the object
	fields map[string]json.RawMessage
}

// fail returns a FileError for the field name of o, on the line of the
// field or, when it is missing, of the object.
func (o *object) fail(name string, err error) error {
	p := append(append([]any(nil), o.path...), name)
	return o.f.errorAt(o.base+locate(o.top, p), name, err)
}

// raw returns the field's value, or nil when it is absent or null.
func (o *object) raw(name string) json.RawMessage {
	v := o.fields[name]
	if len(v) == 0 || string(v) == "null" {
		return nil
	}
	return v
}

// str returns the string field name, "" when absent or null.
func (o *object) str(name string) (string, error) {
	v := o.raw(name)
	if v == nil {
		return "", nil
	}
	var s string
	if v[0] != '"' || json.Unmarshal(v, &s) != nil {
		return "", o.fail(name, errors.New("want a string"))
	}
	return strings.TrimSpace(s), nil
}

// required returns the string field name, which must be present and not
// empty.
func (o *object) required(name string) (string, error) {
	s, err := o.str(name)
	if err == nil && s == "" {
		err = o.fail(name, errMissing)
	}
	return s, err
}

// count returns the field name as a count of people: a whole, non-negative
// number, 0 when the field is absent or null.
func (o *object) count(name string) (int64, error) {
	v := o.raw(name)
	if v == nil {
		return 0, nil
	}
	var n float64
	if c := v[0]; !(c == '-' || c >= '0' && c <= '9') || json.Unmarshal(v, &n) != nil {
		return 0, o.fail(name, errors.New("want a number"))
	}
	switch {
	case n < 0:
		return 0, o.fail(name, fmt.Errorf("must not be negative, got %s", v))
	case n != float64(int64(n)):
		return 0, o.fail(name, fmt.Errorf("want a whole number, got %s", v))
	}
	return int64(n), nil
}

// objects returns the array of objects in field name, nil when the field is
// absent or null.
func (o *object) objects(name string) ([]*object, error) {
	v := o.raw(name)
	if v == nil {
		return nil, nil
	}
	var items []json.RawMessage
	if v[0] != '[' || json.Unmarshal(v, &items) != nil {
		return nil, o.fail(name, errors.New("want an array"))
	}
	out := make([]*object, len(items))
	for i, item := range items {
		c := &object{f: o.f, top: o.top, base: o.base, path: append(append([]any(nil), o.path...), name, i)}
		if item[0] != '{' || json.Unmarshal(item, &c.fields) != nil {
			return nil, o.f.errorAt(o.base+locate(o.top, c.path), name, fmt.Errorf("entry %d: want an object", i+1))
		}
		out[i] = c
	}
	return out, nil
}

// locate returns the offset in raw, a valid JSON value, of what path leads
// to: the end of the last key, which is on the key's line, or the start of
// the last array element; when a key is missing, the start of the object
// that lacks it. It is only called to report an error, so it walks the
// value again rather than have every decode record positions.
func locate(raw []byte, path []any) int64 {
	dec := json.NewDecoder(bytes.NewReader(raw))
	at := int64(0)
	for i, step := range path {
		tok, err := dec.Token()
		if err != nil {
			return at
		}
		found := false
		switch step := step.(type) {
		case string:
			if tok != json.Delim('{') {
				return at
			}
			for !found && dec.More() {
				key, err := dec.Token()
				if err != nil {
					return at
				}
				if key == step {
					if i == len(path)-1 {
						return dec.InputOffset()
					}
					at, found = valueStart(raw, dec.InputOffset()), true
				} else if dec.Decode(new(json.RawMessage)) != nil {
					return at
				}
			}
		case int:
			if tok != json.Delim('[') {
				return at
			}
			for j := 0; !found && dec.More(); j++ {
				if j == step {
					at, found = valueStart(raw, dec.InputOffset()), true
				} else if dec.Decode(new(json.RawMessage)) != nil {
					return at
				}
			}
		}
		if !found {
			return at
		}
	}
	return at
}

// valueStart returns the offset of the first byte at or after off that is
// not space or a separator: where the next value starts.
func valueStart(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n:,", data[off]) >= 0 {
		off++
	}
	return off
}
