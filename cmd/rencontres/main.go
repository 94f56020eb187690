// Command rencontres runs the Rencontres platform: `rencontres serve` starts
// the web server, `rencontres migrate` updates the database schema,
// `rencontres import` loads the reference data of French and Japanese local
// authorities. See `rencontres help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/server"
	"github.com/rencontres/rencontres/internal/store"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the VCS revision recorded by the Go toolchain is shown.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Rencontres: the platform of the Franco-Japanese decentralised-cooperation meetings.

Usage:
  rencontres serve   [--addr 127.0.0.1:8080] [--data DIR] [--db URL] [--demo]
  rencontres migrate [--data DIR] [--db URL]
  rencontres backup  --to FILE [--data DIR] [--db URL]
  rencontres restore FILE [--data DIR] [--db URL]
  rencontres copy    --from URL --to URL
  rencontres import  [--data DIR] [--db URL] [--from node_modules]
  rencontres contacts import FILE [--dry-run] [--sheet NAME] [--encoding ENC] [--choose LINE=KEY] [--lang fr|ja|en] [--data DIR] [--db URL]
  rencontres partnerships import FILE [--dry-run] [--sheet NAME] [--encoding ENC] [--lang fr|ja|en] [--data DIR] [--db URL]
  rencontres admin create --email ADDRESS [--name NAME] [--lang fr|ja|en] [--password-stdin] [--base-url URL]
  rencontres token create --email ADDRESS [--name NAME]
  rencontres version

