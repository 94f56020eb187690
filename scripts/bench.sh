#!/usr/bin/env bash
# Load benchmark of the public archive and the editions API, on SQLite and
# on PostgreSQL, each against a bare net/http server serving a page of the
# same size in the same run. Uses wrk (apt-get install -y wrk). Results go to
# stdout as a Markdown table; docs/benchmarks.md records them.
#
#   RENCONTRES_BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable scripts/bench.sh
#
# Environment: DURATION (default 10s), CONNS (default 64), THREADS (2),
# PORT and BARE (18080, 18081).
#
# SEARCH=1 benchmarks the directory's search instead, on the full reference
# directory (`make refdata` first): `rencontres import` into a fresh
# database, then GET /api/v1/organisations?q=… for each query at 1 and at
# CONNS connections, with an Accept-Language header, which bypasses the
# micro-cache (internal/server/cache.go), beside the bare net/http server
# answering the same bytes in the same run.
#
# PAGES=1 benchmarks the public pages of issue 14 through the public
# micro-cache (no session, no Accept-Language: what a reader's browser
# asks): the statistics of every series, an edition's statistics and the
# twinning map, on the full reference directory (`make refdata` first)
# with the demo data and 5,000 partnerships (scripts/mapload), at 1 and at
# CONNS connections, each beside the bare net/http server answering the
# same page's bytes in the same run.
#
# LIBRARY=1 benchmarks the library of good practices instead: the demo and
# 20,000 fictitious practices (scripts/librarybench, N to change it) in a
# fresh database, then GET /api/v1/practices with a search in each script
# and filters, at 1 and at CONNS connections, with an Accept-Language
# header (cache bypassed), and the page /fr/practices?q=… as the public
# gets it (micro-cache), beside the bare net/http server answering the
# same bytes in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
# PORT and BARE can be moved when another run uses the defaults: a port
# taken would make this run measure the other one's servers.
PORT=${PORT:-18080}
BARE=${BARE:-18081}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

CGO_ENABLED=0 go build -o "$work/rencontres" ./cmd/rencontres
go build -o "$work/barehttp" ./scripts/barehttp
if [ "${PAGES:-}" = 1 ]; then go build -o "$work/mapload" ./scripts/mapload; fi

# free PORT: fails if something already listens there.
free() { if curl -s -o /dev/null "http://127.0.0.1:$1/"; then echo "port $1 is taken: set PORT and BARE" >&2; exit 1; fi; }
free "$PORT"; free "$BARE"
wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$1 did not come up" >&2; exit 1; }

