#!/usr/bin/env bash
# The /v1 gateway as a proxy (wif serve --upstream URL), measured on 127.0.0.1 only, for a bounded time.
#
# Part 1, overhead: nginx serves a small JSON answer at GET /v1/models (`return 200`, no disk, no logging);
# OpenWIF runs `wif serve --dev --upstream http://127.0.0.1:NGINX/v1` with a temporary SQLite database, the
# Compute Engine metadata emulator as the OIDC issuer, a project/service account/provider/rule set up with curl
# and one exchanged access token. wrk then sends the same request (GET /v1/models with the bearer token) to
# nginx directly and through OpenWIF, in the same run: first -c1 (one request at a time: the latency a request
# gains by going through the proxy), then -c$PROXY_CONNECTIONS (throughput; the latency there is mostly
# queueing). It prints req/s, p50/p90/p99/max of each, the p50 overhead and the server's CPU per request.
#
# Part 2, streaming memory: a second OpenWIF in front of a slow Node.js SSE upstream (bench/load/sse-upstream.js:
# one ~1 KB event every 250 ms per stream), and $PROXY_SSE_CLIENTS concurrent streaming requests through it
# (bench/load/sse-clients.js) for ~$PROXY_SSE_SECONDS s (after 100 warm-up streams read for 5 s and dropped), while the server's RSS and its heap after a forced GC
# (jcmd GC.run, then GC.heap_info) are sampled every $PROXY_SAMPLE_EVERY s. Flat means: while all streams are
# open, the heap after GC does not grow although hundreds of MB stream through. A last sample 35 s after the
# streams ended shows what the idle upstream connections kept.
#
# Everything it starts is stopped on exit. Needs root for apt-get only when wrk, nginx or node are missing.
# Settings (environment): PROXY_DURATION (15s per measured run), PROXY_WARMUP (8s, unmeasured), PROXY_CONNECTIONS
# (32), PROXY_THREADS (2), PROXY_LATENCY_DURATION (10s, the -c1 runs), PROXY_SSE_CLIENTS (1000),
# PROXY_SSE_SECONDS (60), PROXY_SAMPLE_EVERY (5), PROXY_PARTS ("overhead streaming"), PROXY_SERVER_JAVA_OPTS
# (server JVM options, e.g. -XX:StartFlightRecording=filename=/tmp/proxy.jfr,settings=profile).
# Usage: bench/run-proxy-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DURATION="${PROXY_DURATION:-15s}"
WARMUP="${PROXY_WARMUP:-8s}"
CONNECTIONS="${PROXY_CONNECTIONS:-32}"
THREADS="${PROXY_THREADS:-2}"
LATENCY_DURATION="${PROXY_LATENCY_DURATION:-10s}"
SSE_CLIENTS="${PROXY_SSE_CLIENTS:-1000}"
SSE_SECONDS="${PROXY_SSE_SECONDS:-60}"
SAMPLE_EVERY="${PROXY_SAMPLE_EVERY:-5}"
PARTS="${PROXY_PARTS:-overhead streaming}"
JAR="$ROOT/wif-cli/target/wif.jar"
UPSTREAM_KEY="sk-bench-upstream-$(date +%s)"

for tool in curl jq python3; do
  command -v "$tool" >/dev/null || { echo "run-proxy-bench: $tool is required" >&2; exit 1; }
done
need() { # command debian-package
  command -v "$1" >/dev/null && return 0
  [ -x "/usr/sbin/$1" ] && return 0
  echo "run-proxy-bench: installing $2..." >&2
  apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null 2>&1; } \
    || { echo "run-proxy-bench: cannot install $2 (needs root and the package index)" >&2; exit 1; }
}
need wrk wrk
need nginx nginx
need node nodejs
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

if ! ./wif --help >/dev/null 2>"${TMPDIR:-/tmp}/run-proxy-bench-build.err"; then
  [ -f "$JAR" ] || { cat "${TMPDIR:-/tmp}/run-proxy-bench-build.err" >&2; exit 1; }
  echo "run-proxy-bench: WARNING: building wif.jar failed; using the existing $(date -r "$JAR" '+%H:%M') jar" >&2
