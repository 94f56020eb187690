// Package server assembles Rencontres: it opens the database, loads the demo
// data when asked, and serves the site, the API and the health check. The
// command and the end-to-end tests start it the same way.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/meetingmail"
	"github.com/rencontres/rencontres/internal/metrics"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/partnershipimport"
	"github.com/rencontres/rencontres/internal/practice"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/reqid"
	"github.com/rencontres/rencontres/internal/sheet"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/twinmap"
	"github.com/rencontres/rencontres/internal/web"
	"github.com/rencontres/rencontres/internal/webhook"
)

// Config is everything the server needs to start.
type Config struct {
	Addr    string // host:port; port 0 picks a free one
	DataDir string
	DBURL   string // empty: SQLite in DataDir
	Demo    bool
	Logger  *slog.Logger
	// BaseURL is the site's public address, for links sent by email;
	// empty means http://Addr.
	BaseURL string
	// SecureCookies marks cookies Secure behind a TLS-terminating proxy.
	SecureCookies bool
	// Mail configures sending; the zero value writes .eml files to
	// DataDir/outbox.
	Mail mail.Config
	// MailRate is the most emails all instances send in a second; 0 is
	// no limit.
	MailRate int
	// MailLease is how long a claim on a message lasts; zero is the
	// outbox's default.
	MailLease time.Duration
	// MetricsAddr, when set, is the address of a listener of its own that
	// serves the Prometheus metrics at /metrics.
	MetricsAddr string
	// WebhooksAllowPrivate lets webhooks reach addresses on loopback,
	// link-local and private networks, and plain http: a receiver on the
	// operator's own network.
	WebhooksAllowPrivate bool
}

// Main is a running server.
type Main struct {
	cfg   Config
	Store *store.Store
	// Outbox sends the emails the server queues.
	Outbox *outbox.Worker
	// Campaigns queues the campaigns' reminders as they come due.
	Campaigns *campaign.Service
	// Webhooks sends the webhooks' deliveries.
	Webhooks *webhook.Worker
	// uploads keeps the files sent for import; the purge sweeps it.
	uploads *contactimport.Uploads
	ln      net.Listener
	srv     *http.Server
	// metricsLn and metricsSrv serve the metrics, when asked.
	metricsLn  net.Listener
	metricsSrv *http.Server
}

// New opens and migrates the database, loads the demo data if asked, and
// listens on the configured address. Serve starts answering.
func New(ctx context.Context, cfg Config) (*Main, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	// A line logged with a request's context carries its id.
	cfg.Logger = slog.New(reqid.Handler(cfg.Logger.Handler()))
	// Listen first: an address that is taken or not ours is refused
	// before anything is written, so that a mistyped --addr leaves no
	// database created behind it.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	st, err := store.Open(ctx, cfg.DBURL, cfg.DataDir)
	if err != nil {
		ln.Close()
		return nil, err
	}
	fonts.SetDataDir(cfg.DataDir)
	m := &Main{cfg: cfg, Store: st, ln: ln}
	if _, err := st.Migrate(ctx); err != nil {
		ln.Close()
		st.Close()
		return nil, err
	}
	if cfg.Demo {
		loaded, err := demo.Load(ctx, st)
		if err != nil {
			ln.Close()
			st.Close()
			return nil, fmt.Errorf("demo data: %w", err)
		}
		if loaded {
			cfg.Logger.Info("demo data loaded")
		}
	}
	sender, where, err := mail.New(cfg.Mail, cfg.DataDir)
	if err != nil {
		ln.Close()
		st.Close()
		return nil, fmt.Errorf("mail: %w", err)
	}
	base := cfg.BaseURL
	if base == "" {
		base = "http://" + m.ln.Addr().String()
	}
	m.Webhooks = webhook.New(st, cfg.Logger, cfg.WebhooksAllowPrivate)
	if cfg.MailLease > 0 {
		m.Webhooks.Lease = cfg.MailLease // the same claim, on another kind of message
	}
	m.Outbox = outbox.New(st, sender, cfg.Logger)
	m.Outbox.Rate = cfg.MailRate
	m.Outbox.Parallel = cfg.Mail.Connections()
	if cfg.MailLease > 0 {
		m.Outbox.Lease = cfg.MailLease
	}
	var met *metrics.Metrics
	if cfg.MetricsAddr != "" {
		if met, err = m.listenMetrics(cfg.MetricsAddr); err != nil {
			m.ln.Close()
			st.Close()
			return nil, err
		}
	}
	p, err := build(st, Options{Log: cfg.Logger, Outbox: m.Outbox, BaseURL: base, SecureCookies: cfg.SecureCookies, MailFrom: cfg.Mail.From,
		ImportDir: filepath.Join(cfg.DataDir, "imports"), Metrics: met, WebhooksAllowPrivate: cfg.WebhooksAllowPrivate})
	if err != nil {
		m.ln.Close()
		m.closeMetrics()
		st.Close()
		return nil, err
	}
	m.Campaigns, m.uploads = p.campaigns, p.uploads
	cfg.Logger.Info("mail", "via", where)
	m.srv = &http.Server{
		Handler:           p.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	return m, nil
}

// Addr is the address the server listens on.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// URL is the server's base URL.
func (m *Main) URL() string { return "http://" + m.Addr() }

// Run serves until ctx is cancelled, then shuts down gracefully: requests in
// flight get up to ten seconds to finish.
func (m *Main) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- m.srv.Serve(m.ln) }()
	if m.metricsSrv != nil {
		go m.metricsSrv.Serve(m.metricsLn)
		defer m.metricsSrv.Close()
	}
	go m.purge(ctx)
	go m.Outbox.Run(ctx)
	go m.Campaigns.Run(ctx)
	go m.Webhooks.Run(ctx)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := m.srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// purgeEvery is how often the retention rules are enforced. Every instance