Without --db the database is the SQLite file DIR/rencontres.db; --db
sqlite:PATH names another SQLite file, --db postgres://user@host:5432/name
runs on PostgreSQL. The environment variables RENCONTRES_ADDR,
RENCONTRES_DATA, RENCONTRES_DB and RENCONTRES_BASE_URL give defaults to the
flags. --password-stdin reads a password of 12 characters at least.
`

// run executes one command and returns the exit status. Every failure is
// reported as one line on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, rest, stdout, stderr)
	case "migrate":
		err = migrate(ctx, rest, stdout)
	case "import":
		err = importRefdata(ctx, rest, stdout)
	case "backup":
		err = backup(ctx, rest, stdout)
	case "restore":
		err = restore(ctx, rest, stdout)
	case "copy":
		err = copyDB(ctx, rest, stdout)
	case "contacts":
		err = contacts(ctx, rest, stdout)
	case "partnerships":
		err = partnerships(ctx, rest, stdout)
	case "admin":
		err = admin(ctx, rest, stdout, stderr)
	case "token":
		err = token(ctx, rest, stdout)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "rencontres", versionString())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q (commands: serve, migrate, backup, restore, copy, import, contacts, partnerships, admin, token, version, help)", cmd)}
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "rencontres: %s\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "rencontres %s: %s\n", cmd, oneLine(err))
	return 1
}

// usageError is a mistake in the command line itself.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// dbFlags are the flags every command that opens the database shares.
type dbFlags struct {
	data, db string
}

func (f *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", envOr("RENCONTRES_DATA", "./data"), "data folder: SQLite database, outbox, uploads")
	fs.StringVar(&f.db, "db", os.Getenv("RENCONTRES_DB"), "database URL (postgres://…); empty for SQLite in the data folder")
}

// parse parses flags quietly and turns their errors into one line; -h
// prints the command's flags to stdout.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "Usage of rencontres %s:\n", fs.Name())
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return usageError{fmt.Sprintf("%s: %s (see 'rencontres %s -h')", fs.Name(), err, fs.Name())}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q (see 'rencontres %s -h')", fs.Name(), fs.Arg(0), fs.Name())}
	}
	return nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var f dbFlags
	f.register(fs)
	addr := fs.String("addr", envOr("RENCONTRES_ADDR", "127.0.0.1:8080"), "address to listen on")
	demoData := fs.Bool("demo", false, "load the demo dataset when the database holds no series yet")
	base := fs.String("base-url", os.Getenv("RENCONTRES_BASE_URL"), "public address of the site, for links sent by email (default http://ADDR)")
	secure := fs.Bool("secure-cookies", os.Getenv("RENCONTRES_SECURE_COOKIES") == "1", "mark cookies Secure (behind a TLS proxy)")
	// SMTP settings come from the environment, which flags override; the
	// password only from the environment, never from a command line that
	// other users can read.
	mailCfg, mailErr := mail.ConfigFromEnv()
	fs.StringVar(&mailCfg.SMTPHost, "smtp-host", mailCfg.SMTPHost, "SMTP server; empty writes emails as .eml files to DATA/outbox (RENCONTRES_SMTP_HOST)")
	fs.IntVar(&mailCfg.SMTPPort, "smtp-port", mailCfg.SMTPPort, "SMTP port; 0 is 587, or 465 with --smtp-tls tls (RENCONTRES_SMTP_PORT)")
	fs.StringVar(&mailCfg.SMTPUser, "smtp-user", mailCfg.SMTPUser, "SMTP user; the password is RENCONTRES_SMTP_PASSWORD (RENCONTRES_SMTP_USER)")
	fs.StringVar(&mailCfg.SMTPTLS, "smtp-tls", mailCfg.SMTPTLS, "starttls, tls or none (RENCONTRES_SMTP_TLS)")
	fs.IntVar(&mailCfg.SMTPConns, "smtp-connections", mailCfg.SMTPConns, fmt.Sprintf("SMTP connections kept open and used at once, 1 to %d; 0 is %d (RENCONTRES_SMTP_CONNECTIONS)", mail.MaxConns, mail.DefaultConns))
	from := fs.String("mail-from", "", "sender, such as \"Rencontres <noreply@example.org>\" (RENCONTRES_MAIL_FROM)")
	rateDefault := 20
	if v := os.Getenv("RENCONTRES_MAIL_RATE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return usageError{fmt.Sprintf("RENCONTRES_MAIL_RATE=%q: want a number of emails per second, 0 for no limit", v)}
		}
		rateDefault = n
	}
	lease := fs.Duration("mail-lease", 2*time.Minute, "how long an instance holds an email or a webhook delivery it is sending before another may send it (PostgreSQL)")
	rate := fs.Int("mail-rate", rateDefault, "most emails sent per second by all instances together; 0 is no limit (RENCONTRES_MAIL_RATE)")
	metricsAddr := fs.String("metrics-addr", os.Getenv("RENCONTRES_METRICS_ADDR"), "address of a separate listener serving Prometheus metrics at /metrics, such as 127.0.0.1:9464; empty serves none (RENCONTRES_METRICS_ADDR)")
	allowPrivate := fs.Bool("webhooks-allow-private", os.Getenv("RENCONTRES_WEBHOOKS_ALLOW_PRIVATE") == "1", "let webhooks reach loopback, link-local and private addresses and plain http (a receiver on your own network)")
	logFormat := fs.String("log-format", envOr("RENCONTRES_LOG_FORMAT", "text"), "text or json: the form of the log lines on standard error (RENCONTRES_LOG_FORMAT)")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if mailErr != nil {
		return mailErr
	}
	if err := mailCfg.Override(*from); err != nil {
		return err
	}
	if *rate < 0 {
		return usageError{"serve: -mail-rate must be 0 (no limit) or more"}
	}
	if *lease < time.Second {
		return usageError{"serve: -mail-lease must be a second or more, such as 2m"}
	}
	log, err := newLogger(*logFormat, stderr)
	if err != nil {
		return err
	}
	tuneGC(os.Getenv)
	m, err := server.New(ctx, server.Config{Addr: *addr, DataDir: f.data, DBURL: f.db, Demo: *demoData, Logger: log,
		BaseURL: *base, SecureCookies: *secure, Mail: mailCfg, MailRate: *rate, MailLease: *lease, MetricsAddr: *metricsAddr,
		WebhooksAllowPrivate: *allowPrivate})
	if err != nil {
		return err
	}
	defer m.Close()
	// Said once, at start-up, rather than at the first campaign that
	// cannot attach its letters.
	for _, a := range fonts.Unavailable() {
		log.Warn("PDF unavailable", "feature", a.Name, "why", a.Err.Error())
	}
	log.Info("Rencontres is running", "url", m.URL()+"/", "database", m.Store.Where, "version", versionString())
	if a := m.MetricsAddr(); a != "" {
		log.Info("metrics", "url", "http://"+a+"/metrics")
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var f dbFlags
	f.register(fs)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	st, err := store.Open(ctx, f.db, f.data)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	current, _, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(stdout, "%s: schema up to date at version %d\n", st.Where, current)
	} else {
		fmt.Fprintf(stdout, "%s: applied %d migration(s), schema now at version %d\n", st.Where, len(applied), current)
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if dirty {
				rev += "-dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// newLogger makes the server's logger in the form asked: text lines for a
// person reading a terminal, JSON lines for a log collector. Either way
// the server adds request_id to a line logged about a request.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var h slog.Handler
	switch format {
	case "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, usageError{fmt.Sprintf("serve: --log-format %q: want text or json", format)}
	}
	return slog.New(h), nil
}

// gcPercent is the collector's target for a server whose operator sets
// none (GOGC, GOMEMLIMIT): the heap may grow to five times what is live
// before a collection, where Go's default is twice. A server's live heap
// is about 30 MB, most of it the pages' parsed templates and the
// messages, which every collection marks; a registration allocates about
// 50 KB (most of it pgx encoding the batch's statements), so under a burst
// Go's default collected several times a second, and marking took a third
// of the server's CPU, some of it while the batch held the event's lock
// (docs/benchmarks.md).
const gcPercent = 400

// tuneGC sets gcPercent unless the environment sets the collector.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
