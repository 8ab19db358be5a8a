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
# added to the server's), BENCH_PROFILE=1 (record the server with JDK Flight Recorder and print where its time went).
# The server starts through ./wif serve, with the launcher's JVM options for serve (WIF_SERVE_JAVA_OPTS replaces
# them, as for ./wif serve) and its start-up cache. The server's resident memory (VmRSS, sampled every 0.5 s
# during the measured runs, and its peak VmHWM) is printed too.
# Usage: bench/run-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BENCH_NAME=run-load
# shellcheck source=bench/lib/openwif-load.sh
. bench/lib/openwif-load.sh
DURATION="${LOAD_DURATION:-15s}"
WARMUP="${LOAD_WARMUP:-8s}"
CONNECTIONS="${LOAD_CONNECTIONS:-32}"
THREADS="${LOAD_THREADS:-2}"
TOKENS="${LOAD_TOKENS:-32}"
SERVE_ARGS="${LOAD_SERVE_ARGS-$RAISED_LIMITS}"

bench_require_tools
bench_build_jar
LIMIT_FLAGS="$("${JAVA[@]}" serve --help 2>&1 | grep -oE -- '--[a-z-]*(rate|limit|per-address)[a-z-]*' | sort -u | tr '\n' ' ' || true)"
bench_workdir

start_openwif "${LOAD_SERVER_JAVA_OPTS:-}" "$SERVE_ARGS"
start_gce_issuer
wait_for "$OPENWIF/healthz"
unset WIF_BOOTSTRAP_ADMIN_KEY_PRINTED

mint_tokens "$TOKENS" "$AUDIENCE" "$WORK/tokens.txt"
configure_openwif "$WORK/tokens.txt"
ACCESS_TOKEN="$(exchange_once "$WORK/tokens.txt" | jq -r .access_token)"
[ -n "$ACCESS_TOKEN" ] && [ "$ACCESS_TOKEN" != null ] || bench_fail "the first exchange failed"
curl -sS --fail-with-body -o /dev/null "$OPENWIF/v1/responses" -H "Authorization: Bearer $ACCESS_TOKEN" \
  -H "Content-Type: application/json" -d '{"model": "gpt-4.1-mini", "input": "warm-up"}'

export WIF_LOAD_DIR="$ROOT/bench/load" WIF_LOAD_TOKENS="$WORK/tokens.txt" WIF_LOAD_PROVIDER="$PROVIDER_ID" \
  WIF_LOAD_ACCOUNT="$ACCOUNT_ID" WIF_LOAD_ACCESS_TOKEN="$ACCESS_TOKEN"
declare -A RESULTS LOADS SERVER_CPU
RSS_SAMPLES="$WORK/rss.txt"
: > "$RSS_SAMPLES"
sample_rss() { # name seconds: appends "name KiB" every 0.5 s for that long
  local until=$((SECONDS + $2))
  while (( SECONDS < until )); do
    echo "$1 $(proc_rss_kib "$SERVER_PID")" >> "$RSS_SAMPLES"
    sleep 0.5
  done
}
duration_seconds() { # wrk duration (15s, 2m) in seconds
  case "$1" in *m) echo $(( ${1%m} * 60 ));; *s) echo "${1%s}";; *) echo "$1";; esac
}
RSS_AFTER_SETUP="$(proc_rss_kib "$SERVER_PID")"
run() { # name script
  local load_before cpu_before
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  echo "== $1: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (1-min load average before: $load_before)" >&2
  # A warm-up so the JIT has compiled the path (the EC arithmetic of ES256 takes several seconds of load
  # before C2 has it) before the measured run.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "bench/load/$2" "$OPENWIF" > /dev/null
  cpu_before="$(proc_cpu_ticks "$SERVER_PID")"
  sample_rss "$1" "$(duration_seconds "$DURATION")" &
  local sampler=$!
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "bench/load/$2" "$OPENWIF" > "$WORK/$1.out"
  SERVER_CPU[$1]="$(( $(proc_cpu_ticks "$SERVER_PID") - cpu_before ))"
  wait "$sampler" 2>/dev/null || true
  RESULTS[$1]="$(grep '^RESULT' "$WORK/$1.out")"
  LOADS[$1]="$load_before -> $(cut -d' ' -f1 /proc/loadavg)"
}
run exchange exchange.lua
run responses responses.lua

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), cores: $(nproc), JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "wrk: -t$THREADS -c$CONNECTIONS, $DURATION per endpoint (after a $WARMUP warm-up), $TOKENS subject tokens cycled; server flags: --dev ${SERVE_ARGS:-(none)}"
SERVER_JVM_OPTIONS="$(tr '\0' ' ' < "/proc/$SERVER_PID/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //')"
PEAK_RSS_KIB="$(proc_peak_rss_kib "$SERVER_PID")"
stop_openwif # with BENCH_PROFILE=1: the profile's summary (stderr)
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
echo "server JVM options: $SERVER_JVM_OPTIONS"
awk -v setup="$RSS_AFTER_SETUP" -v hwm="$PEAK_RSS_KIB" '
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
