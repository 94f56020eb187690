package reqid

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestMiddlewareKeepsASafeIDAndMakesOneOtherwise(t *testing.T) {
	var seen string
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = From(r.Context()) }))
	for _, c := range []struct {
		given string
		kept  bool
	}{
		{"abc-123_X.y", true},
		{"", false},
		{"has space", false},
		{"<script>", false},
		{string(bytes.Repeat([]byte("a"), 65)), false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if c.given != "" {
			r.Header.Set(Header, c.given)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got := w.Header().Get(Header); got != seen || seen == "" {
			t.Errorf("given %q: header %q, context %q", c.given, got, seen)
		}
		if (seen == c.given) != c.kept {
			t.Errorf("given %q: id %q, kept %v", c.given, seen, c.kept)
		}
		if !c.kept && len(seen) != 16 {
			t.Errorf("given %q: made %q, want 16 hex digits", c.given, seen)
		}
	}
}

func TestHandlerAddsTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewJSONHandler(&buf, nil))).With("part", "web")
	log.ErrorContext(With(t.Context(), "r-42"), "page", "err", "boom")
	log.Info("no request")
	dec := json.NewDecoder(&buf)
	var first, second map[string]any
	if err := dec.Decode(&first); err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(&second); err != nil {
		t.Fatal(err)
	}
	if first["request_id"] != "r-42" || first["part"] != "web" {
		t.Errorf("line about a request: %v", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("line outside a request: %v", second)
	}
}