# run_wrk NAME URL [wrk options]: prints "| NAME | req/s | p50 | p99 |"
run_wrk() {
  local out name=$1 url=$2 c0=
  shift 2
  if [ -n "${cpu_pid:-}" ]; then c0=$(cpu_ticks "$cpu_pid"); fi
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers for $url" >&2; fi
  if [ -n "${cpu_pid:-}" ]; then
    # The server's CPU time a request (user and system, from /proc): what
    # the other processes on the machine change least.
    local c1 n
    c1=$(cpu_ticks "$cpu_pid")
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" \
      "$(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz / n * 1e6 }')"
    return
  fi
  printf '| %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

bench_db() { # bench_db LABEL [--db URL]
  local label=$1; shift
  "$work/rencontres" serve --demo --data "$work/data-$label" --addr 127.0.0.1:$PORT "$@" 2>"$work/$label.log" &
  pids+=($!)
  wait_up "http://127.0.0.1:$PORT/healthz"
  local page="http://127.0.0.1:$PORT/fr/series/rencontres-franco-japonaises"
  local api="http://127.0.0.1:$PORT/api/v1/editions"
  "$work/barehttp" -addr 127.0.0.1:$BARE -from "$page" 2>"$work/bare.log" &
  local bare=$!
  pids+=($bare)
  wait_up "http://127.0.0.1:$BARE/"
  echo
  echo "### $label ($(curl -s "$page" | wc -c) bytes archive page, $(curl -s "$api" | wc -c) bytes API answer; wrk -t$THREADS -c$CONNS -d$DURATION)"
  echo
  echo "| target | requests/s | p50 | p99 |"
  echo "|---|---|---|---|"
  run_wrk "bare net/http, same bytes" "http://127.0.0.1:$BARE/"
  run_wrk "archive page /fr/series/rencontres-franco-japonaises" "$page"
  run_wrk "API /api/v1/editions" "$api"
  run_wrk "edition page /ja/series/rencontres-franco-japonaises/7" "http://127.0.0.1:$PORT/ja/series/rencontres-franco-japonaises/7"
  kill "$bare"; kill "${pids[-2]}"; wait "$bare" 2>/dev/null || true; wait "${pids[-2]}" 2>/dev/null || true
}

# bench_search LABEL [--db URL]: the directory search, cache bypassed.
bench_search() {
  local label=$1; shift
  "$work/rencontres" import --data "$work/data-$label" "$@" >/dev/null
  "$work/rencontres" serve --data "$work/data-$label" --addr 127.0.0.1:$PORT "$@" 2>"$work/$label.log" &
  pids+=($!)
  wait_up "http://127.0.0.1:$PORT/healthz"
  local api="http://127.0.0.1:$PORT/api/v1/organisations?limit=8&q="
  "$work/barehttp" -addr 127.0.0.1:$BARE -from "${api}saint" 2>"$work/bare.log" &
  local bare=$!
  pids+=($bare)
  wait_up "http://127.0.0.1:$PORT/healthz"
  wait_up "http://127.0.0.1:$BARE/"
  echo
  echo "### $label: search of the reference directory, cache bypassed ($(curl -s "${api}saint" | wc -c) bytes for saint; wrk -t$THREADS -d$DURATION)"
  echo
  echo "| target | connections | requests/s | p50 | p99 |"
  echo "|---|---|---|---|---|"
  local c q enc
  # Warm up: the first requests at many connections open the database
  # pool's connections (and prepare their statements), which is not the
  # search's cost.
  # Long enough for the library to be read into memory (seconds for
  # 20,000 practices; the searches meanwhile are answered by SQL).
  CONNS=$CONNS DURATION=5s run_wrk warm-up "${api}lyon" -H "Accept-Language: fr" >/dev/null
  for c in 1 "$CONNS"; do
    CONNS=$c THREADS=$((c < THREADS ? c : THREADS)) run_wrk "bare net/http, same bytes as saint" "http://127.0.0.1:$BARE/" | sed "s/^| \([^|]*\) |/| \1 | $c |/"
    for q in 熊本 静岡 くまもと Aix saint ヶ 市 京都 s; do
      enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")
      CONNS=$c THREADS=$((c < THREADS ? c : THREADS)) run_wrk "q=$q" "$api$enc" -H "Accept-Language: fr" | sed "s/^| \([^|]*\) |/| \1 | $c |/"
    done
  done
  kill "$bare"; kill "${pids[-2]}"; wait "$bare" 2>/dev/null || true; wait "${pids[-2]}" 2>/dev/null || true
}

# bench_pages LABEL [--db URL]: the statistics and the map, through the
# public cache.
bench_pages() {
  local label=$1; shift
  local db=()
  if [ $# -gt 0 ]; then db=(-db "$2"); fi
  "$work/rencontres" import --data "$work/data-$label" "$@" >/dev/null
  "$work/mapload" -data "$work/data-$label" "${db[@]}" -n 5000 >&2
  "$work/rencontres" serve --data "$work/data-$label" --addr 127.0.0.1:$PORT "$@" 2>"$work/$label.log" &
  local server=$!
  pids+=($server)
  wait_up "http://127.0.0.1:$PORT/healthz"
  echo
  echo "### $label: public pages through the micro-cache, full directory + demo data + 5,000 partnerships (wrk -t$THREADS -d$DURATION; load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "| target | bytes | connections | requests/s | p50 | p99 |"
  echo "|---|---|---|---|---|---|"
  local path url bytes c bare
  for path in /fr/statistics /ja/series/rencontres-franco-japonaises/7/statistics /fr/map; do
    url="http://127.0.0.1:$PORT$path"
    bytes=$(curl -fs "$url" | wc -c)
    "$work/barehttp" -addr 127.0.0.1:$BARE -from "$url" 2>"$work/bare.log" &
    bare=$!
    pids+=($bare)
    wait_up "http://127.0.0.1:$BARE/"
    for c in 1 "$CONNS"; do
      CONNS=$c THREADS=$((c < THREADS ? c : THREADS)) run_wrk "bare net/http, same bytes as $path" "http://127.0.0.1:$BARE/" | sed "s/^| \([^|]*\) |/| \1 | $bytes | $c |/"
      CONNS=$c THREADS=$((c < THREADS ? c : THREADS)) run_wrk "$path" "$url" | sed "s/^| \([^|]*\) |/| \1 | $bytes | $c |/"
    done
    kill "$bare" 2>/dev/null || true; wait "$bare" 2>/dev/null || true
  done
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
}

# bench_library LABEL [--db URL]: the library's search, cache bypassed.
bench_library() {
  local label=$1; shift
  local gen=(-data "$work/data-$label")
  if [ "${1:-}" = --db ]; then gen=(-db "$2"); fi
  go run ./scripts/librarybench "${gen[@]}" -n "${N:-20000}" 2>&1 | tail -1 >&2
  "$work/rencontres" serve --data "$work/data-$label" --addr 127.0.0.1:$PORT "$@" 2>"$work/$label.log" &
  local server=$!
  pids+=($server)
  wait_up "http://127.0.0.1:$PORT/healthz"
  local api="http://127.0.0.1:$PORT/api/v1/practices?q="
  "$work/barehttp" -addr 127.0.0.1:$BARE -from "${api}kumamoto" 2>"$work/bare.log" &
  local bare=$!
  pids+=($bare)
  wait_up "http://127.0.0.1:$BARE/"
  echo
  echo "### $label: the library, ${N:-20000} practices and the demo's, cache bypassed ($(curl -s "${api}kumamoto" | wc -c) bytes for kumamoto; wrk -t$THREADS -d$DURATION; load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "| target | connections | requests/s | p50 | p99 | server CPU µs a request |"
  echo "|---|---|---|---|---|---|"
  local c q
  # Long enough for the library to be read into memory (seconds for
  # 20,000 practices; the searches meanwhile are answered by SQL).
  CONNS=$CONNS DURATION=5s run_wrk warm-up "${api}lyon" -H "Accept-Language: fr" >/dev/null
  for c in 1 "$CONNS"; do
    cpu_pid=$bare CONNS=$c THREADS=$((c < THREADS ? c : THREADS)) run_wrk "bare net/http, same bytes as kumamoto" "http://127.0.0.1:$BARE/" | sed "s/^| \([^|]*\) |/| \1 | $c |/"
    for q in "q=熊本" "q=くまもと" "q=kumamoto" "q=énergie" "q=energie" "q=エネルギー" "q=énergie écoles" "q=市" "q=s" "q=kumamoto&sdg=7" "sdg=7" "edition=rencontres-franco-japonaises/7&workshop=3" "page=500" ""; do
      local enc
      enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="=&/"))' "$q")
      cpu_pid=$server CONNS=$c THREADS=$((c < THREADS ? c : THREADS)) run_wrk "${q:-(all)}" "http://127.0.0.1:$PORT/api/v1/practices?$enc" -H "Accept-Language: fr" | sed "s/^| \([^|]*\) |/| \1 | $c |/"
    done
  done
  cpu_pid=$server CONNS=$CONNS run_wrk "page /fr/practices?q=kumamoto, micro-cache" "http://127.0.0.1:$PORT/fr/practices?q=kumamoto" | sed "s/^| \([^|]*\) |/| \1 | $CONNS |/"
  kill "$bare"; kill "${pids[-2]}"; wait "$bare" 2>/dev/null || true; wait "${pids[-2]}" 2>/dev/null || true
}

