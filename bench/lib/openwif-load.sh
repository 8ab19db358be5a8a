# Shared by the load scripts (bench/run-load.sh, bench/run-vs-keycloak.sh); sourced, never run.
#
# The caller sets BENCH_NAME (the prefix of its messages) and ROOT (the repository root, its working
# directory), then calls, in order: bench_require_tools, bench_build_jar, bench_workdir, and whatever it needs
# of the rest. Everything started through bench_track is stopped on exit (the trap set by bench_workdir).
#
# Variables it sets: JAVA_HOME (default JDK 25), JAR, JAVA (the CLI command as an array), WORK (a temporary
# directory removed on exit), SERVER_PID/SERVER_PORT/OPENWIF (start_openwif), ISSUER_PORT (start_gce_issuer),
# PROJECT_ID/ACCOUNT_ID/PROVIDER_ID (configure_openwif), WIF_BOOTSTRAP_ADMIN_KEY.

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR="$ROOT/wif-cli/target/wif.jar"
JAVA=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$JAR")
# The exchange rate limits far above what one machine can do: every wrk connection comes from 127.0.0.1 and
# the load scripts measure capacity, not the limiter.
RAISED_LIMITS="--exchange-rate-per-address 1000000 --exchange-burst-per-address 1000000 --exchange-rate-per-provider 1000000 --exchange-burst-per-provider 1000000"
AUDIENCE="https://api.openai.com/v1"

bench_fail() { echo "$BENCH_NAME: $*" >&2; exit 1; }

bench_require_tools() { # tool...: curl, jq, python3 and wrk are always needed; wrk is installed when missing
  local tool
  for tool in curl jq python3 "$@"; do
    command -v "$tool" >/dev/null || bench_fail "$tool is required"
  done
  if ! command -v wrk >/dev/null; then
    echo "$BENCH_NAME: installing wrk..." >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } \
      || bench_fail "cannot install wrk (needs root and the package index)"
  fi
}

# The launcher builds the jar when it is missing or older than the sources; a tree that does not compile
# right now (others at work) falls back to the jar already built, with a warning.
bench_build_jar() {
  if ! ./wif --help >/dev/null 2>"${TMPDIR:-/tmp}/$BENCH_NAME-build.err"; then
    [ -f "$JAR" ] || { cat "${TMPDIR:-/tmp}/$BENCH_NAME-build.err" >&2; exit 1; }
    echo "$BENCH_NAME: WARNING: building wif.jar failed; using the existing $(date -r "$JAR" '+%H:%M') jar" >&2
  fi
}

