#!/usr/bin/env bash
# OpenWIF against Keycloak's federated client authentication, in one run on 127.0.0.1, for a bounded time;
# prints one table: each figure of issue 12 with its target, OpenWIF's value, Keycloak's and whether OpenWIF
# meets the target.
#
# Both servers take the same workload identity: an RS256 ID token from the Compute Engine metadata emulator
# (`wif emulate gce-metadata`, the OIDC issuer, started once). They run one after the other, never together:
#   OpenWIF   `wif serve --dev` (started by start_openwif in bench/lib/openwif-load.sh, as run-load.sh does),
#             configured through its admin API; POST /oauth/token (RFC 8693 token exchange) at 16 and at 64
#             connections, then GET /v1/models with one cached access token at 64.
#   Keycloak  the keycloak-quarkus-dist zip from the local Maven repository (fetched with `mvn
#             dependency:get` when missing), unzipped into the temporary directory, built once (`kc.sh build`:
#             in-memory dev database, local caches, feature client-auth-federated, health checks), then
#             `kc.sh start --optimized` with HTTP on 127.0.0.1 and its own JVM defaults; configured through its
#             admin REST API: a realm, an OIDC identity provider for the emulator's issuer and JWKS that
#             accepts client assertions, and a confidential client with the "federated-jwt" authenticator bound
#             to the provider and the token's subject. The load is the client_credentials grant with the ID
#             token as client_assertion (bench/load/keycloak-token.lua) at 16 and at 64 connections.
# Each side: start to first 2xx health check, an unmeasured warm-up, then measured wrk runs; server CPU (user +
# system from /proc) per request, peak RSS (VmHWM) after its runs. Everything started is stopped on exit.
#
# Settings (environment): VS_DURATION (each measured run, 30s), VS_WARMUP (the unmeasured warm-up before
# OpenWIF's first run and before /v1/models, 15s), VS_KEYCLOAK_WARMUP (before Keycloak's first run, 30s),
# VS_THREADS (wrk threads, 2), VS_TOKENS (ID tokens minted per run, 64), VS_SIDES ("openwif keycloak"; one of
# them for a partial run), VS_SERVER_JAVA_OPTS (OpenWIF's JVM options), VS_KEYCLOAK_VERSION (26.5.6).
# A smoke run: VS_DURATION=3s VS_WARMUP=2s VS_KEYCLOAK_WARMUP=2s bench/run-vs-keycloak.sh
# Usage: bench/run-vs-keycloak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BENCH_NAME=run-vs-keycloak
# shellcheck source=bench/lib/openwif-load.sh
. bench/lib/openwif-load.sh
DURATION="${VS_DURATION:-30s}"
WARMUP="${VS_WARMUP:-15s}"
# Keycloak serves far fewer requests in the same time, so its JIT sees fewer calls: it gets a longer warm-up.
KC_WARMUP="${VS_KEYCLOAK_WARMUP:-30s}"
THREADS="${VS_THREADS:-2}"
TOKENS="${VS_TOKENS:-64}"
SIDES="${VS_SIDES:-openwif keycloak}"
KC_VERSION="${VS_KEYCLOAK_VERSION:-26.5.6}"
KC_ZIP="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip"
KC_REALM=bench
STARTED=$SECONDS

bench_require_tools unzip
bench_build_jar
bench_workdir
RESULTS="$WORK/results.txt"
: > "$RESULTS"
record() { echo "$*" | tee -a "$RESULTS" >&2; } # on stderr too: a run that fails later keeps its figures

# measure NAME PID URL SCRIPT CONNECTIONS DURATION: one wrk run; its RESULT line and the server's CPU ticks
# go to the results file.
measure() {
  local cpu_before load_before
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  echo "== $1: wrk -t$THREADS -c$5 -d$6 (1-min load average before: $load_before)" >&2
  cpu_before="$(proc_cpu_ticks "$2")"
  wrk -t"$THREADS" -c"$5" -d"$6" --timeout 10s -s "bench/load/$4" "$3" > "$WORK/$1.out"
  record "$1 $(grep '^RESULT' "$WORK/$1.out" | cut -d' ' -f2-) server_cpu_ticks=$(( $(proc_cpu_ticks "$2") - cpu_before )) load=$load_before->$(cut -d' ' -f1 /proc/loadavg)"
}
warm_up() { # URL SCRIPT CONNECTIONS DURATION: an unmeasured run so that the JIT has compiled the path
  echo "== warm-up: wrk -t$THREADS -c$3 -d$4" >&2
  wrk -t"$THREADS" -c"$3" -d"$4" --timeout 10s -s "bench/load/$2" "$1" > /dev/null
}
time_to_health() { # START_MS URL: waits for a 2xx, polling every 20 ms; prints the milliseconds since START_MS
  wait_for "$2" "" 300 0.02
  echo $(( $(now_ms) - $1 ))
}

export WIF_LOAD_DIR="$ROOT/bench/load"
start_gce_issuer

