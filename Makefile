# Rencontres: the two commands a fresh machine needs are `make run` (or
# `go run ./cmd/rencontres serve --demo`) and `make test`.
GO ?= go
PG ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable

.PHONY: run build test test-short check refdata import bench letterbench clean

run:
	$(GO) run ./cmd/rencontres serve --demo

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/rencontres ./cmd/rencontres

# Reference data and axe-core come from the npm registry, pinned by
# package-lock.json, never committed. The stamp file makes this a no-op when
# the lock file has not changed.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

refdata: node_modules/.package-lock.json

# Loads the French and Japanese authorities into ./data (or --db).
import: refdata
	$(GO) run ./cmd/rencontres import

# The whole suite: formatting, vet, and every test, among them the crawl of
# every page each role can reach (internal/server/crawl_test.go) and the
# execution of every template against its data (internal/web). Storage and
# server tests also run on PostgreSQL when RENCONTRES_TEST_POSTGRES is set
# (CI sets it); browser tests need Chromium (apt-get install -y chromium)
# and fail instead of skipping when RENCONTRES_E2E_REQUIRED=1. A skip is
# said on the last line, since go test hides a passing package's output.
test: refdata
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	@status=0; $(GO) test -count=1 -timeout 40m ./... || status=$$?; \
	if [ -z "$$RENCONTRES_CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1 && \
		! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then \
		echo; echo "WARNING: browser tests were SKIPPED: Chromium not found (apt-get install -y chromium)"; fi; \
	if [ -z "$$RENCONTRES_TEST_POSTGRES" ]; then \
		echo "NOTE: storage and server tests ran on SQLite only: set RENCONTRES_TEST_POSTGRES to run them on PostgreSQL too"; fi; \
	exit $$status

test-short:
	$(GO) test -short ./...

# test, plus staticcheck (fetched through the Go module proxy on first use).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
check: test
	$(GO) run $(STATICCHECK) -checks 'all,-ST1000,-ST1003,-ST1005,-ST1020,-ST1021,-ST1022' ./...

# Load benchmarks against a running server, on SQLite and PostgreSQL; see
# docs/benchmarks.md.
bench:
	RENCONTRES_BENCH_PG="$(PG)" ./scripts/bench.sh

# The mail merge of 5,000 letters to PDF against LibreOffice headless on
# the same letters (installs libreoffice-writer-nogui if missing); see
# docs/benchmarks.md.
letterbench: refdata
	./scripts/letterbench.sh

clean:
	rm -rf bin data
