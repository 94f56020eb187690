// Package web serves the public site: server-rendered HTML in French,
// Japanese and English that works without JavaScript.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Services are what the site reads.
type Services interface {
	rencontres.OrganisationService
	rencontres.SeriesService
	Ping(ctx context.Context) error
}

// Site is the HTML front end.
type Site struct {
	svc   Services
	cat   *i18n.Catalogue
	log   *slog.Logger
	pages map[string]*template.Template
}

// New parses the templates and returns the site.
func New(svc Services, cat *i18n.Catalogue, log *slog.Logger) (*Site, error) {
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	return &Site{svc: svc, cat: cat, log: log, pages: pages}, nil
}

// parseTemplates parses each page together with the layout and partials,
// so that every page is a complete template set of its own.
func parseTemplates() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := n[len("templates/") : len(n)-len(".html")]
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// Pair carries the page along with a value into a partial template.
type Pair struct {
	P *Page
	V any
}

// funcs are the few helpers templates need beyond the Page's methods.
var funcs = template.FuncMap{
	"dict2": func(p *Page, v any) Pair { return Pair{p, v} },
	"add":   func(a, b int) int { return a + b },
	"deref": func(f *float64) float64 { return *f },
}

// staticHandler serves the embedded CSS and JavaScript with a long cache
// lifetime; their URLs change with the binary's version.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fsrv.ServeHTTP(w, r)
	})
}
