#!/usr/bin/env bash
# Registration burst: opens the demo's 9th edition to registration and sends
# N registrations, C at a time, through the API (token, Idempotency-Key,
# a workshop of 30 seats), on SQLite and on PostgreSQL; each against the
# bare net/http ceiling of the same run (the same requests to a server that
# answers fixed bytes). Results go to stdout as Markdown; docs/benchmarks.md
# records them.
#
#   RENCONTRES_BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable scripts/regbench.sh
#
# Environment: N (default 5000), C (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-5000}
C=${C:-64}
PORT=18090
BARE=18091
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
CGO_ENABLED=0 go build ${TAGS:+-tags $TAGS} -o "$work/rencontres" ./cmd/rencontres
go build -o "$work/barehttp" ./scripts/barehttp
go build -o "$work/regload" ./scripts/regload
wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$1 did not come up" >&2; exit 1; }

bench_db() { # bench_db LABEL [--db URL]
  local label=$1; shift
  local flags=(--data "$work/data-$label" "$@")
  "$work/rencontres" serve --demo --addr 127.0.0.1:$PORT "${flags[@]}" 2>"$work/$label.log" &
  local server=$!
  pids+=($server)
  wait_up "http://127.0.0.1:$PORT/healthz"
  "$work/rencontres" admin create --email bench@example.org "${flags[@]}" >/dev/null
  local token
  token=$("$work/rencontres" token create --email bench@example.org "${flags[@]}")
  read -r event session < <("$work/regload" -setup "http://127.0.0.1:$PORT" -token "$token")
  "$work/barehttp" -addr 127.0.0.1:$BARE -from "http://127.0.0.1:$PORT/api/v1/events/$event" 2>"$work/bare.log" &
  local bare=$!
  pids+=($bare)
  wait_up "http://127.0.0.1:$BARE/"
  echo
  echo "### $label ($N registrations, $C at a time, each choosing a workshop of 30 seats)"
  echo
  echo "| target | registered | per second | p50 | p99 | max |"
  echo "|---|---|---|---|---|---|"
  "$work/regload" -url "http://127.0.0.1:$BARE/" -n "$N" -c "$C" -label "bare net/http, same requests" 2>/dev/null
  "$work/regload" -url "http://127.0.0.1:$PORT/api/v1/events/$event/registrations" -token "$token" -session "$session" -n "$N" -c "$C" -label "POST /api/v1/events/$event/registrations"
  curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/events/$event/registrations?status=confirmed&q=nobody" >/dev/null
  kill "$server" "$bare"; wait "$server" "$bare" 2>/dev/null || true
}

echo "## Registration burst ($(nproc) cores, $(date -u +%Y-%m-%d))"
bench_db SQLite
if [ -n "${RENCONTRES_BENCH_PG:-}" ]; then
  db="rencontres_regbench_$$"
  psql -q "$RENCONTRES_BENCH_PG" -c "CREATE DATABASE $db" >/dev/null
  pg_url="${RENCONTRES_BENCH_PG/\/postgres\?/\/$db?}"
  bench_db PostgreSQL --db "$pg_url"
  psql -q "$RENCONTRES_BENCH_PG" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