run_openwif() {
  local started
  started="$(now_ms)"
  start_openwif "${VS_SERVER_JAVA_OPTS:-}" "$RAISED_LIMITS"
  local start_ms
  start_ms="$(time_to_health "$started" "$OPENWIF/healthz")"
  record "openwif_meta start_ms=$start_ms"
  assert_loopback_only "$SERVER_PID" OpenWIF
  unset WIF_BOOTSTRAP_ADMIN_KEY_PRINTED
  mint_tokens "$TOKENS" "$AUDIENCE" "$WORK/openwif-tokens.txt"
  configure_openwif "$WORK/openwif-tokens.txt"
  local access_token
  access_token="$(exchange_once "$WORK/openwif-tokens.txt" | jq -r .access_token)"
  [ -n "$access_token" ] && [ "$access_token" != null ] || bench_fail "the first OpenWIF exchange failed"
  export WIF_LOAD_TOKENS="$WORK/openwif-tokens.txt" WIF_LOAD_PROVIDER="$PROVIDER_ID" WIF_LOAD_ACCOUNT="$ACCOUNT_ID" \
    WIF_LOAD_ACCESS_TOKEN="$access_token"
  curl -sS --fail-with-body -o /dev/null -H "Authorization: Bearer $access_token" "$OPENWIF/v1/models"

  warm_up "$OPENWIF" exchange.lua 16 "$WARMUP"
  measure openwif_c16 "$SERVER_PID" "$OPENWIF" exchange.lua 16 "$DURATION"
  measure openwif_c64 "$SERVER_PID" "$OPENWIF" exchange.lua 64 "$DURATION"
  warm_up "$OPENWIF" models.lua 64 "$WARMUP"
  measure openwif_models "$SERVER_PID" "$OPENWIF" models.lua 64 "$DURATION"
  record "openwif_meta peak_rss_kib=$(proc_peak_rss_kib "$SERVER_PID")"
  stop_openwif
}

keycloak_dist() { # unzips (and first fetches, when missing) the distribution and builds it; sets KC_HOME
  if [ ! -f "$KC_ZIP" ]; then
    command -v mvn >/dev/null || bench_fail "$KC_ZIP is missing and mvn is not installed to fetch it"
    echo "$BENCH_NAME: fetching keycloak-quarkus-dist $KC_VERSION with Maven..." >&2
    timeout 900 mvn -q dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -Dtransitive=false >&2 \
      || bench_fail "cannot fetch org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip"
  fi
  unzip -q "$KC_ZIP" -d "$WORK/kc"
  KC_HOME="$WORK/kc/keycloak-$KC_VERSION"
  echo "$BENCH_NAME: building Keycloak (kc.sh build, unmeasured; about a minute)..." >&2
  timeout 600 "$KC_HOME/bin/kc.sh" build --db=dev-mem --features=client-auth-federated --health-enabled=true \
    > "$WORK/keycloak-build.log" 2>&1 || { tail -20 "$WORK/keycloak-build.log" >&2; bench_fail "kc.sh build failed"; }
}

# The Keycloak server: production mode on the built distribution, HTTP on 127.0.0.1 only, the management
# interface (health) on its own free port, local caches (the default, a cluster, listens on every address),
# a temporary admin from the environment; JVM settings are kc.sh's.
start_keycloak() {
  KC_PORT="$(free_port)"
  KC_MANAGEMENT_PORT="$(free_port)"
  KEYCLOAK="http://127.0.0.1:$KC_PORT"
  KC_ADMIN_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  KC_BOOTSTRAP_ADMIN_USERNAME=bench-admin KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    "$KC_HOME/bin/kc.sh" start --optimized --cache=local --http-enabled=true --http-host=127.0.0.1 \
    --http-port="$KC_PORT" --http-management-port="$KC_MANAGEMENT_PORT" --hostname-strict=false \
    > "$WORK/keycloak.log" 2>&1 &
  KC_SCRIPT_PID=$! # kc.sh runs the JVM as its child and forwards SIGTERM to it
  bench_track "$KC_SCRIPT_PID"
}
keycloak_jvm() { # the server process (kc.sh's child java), measured for CPU and RSS; waits up to 30 s for it
  local deadline=$((SECONDS + 30)) pid=""
  until pid="$(ps -o pid= --ppid "$KC_SCRIPT_PID" -o comm= | awk '$2 == "java" { print $1 }')" && [ -n "$pid" ]; do
    (( SECONDS < deadline )) || bench_fail "kc.sh started no java process; log in $WORK/keycloak.log"
    sleep 0.1
  done
  echo "$pid"
}

kc_admin() { # METHOD PATH [JSON]: one admin REST call with a fresh admin token
  local token
  token="$(curl -sS --fail-with-body "$KEYCLOAK/realms/master/protocol/openid-connect/token" -d grant_type=password \
    -d client_id=admin-cli -d username=bench-admin --data-urlencode "password=$KC_ADMIN_PASSWORD" | jq -r .access_token)"
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    "$KEYCLOAK/admin$2" ${3:+-d "$3"}
}