fi
JAVA=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$JAR")

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wif-proxy-bench.XXXXXX")"
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
    (( SECONDS < deadline )) || { echo "run-proxy-bench: $1 did not come up; logs in $WORK" >&2; tail -20 "$WORK"/*.log >&2; exit 1; }
    sleep 0.3
  done
}
load_avg() { cut -d' ' -f1 /proc/loadavg; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system CPU of a process, in clock ticks

# ---- the issuer, shared by both parts ----
ISSUER_PORT="$(free_port)"
"${JAVA[@]}" emulate gce-metadata --port "$ISSUER_PORT" > "$WORK/issuer.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$ISSUER_PORT/computeMetadata/v1/project/project-id" "Metadata-Flavor: Google"
AUDIENCE="https://api.openai.com/v1"
SUBJECT_TOKEN="$(curl -sS --fail -G -H "Metadata-Flavor: Google" \
  "http://127.0.0.1:$ISSUER_PORT/computeMetadata/v1/instance/service-accounts/default/identity" \
  --data-urlencode "audience=$AUDIENCE" --data-urlencode "format=full")"
SUB="$(echo "$SUBJECT_TOKEN" | cut -d. -f2 | tr '_-' '/+' | python3 -c 'import base64, json, sys; s = sys.stdin.read().strip(); print(json.loads(base64.b64decode(s + "=" * (-len(s) % 4)))["sub"])')"

# start_openwif NAME UPSTREAM_URL: a wif serve proxying /v1 to UPSTREAM_URL, federation configured, one access
# token exchanged; sets OPENWIF, SERVER_PID and ACCESS_TOKEN.
start_openwif() {
  local port
  port="$(free_port)"
  OPENWIF="http://127.0.0.1:$port"
  export WIF_BOOTSTRAP_ADMIN_KEY="sk-admin-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
  # shellcheck disable=SC2086 # PROXY_SERVER_JAVA_OPTS is a list of options
  WIF_UPSTREAM_API_KEY="$UPSTREAM_KEY" "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow ${PROXY_SERVER_JAVA_OPTS:-} \
    -jar "$JAR" serve --dev --port "$port" --db "$WORK/$1.db" --upstream "$2" > "$WORK/$1-server.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=($!)
  wait_for "$OPENWIF/healthz"
  admin() { curl -sS --fail-with-body -H "Authorization: Bearer $WIF_BOOTSTRAP_ADMIN_KEY" -H "Content-Type: application/json" "$@"; }
  local project account provider
  project="$(admin -d '{"name": "proxy-bench"}' "$OPENWIF/v1/organization/projects" | jq -r .id)"
  account="$(admin -d '{"name": "proxy-worker", "create_service_account_only": true}' \
    "$OPENWIF/v1/organization/projects/$project/service_accounts" | jq -r .id)"
  provider="$(admin "$OPENWIF/v1/organization/workload_identity_providers" -d "$(jq -n \
    --arg issuer "http://127.0.0.1:$ISSUER_PORT" --arg audience "$AUDIENCE" '{
      name: "proxy-gce", type: "oidc", issuer: $issuer, audience: $audience,
      verification: {type: "discovery"},
      attribute_transformations: [{attribute: "subject", expression: "assertion.sub"}]}')" | jq -r .id)"
  admin "$OPENWIF/v1/organization/workload_identity_providers/$provider/federation_rules" -d "$(jq -n \
    --arg sub "$SUB" --arg project "$project" --arg sa "$account" '{
      name: "proxy-rule", attribute_matchers: {sub: $sub, "openai.subject": $sub},
      project_id: $project, service_account_id: $sa,
      permissions: {type: "service_account_default"}}')" > /dev/null
  ACCESS_TOKEN="$(curl -sS --fail-with-body "$OPENWIF/oauth/token" -H "Content-Type: application/json" -d "$(jq -n \
    --arg token "$SUBJECT_TOKEN" --arg provider "$provider" --arg sa "$account" '{
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: $token, subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      identity_provider_id: $provider, service_account_id: $sa}')" | jq -r .access_token)"
  [ -n "$ACCESS_TOKEN" ] && [ "$ACCESS_TOKEN" != null ] || { echo "run-proxy-bench: the exchange failed" >&2; exit 1; }
  unset WIF_BOOTSTRAP_ADMIN_KEY
}
stop_openwif() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), cores: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), nginx: $("$NGINX" -v 2>&1 | cut -d/ -f2), node: $(node --version), wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"

# ---- part 1: overhead against nginx directly ----
overhead() {
  local nginx_port
  nginx_port="$(free_port)"
  mkdir -p "$WORK/nginx"
  local models='{"object":"list","data":[{"id":"gpt-4.1-mini","object":"model","created":1700000000,"owned_by":"openai"}]}'
  cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$nginx_port;
    default_type application/json;
    location = /v1/models { return 200 '$models'; }
    location / { return 404 '{"error":{"message":"not here","type":"invalid_request_error","param":null,"code":null}}'; }
  }
}
EOF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" > "$WORK/nginx.log" 2>&1 &
  local nginx_pid=$!
  PIDS+=($!)
  local direct="http://127.0.0.1:$nginx_port"
  wait_for "$direct/v1/models"
  start_openwif overhead "$direct/v1"
  curl -sS --fail-with-body -o /dev/null -H "Authorization: Bearer $ACCESS_TOKEN" "$OPENWIF/v1/models"

  export WIF_LOAD_DIR="$ROOT/bench/load" WIF_LOAD_ACCESS_TOKEN="$ACCESS_TOKEN"
  declare -gA RESULTS
  measure() { # name url threads connections duration
    local before_server before_nginx load_before
    load_before="$(load_avg)"
    before_server="$(cpu_ticks "$SERVER_PID")"
    before_nginx="$(cpu_ticks "$nginx_pid")"
    wrk -t"$3" -c"$4" -d"$5" --timeout 10s -s bench/load/models.lua "$2" > "$WORK/$1.out"
    RESULTS[$1]="$(grep '^RESULT' "$WORK/$1.out" | sed 's/^RESULT //') server_ticks=$(( $(cpu_ticks "$SERVER_PID") - before_server )) nginx_ticks=$(( $(cpu_ticks "$nginx_pid") - before_nginx )) load=$load_before->$(load_avg)"
    echo "   $1: $(echo "${RESULTS[$1]}" | grep -oE 'rps=[0-9]+ p50_ms=[0-9.]+')" >&2
  }
  echo "== warm-up: $WARMUP through OpenWIF, 3s direct (unmeasured)" >&2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/load/models.lua "$OPENWIF" > /dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s bench/load/models.lua "$direct" > /dev/null
  echo "== one connection, $LATENCY_DURATION each; then -t$THREADS -c$CONNECTIONS, $DURATION each (load average $(load_avg))" >&2
  measure direct_c1 "$direct" 1 1 "$LATENCY_DURATION"
  measure proxied_c1 "$OPENWIF" 1 1 "$LATENCY_DURATION"
  measure direct_cN "$direct" "$THREADS" "$CONNECTIONS" "$DURATION"
  measure proxied_cN "$OPENWIF" "$THREADS" "$CONNECTIONS" "$DURATION"
  stop_openwif

  for name in direct_c1 proxied_c1 direct_cN proxied_cN; do echo "$name ${RESULTS[$name]}"; done > "$WORK/overhead.txt"
  echo
  echo "Part 1: GET /v1/models (small JSON: nginx 'return 200') directly and through OpenWIF; wrk on the same cores"
  python3 - "$WORK/overhead.txt" "$(getconf CLK_TCK)" "$CONNECTIONS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, *pairs = line.split()
    rows[name] = dict(p.split("=", 1) for p in pairs)
ticks, conns = float(sys.argv[2]), sys.argv[3]
label = {"direct_c1": ("nginx directly", "1"), "proxied_c1": ("through OpenWIF", "1"),
         "direct_cN": ("nginx directly", conns), "proxied_cN": ("through OpenWIF", conns)}
print("| target | connections | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx | OpenWIF CPU µs/req | nginx CPU µs/req | load 1-min |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for name, r in rows.items():
    n = int(r["requests"])
    bad = n - int(r["s2xx"])
    server = 1e6 * int(r["server_ticks"]) / ticks / max(n, 1)
    nginx = 1e6 * int(r["nginx_ticks"]) / ticks / max(n, 1)
    who, c = label[name]
    print(f"| {who} | {c} | {float(r['rps']):,.0f} | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['max_ms']} | {n:,} "
          f"| {bad:,} | {'-' if name.startswith('direct') else f'{server:.0f}'} | {nginx:.0f} | {r['load'].replace('->', ' -> ')} |")
print()
for c, d, p in (("1", "direct_c1", "proxied_c1"), (conns, "direct_cN", "proxied_cN")):
    added = float(rows[p]["p50_ms"]) - float(rows[d]["p50_ms"])
    print(f"p50 added by the proxy at {c} connection(s): {added:.3f} ms (target <= 0.5 ms: {'met' if added <= 0.5 else 'MISSED'})")
rps = float(rows["proxied_cN"]["rps"])
print(f"proxied throughput at {conns} connections: {rps:,.0f} req/s (target >= 20,000: {'met' if rps >= 20000 else 'MISSED'})")
print("CPU µs/req: user + system time of that process during the run divided by the requests (wrk's own CPU not counted).")
PY
  kill "$nginx_pid" 2>/dev/null || true
}

# ---- part 2: memory while streaming ----
streaming() {
  local sse_port
  sse_port="$(free_port)"
  PORT="$sse_port" SSE_STREAM_MS="$((SSE_SECONDS * 1000))" node bench/load/sse-upstream.js > "$WORK/sse-upstream.log" 2>&1 &
  local sse_pid=$!
  PIDS+=($!)
  local deadline=$((SECONDS + 30))
  until grep -q ready "$WORK/sse-upstream.log"; do
    (( SECONDS < deadline )) || { echo "run-proxy-bench: the SSE upstream did not start" >&2; cat "$WORK/sse-upstream.log" >&2; exit 1; }
    sleep 0.2
  done
  start_openwif streaming "http://127.0.0.1:$sse_port/v1"
  local port="${OPENWIF##*:}"
  sample() { # label: one line: seconds, open client connections, RSS MB, heap used after a full GC MB, heap committed MB
    "$JAVA_HOME/bin/jcmd" "$SERVER_PID" GC.run > /dev/null 2>&1 || true
    local heap rss_kb conns
    heap="$("$JAVA_HOME/bin/jcmd" "$SERVER_PID" GC.heap_info 2>/dev/null | grep -m1 -oE 'committed [0-9]+K, used [0-9]+K' | grep -oE '[0-9]+' | tr '\n' ' ')"
    rss_kb="$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")"
    conns="$(ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l)"
    awk -v l="$1" -v s="$((SECONDS - T0))" -v c="$conns" -v r="$rss_kb" -v h="${heap:-0 0}" \
      'BEGIN { split(h, k, " "); printf "%s %d %d %.1f %.1f %.1f\n", l, s, c, r / 1024, k[2] / 1024, k[1] / 1024 }'
  }
  echo "== streaming: $SSE_CLIENTS concurrent SSE responses through OpenWIF for ${SSE_SECONDS}s (load average $(load_avg))" >&2
  # 100 streams read for 5 s and dropped first, so the code paths are loaded and compiled before the baseline
  URL="$OPENWIF/v1/chat/completions" SSE_CLIENTS=100 SSE_CLIENT_READ_MS=5000 WIF_LOAD_ACCESS_TOKEN="$ACCESS_TOKEN" \
    SSE_CLIENT_TIMEOUT_MS=$(( (SSE_SECONDS + 60) * 1000 )) node bench/load/sse-clients.js > "$WORK/sse-warm.out" &
  local warm_pid=$!
  PIDS+=($!)
  wait "$warm_pid" || true
  T0=$SECONDS
  { sample before; } > "$WORK/samples.txt"
  URL="$OPENWIF/v1/chat/completions" SSE_CLIENTS="$SSE_CLIENTS" WIF_LOAD_ACCESS_TOKEN="$ACCESS_TOKEN" \
    SSE_CLIENT_TIMEOUT_MS=$(( (SSE_SECONDS + 60) * 1000 )) node bench/load/sse-clients.js > "$WORK/sse.out" &
  local clients_pid=$!
  PIDS+=($!)
  local cpu_before
  cpu_before="$(cpu_ticks "$SERVER_PID")"
  local limit=$((SECONDS + SSE_SECONDS + 70))
  while kill -0 "$clients_pid" 2>/dev/null && (( SECONDS < limit )); do
    sleep "$SAMPLE_EVERY"
    kill -0 "$clients_pid" 2>/dev/null && sample during >> "$WORK/samples.txt"
  done
  wait "$clients_pid" || true
  local cpu_ticks_used=$(( $(cpu_ticks "$SERVER_PID") - cpu_before ))
  local gc
  gc="$("$JAVA_HOME/bin/jcmd" "$SERVER_PID" VM.flags 2>/dev/null | grep -oE 'Use[A-Za-z0-9]+GC' | head -1 || true)"
  sleep 2
  sample after >> "$WORK/samples.txt"
  # the JDK HttpClient keeps idle upstream connections for 30 s (jdk.httpclient.keepalive.timeout)
  sleep 35
  sample idle >> "$WORK/samples.txt"
  stop_openwif
  kill "$sse_pid" 2>/dev/null || true

  echo
  echo "Part 2: $SSE_CLIENTS concurrent SSE responses through OpenWIF (~1 KB event every 250 ms each, ${SSE_SECONDS}s)"
  echo "clients: $(sed 's/^RESULT //' "$WORK/sse.out")"
  echo "server CPU during the streams: $(awk -v t="$cpu_ticks_used" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }') s; JVM: ${gc:-default GC}, ${PROXY_SERVER_JAVA_OPTS:-no extra options}"
  python3 - "$WORK/samples.txt" "$WORK/sse.out" "$SSE_CLIENTS" <<'PY'
import re, sys
samples = [line.split() for line in open(sys.argv[1])]
print("| sample | s | open client connections | RSS MB | heap used after full GC MB | heap committed MB |")
print("|---|---:|---:|---:|---:|---:|")
for label, s, conns, rss, heap, committed in samples:
    print(f"| {label} | {s} | {conns} | {rss} | {heap} | {committed} |")
clients = int(sys.argv[3])
# steady: every stream open, the first such sample (streams still starting) left out
steady = [x for x in samples if x[0] == "during" and int(x[2]) >= 0.9 * clients][1:]
result = open(sys.argv[2]).read()
mb = float(re.search(r"mb=([0-9.]+)", result).group(1)) if "mb=" in result else float("nan")
if len(steady) >= 2:
    heaps = [float(x[4]) for x in steady]
    rss = [float(x[3]) for x in steady]
    spread = max(heaps) - min(heaps)
    drift = heaps[-1] - heaps[0]
    print(f"\nwhile all {clients} streams were open (the {len(steady)} samples after the first such): heap after GC {min(heaps):.1f}-{max(heaps):.1f} MB "
          f"(spread {spread:.1f} MB, first to last {drift:+.1f} MB); RSS {min(rss):.0f}-{max(rss):.0f} MB (first to last {rss[-1] - rss[0]:+.0f} MB); "
          f"{mb:.0f} MB streamed through in total")
    print("memory flat:", "yes" if abs(drift) <= 16 and spread <= 32 else "NO",
          "(heap after GC moved by at most 16 MB first to last and 32 MB overall while streaming)")
else:
    print("\nfewer than two samples with all streams open: no verdict (raise PROXY_SSE_SECONDS)")
PY
}

for part in $PARTS; do
  "$part"
done
