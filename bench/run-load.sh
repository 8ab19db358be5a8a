#!/usr/bin/env bash
# HTTP load test of a real OpenWIF server process, on 127.0.0.1 only, for a bounded time.
#
# Starts `wif serve --dev` (temporary SQLite database, bootstrap admin key from the environment) and the
# Compute Engine metadata emulator as the OIDC issuer, mints subject tokens from the emulator up front,
# configures a project, service account, provider (OIDC discovery) and rule through the admin API with curl,
# then drives two wrk runs:
#   1. POST /oauth/token   (the token exchange; tokens cycled from the pool)
#   2. POST /v1/responses  (the gateway with one valid access token; demo model)
# and prints requests/s, latency p50/p90/p99/max and the status counts (2xx, 429 rate limited, 503 admission
# control, other) of each. Everything it starts is stopped on exit.
#
# Settings (environment): LOAD_DURATION (default 15s per run), LOAD_WARMUP (unmeasured run before each, 8s), LOAD_CONNECTIONS (32), LOAD_THREADS (2),
# LOAD_TOKENS (subject tokens minted up front, 32), LOAD_SERVE_ARGS (`wif serve` flags; by default the
# exchange rate limits are raised far above what one machine can do, because every wrk connection comes from
# 127.0.0.1 and this script measures capacity, not the limiter — set it to "" to load the defaults), LOAD_SERVER_JAVA_OPTS (JVM options
# added to the server's, e.g. -XX:StartFlightRecording=filename=/tmp/wif.jfr to profile it). The server starts through
# ./wif serve, with the launcher's JVM options for serve (WIF_SERVE_JAVA_OPTS replaces them, as for ./wif serve).
# The server's resident memory (VmRSS, sampled every 0.5 s during the measured runs, and its peak VmHWM) is printed too.
# Usage: bench/run-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DURATION="${LOAD_DURATION:-15s}"
WARMUP="${LOAD_WARMUP:-8s}"
CONNECTIONS="${LOAD_CONNECTIONS:-32}"
THREADS="${LOAD_THREADS:-2}"
TOKENS="${LOAD_TOKENS:-32}"
SERVE_ARGS="${LOAD_SERVE_ARGS---exchange-rate-per-address 1000000 --exchange-burst-per-address 1000000 --exchange-rate-per-provider 1000000 --exchange-burst-per-provider 1000000}"
JAR="$ROOT/wif-cli/target/wif.jar"

for tool in curl jq python3; do
  command -v "$tool" >/dev/null || { echo "run-load: $tool is required" >&2; exit 1; }
done
if ! command -v wrk >/dev/null; then
  echo "run-load: installing wrk..." >&2
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } \
    || { echo "run-load: cannot install wrk (needs root and the package index)" >&2; exit 1; }
fi

# The launcher builds the jar when it is missing or older than the sources; a tree that does not compile
# right now (others at work) falls back to the jar already built, with a warning.
if ! ./wif --help >/dev/null 2>"${TMPDIR:-/tmp}/run-load-build.err"; then
  [ -f "$JAR" ] || { cat "${TMPDIR:-/tmp}/run-load-build.err" >&2; exit 1; }
  echo "run-load: WARNING: building wif.jar failed; using the existing $(date -r "$JAR" '+%H:%M') jar" >&2