// runs the purge; the deletes are idempotent, so several at once do no harm.
const purgeEvery = time.Hour

// purge enforces the retention rules until ctx ends.
func (m *Main) purge(ctx context.Context) {
	t := time.NewTicker(purgeEvery)
	defer t.Stop()
	for {
		m.purgeOnce(ctx, time.Now())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// purgeOnce enforces the retention rules at now: the expired rows, and
// the files sent for import that waited for their confirmation longer
// than a day.
func (m *Main) purgeOnce(ctx context.Context, now time.Time) {
	if n, err := m.Store.PurgeExpired(ctx, now, auth.IdleTimeout); err != nil {
		if ctx.Err() == nil {
			m.cfg.Logger.Error("purge", "err", err)
		}
	} else if n > 0 {
		m.cfg.Logger.Info("purged expired data", "rows", n)
	}
	if n := m.uploads.Sweep(now); n > 0 {
		m.cfg.Logger.Info("removed import files past their time", "files", n)
	}
}

// Close releases the database.
func (m *Main) Close() error {
	m.closeMetrics()
	return m.Store.Close()
}

// cacheTTL is how long a public response is served from memory.
const cacheTTL = 2 * time.Second

// Options are what Handler needs beyond the store.
type Options struct {
	Log *slog.Logger
	// MapCache keeps the twinning map's data between renders; nil makes
	// one (benchmarks pass theirs, to drop it between renders).
	MapCache *twinmap.Cache
	// Outbox is where the handlers' emails go; nil makes one that nobody
	// runs, for tests that send none.
	Outbox *outbox.Worker
	// MailFrom is the instance's sender, to which an event's sender name
	// is given; zero is mail.DefaultFrom.
	MailFrom      mail.Address
	BaseURL       string
	SecureCookies bool
	// ImportDir keeps the contact lists sent for import between their
	// preview and their confirmation; empty, a folder of the system's
	// temporary one.
	ImportDir string
	// Metrics, when set, counts the requests by route and status and the
	// page cache's hits (serve --metrics-addr).
	Metrics *metrics.Metrics
	// WebhooksAllowPrivate lets endpoints be on private networks.
	WebhooksAllowPrivate bool
}

// Handler returns the whole HTTP handler over st: site, API, health check,
// wrapped in the protections every request gets. Requests are resolved to
// their actor (session cookie or API token) before any route runs.
func Handler(st *store.Store, o Options) (http.Handler, error) {
	p, err := build(st, o)
	if err != nil {
		return nil, err
	}
	return p.handler, nil
}

// parts are what build assembles: the handler, and the site, the API and
// the services that tests and Main reach into.
type parts struct {
	handler   http.Handler
	site      *web.Site
	api       *api.API
	campaigns *campaign.Service
	uploads   *contactimport.Uploads
}

// build is Handler, also returning its parts.
func build(st *store.Store, o Options) (*parts, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	authn := &auth.Authenticator{Store: st, SecureCookies: o.SecureCookies}
	if o.Outbox == nil {
		o.Outbox = outbox.New(st, nil, o.Log)
	}
	reg := registration.New(st, o.Outbox, cat, o.Log, o.BaseURL)
	if o.Metrics != nil {
		for _, c := range reg.Collectors() {
			o.Metrics.Register(c)
		}
	}
	camp := campaign.New(st, o.Outbox, cat, o.Log, o.BaseURL)
	prac := practice.New(st, o.Outbox, cat, o.Log, o.BaseURL)
	declaration.HandleMail(o.Outbox, st, cat, o.BaseURL, o.MailFrom)
	meetingmail.Handle(o.Outbox, st, cat, o.BaseURL, o.MailFrom)
	if o.MailFrom.Email != "" {
		camp.From = o.MailFrom
		reg.From = o.MailFrom
		prac.From = o.MailFrom
	}
	uploads := &contactimport.Uploads{Dir: o.ImportDir}
	if uploads.Dir == "" {
		uploads.Dir = filepath.Join(os.TempDir(), "rencontres-imports")
	}
	// The partnerships' import, bound to the store, for the page and the
	// API alike.
	importPartnerships := func(ctx context.Context, data []byte, opt sheet.Options, dryRun bool) (*partnershipimport.Preview, error) {
		return partnershipimport.Import(ctx, st, cat, data, opt, dryRun)
	}
	mapCache := o.MapCache
	if mapCache == nil {
		mapCache = twinmap.NewCache()
	}
	site, err := web.New(web.Config{MapCache: mapCache, Services: st, Accounts: st, Lists: st, Contacts: st, Events: st, Registrations: st, Registrar: reg, Campaigns: camp, CheckIn: st, Auth: authn, Mail: o.Outbox.Sender(),
		Catalogue: cat, Log: o.Log, BaseURL: o.BaseURL, Imports: st, Uploads: uploads, Partnerships: importPartnerships, News: st, Statistics: st,
		Practices: prac, Library: st, Reviews: st, Declarations: st, Cooperation: st, Meetings: st, Webhooks: st, WebhooksAllowPrivate: o.WebhooksAllowPrivate, Participants: st})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	site.Register(mux)
	a := api.New(api.Config{MapCache: mapCache, Services: st, Events: st, Registrations: st, Registrar: reg, Campaigns: camp, Auditor: st, Lists: st, Contacts: st, Catalogue: cat, Log: o.Log, BaseURL: o.BaseURL,
		Imports: st, Uploads: uploads, News: st, Partnerships: importPartnerships, Statistics: st, Practices: prac, Library: st, Reviews: st, Declarations: st, Cooperation: st, Meetings: st, Webhooks: st, WebhooksAllowPrivate: o.WebhooksAllowPrivate, Participants: st})
	a.Register(mux)
	mux.HandleFunc("GET /healthz", health(st))
	var routed http.Handler = mux
	if o.Metrics != nil {
		routed = metrics.Route(mux)
	}
	h := authn.Middleware(a.WriteError, routed)
	cache := newMicroCache(cacheTTL)
	cache.metrics = o.Metrics
	handler := reqid.Middleware(protect(cache.wrap(h), o.Log))
	if o.Metrics != nil {
		handler = o.Metrics.Instrument(handler)
	}
	return &parts{handler: handler, site: site, api: a, campaigns: camp, uploads: uploads}, nil
}

func health(st *store.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := st.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "database unavailable")
			return
		}
		fmt.Fprintln(w, "ok")
	}
}
