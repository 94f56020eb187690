package web

import (
	"net/http"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Register adds every route of the site to mux. Pages live under a language
// prefix (/fr/, /ja/, /en/); the bare root redirects to the reader's
// language; any other path gets a 404 page in the reader's language.
func (s *Site) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.redirectToLanguage)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	mux.HandleFunc("/", s.notFoundUnknownLang)

	for _, l := range rencontres.Langs {
		p := "/" + string(l)
		mux.HandleFunc("GET "+p+"/{$}", s.page(l, s.home))
		mux.HandleFunc("GET "+p, redirectTo(p+"/"))
		mux.HandleFunc("GET "+p+"/series/{series}", s.page(l, s.archive))
		mux.HandleFunc("GET "+p+"/series/{series}/{number}", s.page(l, s.edition))
		mux.HandleFunc("GET "+p+"/organisations", s.page(l, s.organisations))
		mux.HandleFunc("GET "+p+"/organisations/{key}", s.page(l, s.organisation))
		mux.HandleFunc("GET "+p+"/text-size", s.setTextSize(l))
	}
}

func redirectTo(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, path, http.StatusMovedPermanently)
	}
}
