// Package api serves the JSON API under /api/v1, over the same services as
// the site.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/practice"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/reqid"
	"github.com/rencontres/rencontres/internal/twinmap"
	"golang.org/x/text/language"
)

//go:embed openapi.json
var openAPI []byte

// Services are what the API reads.
type Services interface {
	rencontres.OrganisationService
	rencontres.OrganisationWriter
	rencontres.PartnershipService
	rencontres.SeriesService
	rencontres.SeriesWriter
	rencontres.MapService
}

// Lists reads the lists that grow with the network a page at a time, by
// cursor (see internal/cursor), with their total under the filters.
type Lists interface {
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

// Auditor records who changed what.
type Auditor interface {
	Audit(ctx context.Context, e *rencontres.AuditEntry) error
}

// RegistrationReader reads registrations.
type RegistrationReader interface {
	RegistrationForm(ctx context.Context, eventID int64) (*rencontres.RegistrationForm, error)
	Registrations(ctx context.Context, f rencontres.RegistrationFilter) ([]*rencontres.Registration, error)
	Registration(ctx context.Context, eventID, id int64) (*rencontres.Registration, error)
	SeatCounts(ctx context.Context, eventID int64) (*rencontres.SeatCounts, error)
	// RegistrationPage and AttendancePage read a list a page at a time;
	// the export.Source methods read it whole, a chunk at a time.
	RegistrationPage(ctx context.Context, f rencontres.RegistrationFilter, req cursor.Request) ([]*rencontres.Registration, cursor.Head, error)
	AttendancePage(ctx context.Context, eventID, sessionID int64, req cursor.Request) ([]rencontres.Attendee, cursor.Head, error)
	export.Source
}

// Config is what the API is built from.
type Config struct {
	Services      Services
	Events        rencontres.EventStore
	Registrations RegistrationReader
	Registrar     *registration.Service
	Campaigns     *campaign.Service
	Auditor       Auditor
	// Lists reads the lists that grow a page at a time, by cursor.
	Lists     Lists
	Contacts  rencontres.ContactService
	Catalogue *i18n.Catalogue
	Log       *slog.Logger
	// BaseURL is the site's public address, for links in calendars.
	BaseURL string
	// Imports reads and writes contact lists; Uploads keeps their files
	// between a dry run and its confirmation.
	Imports ContactImporter
	Uploads *contactimport.Uploads
	// Partnerships reads the partnerships' export back (kind=partnerships).
	Partnerships PartnershipImporter
	// News reads and writes the news posts and their photos.
	News rencontres.NewsService
	// Statistics counts the participation statistics.
	Statistics rencontres.StatisticsService
	// MapCache keeps the twinning map's data between requests (shared
	// with the site's); nil reads it on every request.
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
	// Participants finds a person's own registrations (me/events).
	Participants rencontres.ParticipantService
	// Practices keeps the calls for good practices and their proposals.
	Practices *practice.Service
}

// API is the JSON API.
type API struct {
	svc                  Services
	mapCache             *twinmap.Cache
	events               rencontres.EventStore
	store                RegistrationReader
	reg                  *registration.Service
	campaigns            *campaign.Service
	auditor              Auditor
	lists                Lists
	contacts             rencontres.ContactService
	cat                  *i18n.Catalogue
	log                  *slog.Logger
	base                 string
	routes               []Route
	imports              ContactImporter
	uploads              *contactimport.Uploads
	partnerships         PartnershipImporter
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

// New returns the API.
func New(cfg Config) *API {
	return &API{mapCache: cfg.MapCache, svc: cfg.Services, events: cfg.Events, store: cfg.Registrations, reg: cfg.Registrar, campaigns: cfg.Campaigns, auditor: cfg.Auditor, lists: cfg.Lists, contacts: cfg.Contacts, cat: cfg.Catalogue, log: cfg.Log,
		base: strings.TrimSuffix(cfg.BaseURL, "/"), imports: cfg.Imports, uploads: cfg.Uploads, partnerships: cfg.Partnerships, news: cfg.News, stats: cfg.Statistics, library: cfg.Library, prac: cfg.Practices, reviews: cfg.Reviews, declarations: cfg.Declarations, cooperation: cfg.Cooperation, meetings: cfg.Meetings, webhooks: cfg.Webhooks, webhooksAllowPrivate: cfg.WebhooksAllowPrivate, participants: cfg.Participants}
}

// Route is one API route and the permission it requires.
type Route struct {
	Method, Pattern string
	Perm            rencontres.Permission
}

// Routes lists every route Register adds, for the permission test.
func (a *API) Routes() []Route { return a.routes }

// Register adds every API route to mux; each names the permission it
// requires.
func (a *API) Register(mux *http.ServeMux) {
	route := func(method, pattern string, perm rencontres.Permission, h handler) {
		a.routes = append(a.routes, Route{method, pattern, perm})
		mux.HandleFunc(method+" "+pattern, a.handle(perm, h))
	}
	mux.HandleFunc("GET /api/v1/openapi.json", a.openapi)
	route("GET", "/api/v1/series", rencontres.ReadPublic, a.listSeries)
	route("GET", "/api/v1/series/{slug}", rencontres.ReadPublic, a.getSeries)
	route("GET", "/api/v1/editions", rencontres.ReadPublic, a.listEditions)
	route("GET", "/api/v1/editions/{series}/{number}", rencontres.ReadPublic, a.getEdition)
	route("GET", "/api/v1/organisations", rencontres.ReadPublic, a.listOrganisations)
	route("GET", "/api/v1/organisations/{key}", rencontres.ReadPublic, a.getOrganisation)
	route("GET", "/api/v1/me", rencontres.UseAccount, a.me)
	a.registerSeries(route)
	a.registerOrganisations(route)
	a.registerEvents(route)
	a.registerRegistrations(route)
	a.registerCampaigns(route)
	a.registerContacts(route)
	a.registerPartnerships(route)
	a.registerImports(route)
	a.registerNews(route)
	a.registerStatistics(route)
	a.registerPractices(route)
	a.registerReviews(route)
	a.registerCalls(route)
	a.registerProposalDocuments(route)
	a.registerDeclarationAdoption(route)
	a.registerDeclarations(route)
	a.registerDeclarationAmendments(route)
	a.registerWebhooks(route)
	a.registerCooperation(route)
	a.registerParticipant(route)
	a.registerMeetings(route)
	mux.HandleFunc("/api/", a.handle(rencontres.ReadPublic, func(w http.ResponseWriter, r *http.Request) (any, error) {
		return nil, rencontres.NotFound("endpoint")
	}))
}

// Me is the body of GET /api/v1/me: who the token or session is.
type Me struct {
	*rencontres.User
	Permissions map[rencontres.Permission]rencontres.Scope `json:"permissions"`
}

func (a *API) me(w http.ResponseWriter, r *http.Request) (any, error) {
	u := auth.ActorFrom(r.Context()).User
	return Me{User: u, Permissions: rencontres.Policy[u.Role]}, nil
}

var (
	errSignInRequired = &rencontres.Error{Code: rencontres.EUNAUTHORIZED, Key: "error.sign_in_required", Message: "sign in, or send an API token, to use this endpoint"}
	errForbidden      = &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "your role does not allow this"}
)

func (a *API) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPI)
}