fi
JAVA=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$JAR")
LIMIT_FLAGS="$("${JAVA[@]}" serve --help 2>&1 | grep -oE -- '--[a-z-]*(rate|limit|per-address)[a-z-]*' | sort -u | tr '\n' ' ' || true)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wif-load.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_for() { # url [header]: waits up to 60 s for a 2xx
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null ${2:+-H "$2"} "$1"; do
    (( SECONDS < deadline )) || { echo "run-load: $1 did not come up; logs in $WORK" >&2; tail -20 "$WORK"/*.log >&2; exit 1; }
    sleep 0.3
  done
}

SERVER_PORT="$(free_port)"
ISSUER_PORT="$(free_port)"
OPENWIF="http://127.0.0.1:$SERVER_PORT"
export WIF_BOOTSTRAP_ADMIN_KEY="sk-admin-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
# Through the launcher, so with the JVM options `./wif serve` uses (WIF_SERVE_JAVA_OPTS replaces them) and its
# start-up cache; it execs java, so $! is the server's pid.
# shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
WIF_JAVA_OPTS="${LOAD_SERVER_JAVA_OPTS:-}" ./wif serve --dev --port "$SERVER_PORT" --db "$WORK/wif.db" $SERVE_ARGS > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($!)
"${JAVA[@]}" emulate gce-metadata --port "$ISSUER_PORT" > "$WORK/issuer.log" 2>&1 &
PIDS+=($!)
wait_for "$OPENWIF/healthz"
wait_for "http://127.0.0.1:$ISSUER_PORT/computeMetadata/v1/project/project-id" "Metadata-Flavor: Google"
unset WIF_BOOTSTRAP_ADMIN_KEY_PRINTED

admin() { curl -sS --fail-with-body -H "Authorization: Bearer $WIF_BOOTSTRAP_ADMIN_KEY" -H "Content-Type: application/json" "$@"; }
AUDIENCE="https://api.openai.com/v1"
identity_token() {
  curl -sS --fail -G -H "Metadata-Flavor: Google" \
    "http://127.0.0.1:$ISSUER_PORT/computeMetadata/v1/instance/service-accounts/default/identity" \
    --data-urlencode "audience=$AUDIENCE" --data-urlencode "format=full"
}
for _ in $(seq "$TOKENS"); do identity_token; echo; done > "$WORK/tokens.txt"
SUB="$(head -1 "$WORK/tokens.txt" | cut -d. -f2 | tr '_-' '/+' | python3 -c 'import base64, json, sys; s = sys.stdin.read().strip(); print(json.loads(base64.b64decode(s + "=" * (-len(s) % 4)))["sub"])')"

PROJECT_ID="$(admin -d '{"name": "load-test"}' "$OPENWIF/v1/organization/projects" | jq -r .id)"
ACCOUNT_ID="$(admin -d '{"name": "load-worker", "create_service_account_only": true}' \
  "$OPENWIF/v1/organization/projects/$PROJECT_ID/service_accounts" | jq -r .id)"
PROVIDER_ID="$(admin "$OPENWIF/v1/organization/workload_identity_providers" -d "$(jq -n \
  --arg issuer "http://127.0.0.1:$ISSUER_PORT" --arg audience "$AUDIENCE" '{
    name: "load-gce", type: "oidc", issuer: $issuer, audience: $audience,
    verification: {type: "discovery"},
    attribute_transformations: [{attribute: "subject", expression: "assertion.sub"}]}')" | jq -r .id)"
admin "$OPENWIF/v1/organization/workload_identity_providers/$PROVIDER_ID/federation_rules" -d "$(jq -n \
  --arg sub "$SUB" --arg project "$PROJECT_ID" --arg sa "$ACCOUNT_ID" '{
    name: "load-rule", attribute_matchers: {sub: $sub, "openai.subject": $sub},
    project_id: $project, service_account_id: $sa,
    permissions: {type: "service_account_default"}}')" > /dev/null

exchange_once() {
  curl -sS --fail-with-body "$OPENWIF/oauth/token" -H "Content-Type: application/json" -d "$(jq -n \
    --arg token "$(head -1 "$WORK/tokens.txt")" --arg provider "$PROVIDER_ID" --arg sa "$ACCOUNT_ID" '{
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: $token, subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      identity_provider_id: $provider, service_account_id: $sa}')"
}
ACCESS_TOKEN="$(exchange_once | jq -r .access_token)"
[ -n "$ACCESS_TOKEN" ] && [ "$ACCESS_TOKEN" != null ] || { echo "run-load: the first exchange failed" >&2; exit 1; }
curl -sS --fail-with-body -o /dev/null "$OPENWIF/v1/responses" -H "Authorization: Bearer $ACCESS_TOKEN" \
  -H "Content-Type: application/json" -d '{"model": "gpt-4.1-mini", "input": "warm-up"}'

export WIF_LOAD_DIR="$ROOT/bench/load" WIF_LOAD_TOKENS="$WORK/tokens.txt" WIF_LOAD_PROVIDER="$PROVIDER_ID" \
  WIF_LOAD_ACCOUNT="$ACCOUNT_ID" WIF_LOAD_ACCESS_TOKEN="$ACCESS_TOKEN"
declare -A RESULTS LOADS SERVER_CPU
server_cpu_ticks() { # user + system CPU of the server process, in clock ticks
  awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"
}
server_kib() { # field (VmRSS, VmHWM) of the server process, in KiB
  awk -v field="$1:" '$1 == field { print $2 }' "/proc/$SERVER_PID/status"
}
RSS_SAMPLES="$WORK/rss.txt"
: > "$RSS_SAMPLES"
sample_rss() { # name seconds: appends "name KiB" every 0.5 s for that long
  local until=$((SECONDS + $2))
  while (( SECONDS < until )); do
    echo "$1 $(server_kib VmRSS)" >> "$RSS_SAMPLES"
    sleep 0.5
  done
}
duration_seconds() { # wrk duration (15s, 2m) in seconds
  case "$1" in *m) echo $(( ${1%m} * 60 ));; *s) echo "${1%s}";; *) echo "$1";; esac
}
RSS_AFTER_SETUP="$(server_kib VmRSS)"
run() { # name script
  local load_before cpu_before
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  echo "== $1: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (1-min load average before: $load_before)" >&2
  # A warm-up so the JIT has compiled the path (the EC arithmetic of ES256 takes several seconds of load
  # before C2 has it) before the measured run.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "bench/load/$2" "$OPENWIF" > /dev/null
  cpu_before="$(server_cpu_ticks)"
  sample_rss "$1" "$(duration_seconds "$DURATION")" &
  local sampler=$!
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "bench/load/$2" "$OPENWIF" > "$WORK/$1.out"
  SERVER_CPU[$1]="$(( $(server_cpu_ticks) - cpu_before ))"
  wait "$sampler" 2>/dev/null || true
  RESULTS[$1]="$(grep '^RESULT' "$WORK/$1.out")"
  LOADS[$1]="$load_before -> $(cut -d' ' -f1 /proc/loadavg)"
}
run exchange exchange.lua
run responses responses.lua

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), cores: $(nproc), JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "wrk: -t$THREADS -c$CONNECTIONS, $DURATION per endpoint (after a $WARMUP warm-up), $TOKENS subject tokens cycled; server flags: --dev ${SERVE_ARGS:-(none)}"
TICKS="$(getconf CLK_TCK)"
for name in exchange responses; do
  echo "$name ${RESULTS[$name]#RESULT } server_cpu_ticks=${SERVER_CPU[$name]} load=${LOADS[$name]// /}"
done > "$WORK/results.txt"
python3 - "$WORK/results.txt" "$TICKS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, *pairs = line.split()
    rows[name] = dict(p.split("=", 1) for p in pairs)
ticks = float(sys.argv[2])
labels = {"exchange": "POST /oauth/token", "responses": "POST /v1/responses"}
print("| endpoint | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx | 429 | 503 | server CPU ms/req | req/s per server core | load 1-min |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for name, r in rows.items():
    n = int(r["requests"])
    bad = n - int(r["s2xx"])
    cpu_s = int(r["server_cpu_ticks"]) / ticks
    print(f"| {labels[name]} | {float(r['rps']):,.0f} | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['max_ms']} | {n:,} "
          f"| {bad:,} ({100 * bad / max(n, 1):.2f} %) | {r['s429']} | {r['s503']} | {1000 * cpu_s / max(n, 1):.2f} "
          f"| {n / cpu_s if cpu_s > 0 else float('nan'):,.0f} | {r['load'].replace('->', ' -> ')} |")
print()
for name, r in rows.items():
    print(f"{labels[name]}: other statuses {r['other_statuses']}, socket errors (timeouts included) {r['socket_errors']}")
print("server CPU: user + system time of the server process during the measured run (not wrk's); req/s per server core",
      "= requests / that CPU time, what one free core would serve.")
PY
echo "server JVM options: $(tr '\0' ' ' < "/proc/$SERVER_PID/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //')"
awk -v setup="$RSS_AFTER_SETUP" -v hwm="$(server_kib VmHWM)" '
  { if ($2 > max[$1]) max[$1] = $2; sum[$1] += $2; n[$1]++ }
  END {
    printf "server RSS: after setup %.0f MiB", setup / 1024
    for (name in max) printf "; %s run mean %.0f MiB, max %.0f MiB", name, sum[name] / n[name] / 1024, max[name] / 1024
    printf "; peak (VmHWM) %.0f MiB\n", hwm / 1024
  }' "$RSS_SAMPLES"
EXCHANGE_429="$(sed -n 's/^exchange .* s429=\([0-9]*\) .*/\1/p' "$WORK/results.txt")"
if [ -z "$SERVE_ARGS" ] && [ "$EXCHANGE_429" -gt 0 ]; then
  echo "note: /oauth/token ran with the server's default abuse limits; every wrk connection comes from 127.0.0.1,"
  echo "      so the 429s are the per-client-address (or per-provider) rate limit, not overload."
  echo "      wif serve flags that look like limits: ${LIMIT_FLAGS:-none}. Pass them with LOAD_SERVE_ARGS."
fi
