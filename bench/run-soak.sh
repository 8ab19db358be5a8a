#!/usr/bin/env bash
# Soak test of a real OpenWIF server process, on 127.0.0.1 only, for a bounded time (default 10 minutes).
#
# Starts a private PostgreSQL cluster (initdb into a temporary directory, its own port on 127.0.0.1, trust
# auth; as root, initdb and postgres run as the `postgres` user), `wif serve --dev` on it, and the Java driver
# dev.openwif.bench.soak.SoakDriver, which serves the OIDC issuer itself (real HTTP on 127.0.0.1), configures
# the server through the admin API and then, for the duration, sends good and hostile token exchanges, good
# and hostile /v1 calls and admin writes; at 25 % of the run it takes the issuer down, at 55 % it stops the
# database and starts it again. At the end it reads the audit log and every acknowledged admin object back
# and prints the figures (Markdown) and one line per invariant: zero wrongly accepted tokens, zero lost
# acknowledged admin writes, audit rows accounted for, flat memory, good traffic served outside the fault
# windows. Exit status 0 only when every invariant held. Everything it starts is stopped on exit.
# Without PostgreSQL binaries (/usr/lib/postgresql/*/bin) it says so and runs on SQLite without the restart.
#
# Usage: bench/run-soak.sh [--duration 10m|90s|600]   (at least 60 s)
# Settings (environment): SOAK_ISSUER_DOWN (seconds the issuer is down; default min(60, 15 % of the run)),
# SOAK_DB_DOWN (seconds the database is down; default min(20, 10 % of the run)), SOAK_SAMPLE_EVERY (seconds
# between heap samples; default min(30, a sixth of the run)), SOAK_SERVE_ARGS (extra `wif serve` flags),
# SOAK_SERVER_JAVA_OPTS (server JVM options), SOAK_PG_BIN (the directory holding initdb and pg_ctl; default the
# newest /usr/lib/postgresql/*/bin), SOAK_KEEP=1 (keep the work directory: logs, database).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR="$ROOT/wif-cli/target/wif.jar"

die() { echo "run-soak: $*" >&2; exit 2; }

DURATION=600
while (( $# > 0 )); do
  case "$1" in
    --duration)
      (( $# >= 2 )) || die "--duration needs a value (e.g. 10m, 90s, 600)"
      case "$2" in
        *m) n="${2%m}"; mult=60 ;;
        *s) n="${2%s}"; mult=1 ;;
        *) n="$2"; mult=1 ;;
      esac
      [[ "$n" =~ ^[0-9]+$ ]] || die "--duration must be a whole number of seconds or minutes (10m, 90s, 600), was '$2'"
      DURATION=$(( n * mult ))
      (( DURATION >= 60 )) || die "--duration must be at least 60 s, was '$2'"
      shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (usage: bench/run-soak.sh [--duration 10m])" ;;
  esac
done
for tool in curl python3; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

# ---- build: the server jar (the launcher rebuilds it when sources changed) and the driver's classes ----
# (bench/ is left out of the jar's staleness check: the server does not contain it)
if [ ! -f "$JAR" ] || [ -n "$(find . -path ./bench -prune -o -path '*/target' -prune -o -path ./.git -prune -o \
       \( -name '*.java' -o -name '*.jte' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$JAR" -print -quit)" ]; then
  if ! ./wif build >/dev/null 2>"${TMPDIR:-/tmp}/run-soak-build.err"; then
    [ -f "$JAR" ] || { cat "${TMPDIR:-/tmp}/run-soak-build.err" >&2; exit 1; }
    echo "run-soak: WARNING: building wif.jar failed; using the existing $(date -r "$JAR" '+%H:%M') jar" >&2
  fi
fi
CP_FILE="$ROOT/bench/target/soak-classpath.txt"
stale() { # true when a source the driver needs is newer than its classpath file
  [ ! -f "$CP_FILE" ] && return 0
  [ -n "$(find bench wif-core wif-store wif-client wif-testkit pom.xml -path '*/target' -prune -o \
           \( -name '*.java' -o -name 'pom.xml' \) -newer "$CP_FILE" -print -quit)" ]
}
if stale; then
  echo "run-soak: building the soak driver (bench and the modules it uses)..." >&2
  mvn_build() {
    MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -q "$@" -pl bench -am package \
      org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -DskipTests \
      -Dmdep.outputFile="$CP_FILE.tmp" -Dmdep.includeScope=runtime
  }
  # Offline first; the first run may need to fetch JMH and the dependency plugin from Maven Central.
  mvn_build -o >/dev/null 2>&1 || mvn_build || die "building the soak driver failed"
  mv "$CP_FILE.tmp" "$CP_FILE"