# Federated client authentication (preview feature client-auth-federated): the identity provider's issuer
# and JWKS verify the assertion; the client is found by the provider's alias and the assertion's subject.
# Google ID tokens, and so the emulator's, carry no jti, so the provider permits assertion reuse (Keycloak's
# one-time-use check needs a jti): that check is skipped, which makes Keycloak's side cheaper, not dearer.
configure_keycloak() { # subject
  local issuer="http://127.0.0.1:$ISSUER_PORT"
  kc_admin POST /realms "$(jq -n --arg realm "$KC_REALM" '{realm: $realm, enabled: true}')"
  kc_admin POST "/realms/$KC_REALM/identity-provider/instances" "$(jq -n --arg issuer "$issuer" '{
    alias: "gce", providerId: "oidc", enabled: true,
    config: {issuer: $issuer, jwksUrl: ($issuer + "/oauth2/v3/certs"), useJwksUrl: "true", validateSignature: "true",
      supportsClientAssertions: "true", supportsClientAssertionReuse: "true"}}')"
  kc_admin POST "/realms/$KC_REALM/clients" "$(jq -n --arg sub "$1" '{
    clientId: "bench-workload", enabled: true, protocol: "openid-connect", publicClient: false,
    serviceAccountsEnabled: true, standardFlowEnabled: false, directAccessGrantsEnabled: false,
    clientAuthenticatorType: "federated-jwt",
    attributes: {"jwt.credential.issuer": "gce", "jwt.credential.sub": $sub}}')"
}

kc_token_once() { # token: one client_credentials grant with it as the assertion; prints the HTTP status
  curl -sS -o "$WORK/keycloak-once.json" -w '%{http_code}' "$KEYCLOAK/realms/$KC_REALM/protocol/openid-connect/token" \
    -d grant_type=client_credentials -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
    -d "client_assertion=$1"
}

run_keycloak() {
  keycloak_dist
  local started
  started="$(now_ms)"
  start_keycloak
  local start_ms
  start_ms="$(time_to_health "$started" "http://127.0.0.1:$KC_MANAGEMENT_PORT/health/ready")"
  record "keycloak_meta start_ms=$start_ms"
  KC_PID="$(keycloak_jvm)" # not tracked: stopping kc.sh stops it, and kc.sh waits for it
  assert_loopback_only "$KC_PID" Keycloak
  local audience="$KEYCLOAK/realms/$KC_REALM" first claims status
  first="$(identity_token "$audience")"
  claims="$(jwt_claims "$first")"
  configure_keycloak "$(jq -r .sub <<< "$claims")"
  status="$(kc_token_once "$first")"
  [ "$status" = 200 ] && [ "$(jq -r .access_token "$WORK/keycloak-once.json")" != null ] \
    || bench_fail "Keycloak refused the federated client assertion ($status): $(cat "$WORK/keycloak-once.json")"
  # The same flow with a token for another audience must fail: Keycloak verifies, it does not wave through.
  status="$(kc_token_once "$(identity_token "$AUDIENCE")")"
  [ "$status" = 401 ] || [ "$status" = 400 ] || bench_fail "Keycloak accepted a token for another audience ($status)"
  echo "$BENCH_NAME: Keycloak: federated assertion accepted, wrong audience refused ($status);" \
    "the emulator's tokens carry jti: $(jq -r 'has("jti")' <<< "$claims")" >&2

  export WIF_LOAD_TOKEN_PATH="/realms/$KC_REALM/protocol/openid-connect/token"
  # Keycloak refuses an assertion issued more than 300 s ago, so every run gets freshly minted tokens.
  local run
  for run in warm-up:16 keycloak_c16:16 keycloak_c64:64; do
    mint_tokens "$TOKENS" "$audience" "$WORK/keycloak-tokens.txt"
    export WIF_LOAD_TOKENS="$WORK/keycloak-tokens.txt"
    if [ "${run%%:*}" = warm-up ]; then
      warm_up "$KEYCLOAK" keycloak-token.lua "${run##*:}" "$KC_WARMUP"
    else
      measure "${run%%:*}" "$KC_PID" "$KEYCLOAK" keycloak-token.lua "${run##*:}" "$DURATION"
    fi
  done
  record "keycloak_meta peak_rss_kib=$(proc_peak_rss_kib "$KC_PID")"
  bench_stop "$KC_SCRIPT_PID"
}

for side in $SIDES; do
  case "$side" in
    openwif) run_openwif ;;
    keycloak) run_keycloak ;;
    *) bench_fail "VS_SIDES: unknown side '$side' (openwif, keycloak)" ;;
  esac
done

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), cores: $(nproc), JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), Keycloak $KC_VERSION"
echo "wrk -t$THREADS on the same cores, $DURATION measured per run after a warm-up ($WARMUP OpenWIF, $KC_WARMUP Keycloak); 127.0.0.1 only; whole script: $(( SECONDS - STARTED )) s"
python3 bench/lib/vs-keycloak-table.py "$RESULTS" "$(getconf CLK_TCK)"
