package server

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// maxBody bounds request bodies: forms and JSON stay well under it. Only a
// document or photo upload (multipart) may be larger, up to its limit.
const maxBody = 1 << 20

const maxUpload = max(rencontres.MaxDocumentSize, photo.MaxBytes) + 64<<10

// The Content-Security-Policy allows no inline script or style and no
// framing: the site's own CSS and JavaScript files only.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// protect wraps every request: security headers, a body limit, refusal of
// cross-origin state-changing requests, and recovery from panics so that
// one bad request never takes the process down.
func protect(next http.Handler, log *slog.Logger) http.Handler {
	cop := http.NewCrossOriginProtection()
	guarded := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		limit := int64(maxBody)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit = maxUpload
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		guarded.ServeHTTP(w, r)
	})
}