echo "Machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${PAGES:-}" = 1 ]; then
  bench_pages sqlite
  if [ -n "${RENCONTRES_BENCH_PG:-}" ]; then
    db=rencontres_bench_$$
    psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    url=$(sed -E "s#/[^/?]*(\?|$)#/$db\1#" <<<"$RENCONTRES_BENCH_PG")
    bench_pages postgres --db "$url"
    psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  fi
  exit 0
fi
if [ "${LIBRARY:-}" = 1 ]; then
  bench_library sqlite
  if [ -n "${RENCONTRES_BENCH_PG:-}" ]; then
    db=rencontres_bench_$$
    psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    url=$(sed -E "s#/[^/?]*(\?|$)#/$db\1#" <<<"$RENCONTRES_BENCH_PG")
    bench_library postgres --db "$url"
    psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  fi
  exit 0
fi
if [ "${SEARCH:-}" = 1 ]; then
  bench_search sqlite
  if [ -n "${RENCONTRES_BENCH_PG:-}" ]; then
    db=rencontres_bench_$$
    psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    url=$(sed -E "s#/[^/?]*(\?|$)#/$db\1#" <<<"$RENCONTRES_BENCH_PG")
    bench_search postgres --db "$url"
    psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  fi
  exit 0
fi
bench_db sqlite
if [ -n "${RENCONTRES_BENCH_PG:-}" ]; then
  db=rencontres_bench_$$
  psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  url=$(sed -E "s#/[^/?]*(\?|$)#/$db\1#" <<<"$RENCONTRES_BENCH_PG")
  bench_db postgres --db "$url"
  psql "$RENCONTRES_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
fi