bench_workdir() { # creates WORK and the exit trap that stops every tracked process
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/$BENCH_NAME.XXXXXX")"
  PIDS=()
  trap bench_cleanup EXIT
}
bench_track() { PIDS+=("$1"); }
bench_stop() { # pid: stops one tracked process now, waits for it and forgets it (its id may be reused)
  local pid kept=()
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do
    [ "$pid" = "$1" ] || kept+=("$pid")
  done
  PIDS=("${kept[@]}")
}
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_for() { # url [header [seconds [poll-interval]]]: waits (60 s by default) for a 2xx
  local deadline=$((SECONDS + ${3:-60}))
  until curl -sf -o /dev/null ${2:+-H "$2"} "$1"; do
    (( SECONDS < deadline )) || { echo "$BENCH_NAME: $1 did not come up; logs in $WORK" >&2; tail -20 "$WORK"/*.log >&2; exit 1; }
    sleep "${4:-0.3}"
  done
}
now_ms() { date +%s%3N; }

# The one place the OpenWIF server is started (the benches' way: the built jar on the JDK; switching to
# `./wif serve` means changing this function only). Serves `--dev` with a temporary SQLite database and the
# bootstrap admin key from the environment, on 127.0.0.1.
# Usage: start_openwif JAVA_OPTS SERVE_ARGS (each a space-separated list; either may be empty).
# BENCH_PROFILE=1 records the server with JDK Flight Recorder (settings=profile) into bench/target/ and, when
# the server stops (stop_openwif, or the exit trap), prints what bench/lib/jfr-summary.py finds in it: GC
# pauses, where the CPU went, waits over 10 ms (parks, monitors, socket I/O off the idle read), pinned
# virtual threads.
start_openwif() {
  local jfr_opts=""
  if [[ -n "${BENCH_PROFILE:-}" ]]; then
    mkdir -p "$ROOT/bench/target"
    PROFILE_FILE="$ROOT/bench/target/$BENCH_NAME-$(date -u +%Y%m%d-%H%M%S).jfr"
    jfr_opts="-XX:StartFlightRecording=filename=$PROFILE_FILE,dumponexit=true,settings=profile"
  fi
  SERVER_PORT="$(free_port)"
  OPENWIF="http://127.0.0.1:$SERVER_PORT"
  export WIF_BOOTSTRAP_ADMIN_KEY="sk-admin-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
  # Through the launcher, so with the JVM options `./wif serve` uses (WIF_SERVE_JAVA_OPTS replaces them) and its
  # start-up cache (the jar bench_build_jar made, never a rebuild here); the launcher execs java, so $! is
  # the server's pid.
  # shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
  WIF_NO_BUILD=1 WIF_JAVA_OPTS="$jfr_opts $1" ./wif serve --dev --port "$SERVER_PORT" --db "$WORK/wif.db" $2 \
    > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  bench_track "$SERVER_PID"
}

# Stops the server; with BENCH_PROFILE set, prints the profile's summary (the recording is written at exit).
stop_openwif() {
  bench_stop "$SERVER_PID"
  if [[ -n "${BENCH_PROFILE:-}" && -n "${PROFILE_FILE:-}" ]]; then
    if [[ -s "$PROFILE_FILE" ]]; then
      python3 "$ROOT/bench/lib/jfr-summary.py" "$JAVA_HOME/bin/jfr" "$PROFILE_FILE" >&2 \
        || echo "$BENCH_NAME: the profile summary failed; the recording is $PROFILE_FILE" >&2
    else
      echo "$BENCH_NAME: no profile was written to $PROFILE_FILE" >&2
    fi
    PROFILE_FILE=""
  fi
}

start_gce_issuer() { # the Compute Engine metadata emulator as the OIDC issuer, on a free port
  ISSUER_PORT="$(free_port)"
  "${JAVA[@]}" emulate gce-metadata --port "$ISSUER_PORT" > "$WORK/issuer.log" 2>&1 &
  bench_track $!
  wait_for "http://127.0.0.1:$ISSUER_PORT/computeMetadata/v1/project/project-id" "Metadata-Flavor: Google"
}

identity_token() { # audience: one ID token (format=full) from the emulator
  curl -sS --fail -G -H "Metadata-Flavor: Google" \
    "http://127.0.0.1:$ISSUER_PORT/computeMetadata/v1/instance/service-accounts/default/identity" \
    --data-urlencode "audience=$1" --data-urlencode "format=full"
}
mint_tokens() { # count audience file: writes count fresh ID tokens, one a line
  local _
  for _ in $(seq "$1"); do identity_token "$2"; echo; done > "$3"
}
jwt_claims() { # token: its payload as JSON (no verification: the benches read their own tokens)
  cut -d. -f2 <<< "$1" | tr '_-' '/+' | python3 -c 'import base64, sys; s = sys.stdin.read().strip(); print(base64.b64decode(s + "=" * (-len(s) % 4)).decode())'
}

admin() { curl -sS --fail-with-body -H "Authorization: Bearer $WIF_BOOTSTRAP_ADMIN_KEY" -H "Content-Type: application/json" "$@"; }

# A project, a service account, a provider (OIDC discovery of the emulator) and a rule matching the subject of
# the tokens in $1, through the admin API.
configure_openwif() { # tokens-file
  local sub
  sub="$(jwt_claims "$(head -1 "$1")" | jq -r .sub)"
  PROJECT_ID="$(admin -d '{"name": "load-test"}' "$OPENWIF/v1/organization/projects" | jq -r .id)"
  ACCOUNT_ID="$(admin -d '{"name": "load-worker", "create_service_account_only": true}' \
    "$OPENWIF/v1/organization/projects/$PROJECT_ID/service_accounts" | jq -r .id)"
  PROVIDER_ID="$(admin "$OPENWIF/v1/organization/workload_identity_providers" -d "$(jq -n \
    --arg issuer "http://127.0.0.1:$ISSUER_PORT" --arg audience "$AUDIENCE" '{
      name: "load-gce", type: "oidc", issuer: $issuer, audience: $audience,
      verification: {type: "discovery"},
      attribute_transformations: [{attribute: "subject", expression: "assertion.sub"}]}')" | jq -r .id)"
  admin "$OPENWIF/v1/organization/workload_identity_providers/$PROVIDER_ID/federation_rules" -d "$(jq -n \
    --arg sub "$sub" --arg project "$PROJECT_ID" --arg sa "$ACCOUNT_ID" '{
      name: "load-rule", attribute_matchers: {sub: $sub, "openai.subject": $sub},
      project_id: $project, service_account_id: $sa,
      permissions: {type: "service_account_default"}}')" > /dev/null
}

exchange_once() { # tokens-file: one token exchange with its first token; prints the response
  curl -sS --fail-with-body "$OPENWIF/oauth/token" -H "Content-Type: application/json" -d "$(jq -n \
    --arg token "$(head -1 "$1")" --arg provider "$PROVIDER_ID" --arg sa "$ACCOUNT_ID" '{
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: $token, subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      identity_provider_id: $provider, service_account_id: $sa}')"
}

assert_loopback_only() { # pid name: fails when the process listens (TCP or UDP) on anything but loopback
  local outside
  outside="$(ss -H -ltnup 2>/dev/null | grep "pid=$1," | awk '{ print $5 }' \
    | grep -vE '^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]):' || true)"
  [ -z "$outside" ] || bench_fail "$2 listens beyond 127.0.0.1: $(echo $outside)"
}

proc_cpu_ticks() { # pid: user + system CPU of the process so far, in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
proc_rss_kib() { # pid: the process's resident set size now (VmRSS), in KiB
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}
proc_peak_rss_kib() { # pid: the process's peak resident set size so far (VmHWM), in KiB
  awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}
