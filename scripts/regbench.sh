#!/usr/bin/env bash
# Registration burst: opens the demo's 9th edition to registration and sends
# N registrations, C at a time, through the API (token, Idempotency-Key,
# a workshop of 30 seats), on SQLite and on PostgreSQL; each against the
# bare net/http ceiling of the same run (the same requests to a server that
# answers fixed bytes) and the database's: the same server writing one row
# per request (one INSERT, its own transaction) into a scratch table of the
# same database. Results go to stdout as Markdown; docs/benchmarks.md
# records them.
#
#   RENCONTRES_BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable scripts/regbench.sh
#
# Environment: N (default 5000), C (default 64), INSTANCES (default 1; 2
# adds, on PostgreSQL, rows for two servers on the same database: the
# requests sent to each in turn, then each client's requests all sent to
# one, as a load balancer with affinity does), WARMUP (default 0:
# registrations sent before each row and not counted, so that a row
# measures a server that has opened its connections and prepared its
# statements), SKIP_SQLITE (set: PostgreSQL only), KEEP_DB (set: the
# PostgreSQL database is kept, and named on stderr, for EXPLAIN after the
# burst), CPUS (e.g. 0.5: each server, the bare ones included, is held to
# that many cores in a cgroup of its own, as a container or a machine of
# its own would hold it, so that a second instance brings cores of its own
# where without it the two share the machine's; needs root and the cgroup
# cpu controller, v1 or v2), RATES (e.g. "2000 3000": after each
# instance's rows, one row a rate of open arrivals, the N registrations
# sent at that many a second at random instants whatever the answers, as
# people each sending their form do, at most OPEN_LIMIT (default 512)
# waiting; with INSTANCES=2 the two servers get them in turn, as a load
# balancer without affinity gives them; the latency counts from the
# instant each was due), METRICS (set: the servers serve their metrics,
# and each of their rows adds its batches, the submissions in each, the
# time from a batch's start to holding the event's lock and the time it
# holds it, on average). The servers inherit GOGC and GOMEMLIMIT. After
# each database's rows, the workshop's list is checked through the API
# (regload -check): each seat given once, the waiting list numbered from 1
# in the order of the registrations, every registration on it once.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-5000}
C=${C:-64}
INSTANCES=${INSTANCES:-1}
WARMUP=${WARMUP:-0}
RATES=${RATES:-}
OPEN_LIMIT=${OPEN_LIMIT:-512}
PORT=18090
BARE=18091
PORT2=18092
MPORT=18093
MPORT2=18094
mflags=() # a server's own --metrics-addr, with METRICS
mfirst=()
mboth=()
if [ -n "${METRICS:-}" ]; then
  mfirst=(-metrics "http://127.0.0.1:$MPORT/metrics")
  mboth=(-metrics "http://127.0.0.1:$MPORT/metrics,http://127.0.0.1:$MPORT2/metrics")