// handler returns the value to encode, or an error that one place turns
// into a status and a JSON error body.
type handler func(w http.ResponseWriter, r *http.Request) (any, error)

func (a *API) handle(perm rencontres.Permission, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if actor := auth.ActorFrom(r.Context()); !actor.Can(perm, rencontres.Target{}) {
			if actor.User == nil && rencontres.RequiresSignIn(perm) {
				a.WriteError(w, r, errSignInRequired)
			} else {
				a.WriteError(w, r, errForbidden)
			}
			return
		}
		if err := rencontres.RefuseNul(r.URL.Query()); err != nil {
			a.WriteError(w, r, err)
			return
		}
		v, err := h(w, r)
		switch v := v.(type) {
		case nil:
			if err != nil {
				a.WriteError(w, r, err)
			}
			// Otherwise the handler wrote the response itself.
		case withStatus:
			if err != nil {
				a.WriteError(w, r, err)
			} else if v.body == nil {
				w.WriteHeader(v.code)
			} else {
				writeJSON(w, v.code, v.body)
			}
		default:
			if err != nil {
				a.WriteError(w, r, err)
			} else {
				writeJSON(w, http.StatusOK, v)
			}
		}
	}
}

// withStatus is a handler's answer with a status other than 200.
type withStatus struct {
	code int
	body any
}

func created(v any) withStatus { return withStatus{http.StatusCreated, v} }

// saved answers a save: 201 with the object when it was created, 200 when
// it was updated.
func saved(isNew bool, v any) any {
	if isNew {
		return created(v)
	}
	return v
}

var noContent = withStatus{code: http.StatusNoContent}

func writeJSON(w http.ResponseWriter, status int, v any) {
	jsonHeaders(w, status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeRawJSON writes a body already encoded as writeJSON encodes, with
// its length: net/http then sends it whole rather than in chunks (one
// write to the connection fewer).
func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	jsonHeaders(w, status)
	w.Write(body)
}

func jsonHeaders(w http.ResponseWriter, status int) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Any site may read the API; writes need a token, which browsers do
	// not send across sites by themselves.
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a stable code for programs, a message
// in the client's language for people, and the parameter at fault.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Errors lists every field at fault when an input has several, each
	// with its message, so that a client can show them all at once.
	Errors []FieldError `json:"errors,omitempty"`
	// RequestID is the request's id, which its log lines carry.
	RequestID string `json:"request_id,omitempty"`
}

// FieldError is one fault of an input.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// WriteError answers with err as JSON, with the status its code maps to.
func (a *API) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	p := a.cat.Printer(clientLang(r))
	code := rencontres.ErrorCode(err)
	status := httpcode.Of(code)
	body := ErrorDetail{Code: code, RequestID: reqid.From(r.Context())}
	var e *rencontres.Error
	if errors.As(err, &e) && status != http.StatusInternalServerError {
		body.Message, body.Field = p.Error(e), e.Field
		if len(e.Fields) > 0 {
			for _, f := range e.Fields {
				body.Errors = append(body.Errors, FieldError{Field: f.Field, Message: p.Error(f)})
			}
		}
		httpcode.RetryAfter(w.Header(), e)
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rencontres"`)
		}
	} else {
		a.log.ErrorContext(r.Context(), "api", "path", r.URL.Path, "err", err)
		body.Code, body.Message = rencontres.EINTERNAL, p.T("error.internal")
	}
	writeJSON(w, status, ErrorBody{body})
}

var matcher = language.NewMatcher([]language.Tag{language.French, language.Japanese, language.English})

// clientLang is the language of error messages: ?lang= when given, else
// Accept-Language, else English, the usual language of programs.
func clientLang(r *http.Request) rencontres.Lang {
	if l, ok := rencontres.ParseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err == nil && len(tags) > 0 {
		if _, i, conf := matcher.Match(tags...); conf != language.No {
			return rencontres.Langs[i]
		}
	}
	return rencontres.English
}