fi
DRIVER_CP="$ROOT/bench/target/classes:$(cat "$CP_FILE")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wif-soak.XXXXXX")"
chmod 755 "$WORK"
PIDS=()
PG_STOP=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$PG_STOP" ] && sh "$PG_STOP" immediate >/dev/null 2>&1 || true
  if [ "${SOAK_KEEP:-0}" = 1 ]; then echo "run-soak: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_for() { # url: waits up to 60 s for a 2xx
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null "$1"; do
    (( SECONDS < deadline )) || { echo "run-soak: $1 did not come up; logs in $WORK" >&2; tail -20 "$WORK"/*.log >&2; exit 1; }
    sleep 0.3
  done
}

# ---- a private PostgreSQL cluster, so the run can restart it without touching the machine's own ----
PG_BIN="${SOAK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}"
DB_ARGS=()
if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then
  PG_PORT="$(free_port)"
  PGDATA="$WORK/pgdata"
  mkdir -p "$WORK/pg"
  AS_PG=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to run PostgreSQL as"
    chown postgres "$WORK/pg"
    AS_PG=(runuser -u postgres --)
    install -d -o postgres -m 700 "$PGDATA"
  fi
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-sync > "$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  PG_OPTS="-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=50"
  # pg-start.sh / pg-stop.sh [mode]: what the driver runs for the restart (and the cleanup)
  printf '%s\n' "exec ${AS_PG[*]} '$PG_BIN/pg_ctl' -D '$PGDATA' -w -t 60 -l '$WORK/pg/postgres.log' -o '$PG_OPTS' start" > "$WORK/pg-start.sh"
  printf '%s\n' "exec ${AS_PG[*]} '$PG_BIN/pg_ctl' -D '$PGDATA' -w -t 60 -m \"\${1:-fast}\" stop" > "$WORK/pg-stop.sh"
  sh "$WORK/pg-start.sh" > /dev/null || { tail -20 "$WORK/pg/postgres.log" >&2; die "PostgreSQL did not start"; }
  PG_STOP="$WORK/pg-stop.sh"
  "${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres wif
  DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/wif"
  DB_ARGS=(--db-stop-command "sh $WORK/pg-stop.sh fast" --db-start-command "sh $WORK/pg-start.sh")
  echo "run-soak: private PostgreSQL $("$PG_BIN/postgres" --version | grep -oE '[0-9]+(\.[0-9]+)?' | head -1) on 127.0.0.1:$PG_PORT (data in $PGDATA)" >&2
else
  echo "run-soak: WARNING: no PostgreSQL binaries (initdb, pg_ctl) in ${PG_BIN:-/usr/lib/postgresql/*/bin} (Debian: apt-get install postgresql);" >&2
  echo "run-soak: WARNING: running on SQLite WITHOUT the database restart: the report says so." >&2
  DB_URL="$WORK/wif.db"
fi

# ---- the server ----
SERVER_PORT="$(free_port)"
ADMIN_KEY="sk-admin-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
# shellcheck disable=SC2086 # the *_ARGS / *_OPTS settings are lists
WIF_BOOTSTRAP_ADMIN_KEY="$ADMIN_KEY" "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow ${SOAK_SERVER_JAVA_OPTS:-} \
  -jar "$JAR" serve --dev --port "$SERVER_PORT" --db "$DB_URL" --trusted-proxy 127.0.0.1 ${SOAK_SERVE_ARGS:-} \
  > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($!)
wait_for "http://127.0.0.1:$SERVER_PORT/healthz"

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), cores: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); database: ${DB_URL%%@*}@...; duration: ${DURATION} s; 1-min load average at start: $(cut -d' ' -f1 /proc/loadavg)"
echo

# ---- the driver ----
DRIVER_ARGS=(--server "http://127.0.0.1:$SERVER_PORT" --server-pid "$SERVER_PID" --duration "$DURATION"
  --jcmd "$JAVA_HOME/bin/jcmd")
[ -n "${SOAK_ISSUER_DOWN:-}" ] && DRIVER_ARGS+=(--issuer-down "$SOAK_ISSUER_DOWN")
[ -n "${SOAK_DB_DOWN:-}" ] && DRIVER_ARGS+=(--db-down "$SOAK_DB_DOWN")
[ -n "${SOAK_SAMPLE_EVERY:-}" ] && DRIVER_ARGS+=(--sample-every "$SOAK_SAMPLE_EVERY")
set +e
WIF_SOAK_ADMIN_KEY="$ADMIN_KEY" timeout $(( DURATION + 900 )) "$JAVA_HOME/bin/java" -cp "$DRIVER_CP" \
  dev.openwif.bench.soak.SoakDriver "${DRIVER_ARGS[@]}" "${DB_ARGS[@]}"
STATUS=$?
set -e
echo
echo "server log: $(grep -c ' ERROR ' "$WORK/server.log" || true) ERROR lines, $(grep -c ' WARN ' "$WORK/server.log" || true) WARN lines;" \
  "1-min load average at the end: $(cut -d' ' -f1 /proc/loadavg)"
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "run-soak: the server process died during the run; last lines of its log:" >&2
  tail -20 "$WORK/server.log" >&2
  STATUS=1
fi
(( STATUS == 124 )) && echo "run-soak: the driver overran its time bound and was stopped" >&2
exit "$STATUS"