fi
work=$(mktemp -d)
pids=()
groups=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for g in "${groups[@]}"; do rmdir "$g" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# hold PID: with CPUS set, puts process PID in a cgroup of its own held to
# CPUS cores (a quota of CPUS × 10 ms every 10 ms).
cgroot=
nocg() { echo "CPUS=$CPUS: $1; holding servers to a share of the cores needs root and the cgroup cpu controller (v2: /sys/fs/cgroup/cpu.max; v1: /sys/fs/cgroup/cpu/cpu.cfs_quota_us)" >&2; exit 1; }
if [ -n "${CPUS:-}" ]; then
  awk -v c="$CPUS" 'BEGIN { exit !(c > 0 && c <= 64) }' || nocg "not a number of cores between 0 and 64"
  if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || echo +cpu 2>/dev/null >/sys/fs/cgroup/cgroup.subtree_control ||
      nocg "could not enable the cpu controller in /sys/fs/cgroup/cgroup.subtree_control"
    cgroot=/sys/fs/cgroup
  elif [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
    cgroot=/sys/fs/cgroup/cpu
  else
    nocg "no cgroup cpu controller found"
  fi
fi
hold() {
  [ -n "$cgroot" ] || return 0
  local g="$cgroot/regbench-$$-$1" quota
  quota=$(awk -v c="$CPUS" 'BEGIN { printf "%d", c * 10000 }')
  mkdir "$g" 2>/dev/null || nocg "could not make the cgroup $g"
  groups+=("$g")
  if [ "$cgroot" = /sys/fs/cgroup ]; then
    echo "$quota 10000" 2>/dev/null >"$g/cpu.max" || nocg "could not write $g/cpu.max"
  else
    { echo 10000 >"$g/cpu.cfs_period_us" && echo "$quota" >"$g/cpu.cfs_quota_us"; } 2>/dev/null || nocg "could not write the quota of $g"
  fi
  echo "$1" 2>/dev/null >"$g/cgroup.procs" || nocg "could not move process $1 into $g"
}
held=${CPUS:+, each server held to $CPUS cores}
CGO_ENABLED=0 go build ${TAGS:+-tags $TAGS} -o "$work/rencontres" ./cmd/rencontres
go build -o "$work/barehttp" ./scripts/barehttp
go build -o "$work/regload" ./scripts/regload
wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$1 did not come up" >&2; exit 1; }

bench_db() { # bench_db LABEL SCRATCH [--db URL]
  local label=$1 scratch=$2; shift 2
  local flags=(--data "$work/data-$label" "$@")
  [ -z "${METRICS:-}" ] || mflags=(--metrics-addr 127.0.0.1:$MPORT)
  "$work/rencontres" serve --demo --addr 127.0.0.1:$PORT "${flags[@]}" "${mflags[@]}" 2>"$work/$label.log" &
  local server=$!
  pids+=($server)
  hold $server
  wait_up "http://127.0.0.1:$PORT/healthz"
  "$work/rencontres" admin create --email bench@example.org "${flags[@]}" >/dev/null
  local token
  token=$("$work/rencontres" token create --email bench@example.org "${flags[@]}")
  read -r event session < <("$work/regload" -setup "http://127.0.0.1:$PORT" -token "$token")
  local reg="api/v1/events/$event/registrations"
  echo
  echo "### $label ($N registrations, $C at a time after $WARMUP not counted, each choosing a workshop of 30 seats$held; load average $(cut -d' ' -f1 /proc/loadavg) before)"
  echo
  echo "| target | registered | per second | p50 | p99 | max |${METRICS:+ batches | submissions a batch | start to lock held | lock held |}"
  echo "|---|---|---|---|---|---|${METRICS:+---|---|---|---|}"
  bare_row "bare net/http, same requests" "$event"
  bare_row "one INSERT per request, same database" "$event" -db "$scratch"
  "$work/regload" -url "http://127.0.0.1:$PORT/$reg" -token "$token" -session "$session" -n "$N" -c "$C" -warmup "$WARMUP" -label "POST /$reg, one instance" "${mfirst[@]}"
  open_rows "http://127.0.0.1:$PORT/$reg" "one instance" "${mfirst[@]}"
  if [ "$INSTANCES" = 2 ] && [ "$label" = PostgreSQL ]; then
    [ -z "${METRICS:-}" ] || mflags=(--metrics-addr 127.0.0.1:$MPORT2)
    "$work/rencontres" serve --addr 127.0.0.1:$PORT2 "${flags[@]}" "${mflags[@]}" 2>"$work/$label-2.log" &
    local second=$!
    pids+=($second)
    hold $second
    wait_up "http://127.0.0.1:$PORT2/healthz"
    "$work/regload" -url "http://127.0.0.1:$PORT/$reg,http://127.0.0.1:$PORT2/$reg" -token "$token" -session "$session" -n "$N" -c "$C" -warmup "$WARMUP" \
      -label "POST /$reg, two instances" "${mboth[@]}"
    "$work/regload" -url "http://127.0.0.1:$PORT/$reg,http://127.0.0.1:$PORT2/$reg" -sticky -token "$token" -session "$session" -n "$N" -c "$C" -warmup "$WARMUP" \
      -label "POST /$reg, two instances, each client on one" "${mboth[@]}"
    open_rows "http://127.0.0.1:$PORT/$reg,http://127.0.0.1:$PORT2/$reg" "two instances in turn" "${mboth[@]}"
    kill "$second"; wait "$second" 2>/dev/null || true
  fi
  curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/events/$event/registrations?status=confirmed&q=nobody" >/dev/null
  echo
  # Whatever the instances, every seat once and the waiting list in order;
  # the script stops here if not.
  "$work/regload" -check -url "http://127.0.0.1:$PORT/$reg" -token "$token" -session "$session"
  echo "First server's peak resident memory: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' /proc/$server/status)."
  kill "$server"; wait "$server" 2>/dev/null || true
}

open_rows() { # open_rows URLS LABEL [-metrics URLS], with token and session set by bench_db
  local rate urls=$1 label=$2
  shift 2
  for rate in $RATES; do
    "$work/regload" -url "$urls" -rate "$rate" -token "$token" -session "$session" -n "$N" -c "$OPEN_LIMIT" -warmup "$WARMUP" \
      -label "open arrivals at $rate a second, $label" "$@"
  done
}

bare_row() { # bare_row LABEL EVENT [-db URL]
  local label=$1 event=$2; shift 2
  "$work/barehttp" -addr 127.0.0.1:$BARE -from "http://127.0.0.1:$PORT/api/v1/events/$event" "$@" 2>"$work/bare.log" &
  local bare=$!
  pids+=($bare)
  hold $bare
  wait_up "http://127.0.0.1:$BARE/"
  "$work/regload" -url "http://127.0.0.1:$BARE/" -n "$N" -c "$C" -warmup "$WARMUP" -label "$label" 2>/dev/null | sed "${METRICS:+s/\$/ | | | |/}"
  kill "$bare"; wait "$bare" 2>/dev/null || true
}

echo "## Registration burst ($(nproc) cores, $(date -u +%Y-%m-%d))"
[ -n "${SKIP_SQLITE:-}" ] || bench_db SQLite "sqlite:$work/data-SQLite/rencontres.db"
if [ -n "${RENCONTRES_BENCH_PG:-}" ]; then
  db="rencontres_regbench_$$"
  psql -q "$RENCONTRES_BENCH_PG" -c "CREATE DATABASE $db" >/dev/null
  pg_url="${RENCONTRES_BENCH_PG/\/postgres\?/\/$db?}"
  bench_db PostgreSQL "$pg_url" --db "$pg_url"
  if [ -n "${KEEP_DB:-}" ]; then echo "kept: $pg_url" >&2; else psql -q "$RENCONTRES_BENCH_PG" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null; fi
fi
