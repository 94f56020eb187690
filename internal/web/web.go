// Package web serves the public site: server-rendered HTML in French,
// Japanese and English that works without JavaScript.
package web

import (
	"context"
	"embed"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/practice"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/twinmap"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Services are what the site reads.
type Services interface {
	rencontres.OrganisationService
	rencontres.OrganisationWriter
	rencontres.PartnershipService
	rencontres.SeriesService
	rencontres.SeriesWriter
	rencontres.MapService
	Ping(ctx context.Context) error
}

// CheckIn finds badges and marks their holders present.
type CheckIn interface {
	RegistrationByCode(ctx context.Context, eventID int64, code string) (*rencontres.Registration, error)
	CheckIn(ctx context.Context, eventID int64, code string, now time.Time) (*rencontres.Registration, error)
}

// Config is what the site is built from.
type Config struct {
	Services Services
	Accounts rencontres.AccountService
	Contacts rencontres.ContactService
	Events   rencontres.EventStore
	// Registrations reads registrations; Registrar writes them.
	Registrations api.RegistrationReader
	Registrar     *registration.Service
	Campaigns     *campaign.Service
	CheckIn       CheckIn
	Auth          *auth.Authenticator
	Mail          mail.Sender
	Catalogue     *i18n.Catalogue
	Log           *slog.Logger
	// BaseURL is the public address of the site, used in the links sent by
	// email; never taken from a request's Host header, which anyone can set.
	BaseURL string
	// Imports reads and writes contact lists; Uploads keeps their files
	// between the preview and the confirmation.
	Imports ContactImporter
	Uploads *contactimport.Uploads
	// Partnerships reads a list of partnerships and writes it unless
	// told to only preview it.
	Partnerships api.PartnershipImporter
	// News reads and writes the news posts and their photos.
	News rencontres.NewsService
	// Statistics counts the participation statistics.
	Statistics rencontres.StatisticsService
	// MapCache keeps the twinning map's data between renders (shared with
	// the API's); nil reads it on every render.
	MapCache *twinmap.Cache
	// Library reads the public library of good practices.
	Library rencontres.LibraryService
	// Reviews is the review of the calls' proposals and their decisions.
	Reviews rencontres.ReviewService
	// Declarations is the final declaration of each edition: drafted,
	// amended, adopted, published.
	Declarations rencontres.DeclarationService
	// Cooperation keeps the authorities' cooperation profiles and
	// suggests partners; Meetings the one-to-one meetings at editions.
	Cooperation rencontres.CooperationService
	Meetings    rencontres.MeetingService
	// Webhooks keeps the endpoints that hear the product's events;
	// WebhooksAllowPrivate lets them be on private networks.
	Webhooks             rencontres.WebhookService
	WebhooksAllowPrivate bool
	// Participants finds a person's registrations and keeps their
	// personal feeds' addresses (their own page of an event).
	Participants rencontres.ParticipantService
	// Practices keeps the calls for good practices and their proposals.
	Practices *practice.Service
	// Lists reads the lists that grow a page at a time (keyset cursors),
	// and streams their exports.
	Lists Lists
}

// Lists reads the lists that grow with the network a page at a time, by
// cursor (see internal/cursor), with their total under the filters, and
// streams them whole for their exports.
type Lists interface {
	AuditPage(ctx context.Context, f rencontres.AuditFilter, r cursor.Request) ([]*rencontres.AuditEntry, cursor.Head, error)
	EachAudit(ctx context.Context, f rencontres.AuditFilter, fn func(*rencontres.AuditEntry) error) error
	OrganisationsPage(ctx context.Context, f rencontres.OrgFilter, r cursor.Request) ([]*rencontres.Organisation, cursor.Head, error)
	PartnershipPage(ctx context.Context, f rencontres.PartnershipFilter, r cursor.Request) ([]*rencontres.Partnership, cursor.Head, error)
	PartnershipFacets(ctx context.Context, f rencontres.PartnershipFilter) (rencontres.PartnershipFacets, error)
	EachPartnership(ctx context.Context, f rencontres.PartnershipFilter, fn func([]*rencontres.Partnership) error) error
	LastAgreementUpload(ctx context.Context, f rencontres.PartnershipFilter) (time.Time, error)
	CampaignRecipientPage(ctx context.Context, campaignID int64, state rencontres.RecipientState, r cursor.Request) ([]*rencontres.Recipient, cursor.Head, error)
	CampaignRecipientCounts(ctx context.Context, campaignID int64, state rencontres.RecipientState) (rencontres.CampaignCounts, error)
	EachCampaignRecipient(ctx context.Context, campaignID int64, state rencontres.RecipientState, fn func([]*rencontres.Recipient) error) error
	CampaignRecipientsLatest(ctx context.Context, campaignID int64, state rencontres.RecipientState) (time.Time, error)
}

// Site is the HTML front end.
type Site struct {
	svc                  Services
	mapCache             *twinmap.Cache
	accounts             rencontres.AccountService
	lists                Lists
	contacts             rencontres.ContactService
	events               rencontres.EventStore
	regs                 api.RegistrationReader
	reg                  *registration.Service
	camp                 *campaign.Service
	checker              CheckIn
	auth                 *auth.Authenticator
	mail                 mail.Sender
	cat                  *i18n.Catalogue
	log                  *slog.Logger
	baseURL              string
	pages                map[string]*template.Template
	routes               []Route
	menu                 menuCache
	imports              ContactImporter
	uploads              *contactimport.Uploads
	partnershipImports   api.PartnershipImporter
	news                 rencontres.NewsService
	stats                rencontres.StatisticsService
	library              rencontres.LibraryService
	reviews              rencontres.ReviewService
	declarations         rencontres.DeclarationService
	cooperation          rencontres.CooperationService
	meetings             rencontres.MeetingService
	webhooks             rencontres.WebhookService
	webhooksAllowPrivate bool
	prac                 *practice.Service
	participants         rencontres.ParticipantService
}

// New parses the templates and returns the site.
func New(cfg Config) (*Site, error) {
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	return &Site{mapCache: cfg.MapCache, svc: cfg.Services, accounts: cfg.Accounts, lists: cfg.Lists, contacts: cfg.Contacts, events: cfg.Events, regs: cfg.Registrations, reg: cfg.Registrar, camp: cfg.Campaigns, checker: cfg.CheckIn, auth: cfg.Auth, mail: cfg.Mail, cat: cfg.Catalogue,
		log: cfg.Log, baseURL: strings.TrimSuffix(cfg.BaseURL, "/"), pages: pages, imports: cfg.Imports, uploads: cfg.Uploads,
		partnershipImports: cfg.Partnerships, news: cfg.News, stats: cfg.Statistics, library: cfg.Library, prac: cfg.Practices, reviews: cfg.Reviews, declarations: cfg.Declarations, cooperation: cfg.Cooperation, meetings: cfg.Meetings, webhooks: cfg.Webhooks, webhooksAllowPrivate: cfg.WebhooksAllowPrivate, participants: cfg.Participants}, nil
}

func (s *Site) now() time.Time { return time.Now() }

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
		if base == "layout" || base == "partials" || strings.HasSuffix(base, "_partials") {
			continue
		}
		files := []string{"templates/layout.html", "templates/partials.html", n}
		// The final declaration's pages share declaration_partials.html.
		if strings.HasPrefix(base, "declaration_") {
			files = append(files, "templates/declaration_partials.html")
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, files...)
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
	"kb":    func(n int64) int64 { return (n + 1023) / 1024 },
	"list":  func(v ...string) []string { return v },
	"deref": func(f *float64) float64 { return *f },
	"field": func(p *Page, name, label, typ, value, err string) Field {
		return Field{P: p, Name: name, Label: label, Type: typ, Value: value, Error: err}
	},
	"ints":  func(v []int) string { return joinInts(v, ", ") },
	"group": func(name string, list []Choice) ChoiceGroup { return ChoiceGroup{Name: name, Choices: list} },
	"entry": func(p *Page, name, label, value, err string, rows int, lang rencontres.Lang, hint string) Entry {
		return Entry{P: p, Name: name, Label: label, Value: value, Error: err, Rows: rows, Lang: lang, Hint: hint}
	},
}

// Field is a labelled form input with its error message, if any.
type Field struct {
	P                               *Page
	Name, Label, Type, Value, Error string
}

// Entry is a labelled text input, or a text area when Rows is set, with
// an optional hint (a message key) and its error; Lang marks what is
// typed in another language than the page's.
type Entry struct {
	P                               *Page
	Name, Label, Value, Error, Hint string
	Rows                            int
	Lang                            rencontres.Lang
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

// letterStylesheet serves the letters' own stylesheet, which the campaign
// editor's preview uses: the letter package owns the look of its HTML.
func letterStylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	io.WriteString(w, letter.Stylesheet)
}
