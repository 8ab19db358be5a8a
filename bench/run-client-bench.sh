#!/usr/bin/env bash
# Builds wif-client and the bench module, then runs the cached-token JMH benchmark with a short, bounded
# configuration (1 fork, 2 x 1 s warm-up, 3 x 1 s measurement per benchmark: about 15 s of measuring)
# and prints the figure. Usage: bench/run-client-bench.sh [extra JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MVN_OFFLINE="${MVN_OFFLINE:--o}"

mvn -B -q $MVN_OFFLINE -pl wif-client install -DskipTests
mvn -B -q $MVN_OFFLINE -pl bench package -DskipTests
classpath() {
  mvn -B -q "$@" -pl bench org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null 2>&1
}
# Offline first; the first run may need to fetch the dependency plugin's own dependencies.
classpath $MVN_OFFLINE || classpath

CP="bench/target/classes:$(cat bench/target/classpath.txt)"
RESULT=bench/target/client-bench.json
timeout 300 "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main 'dev.openwif.bench.client.CachedTokenBenchmark' \
  -f 1 -wi 2 -w 1s -i 3 -r 1s -tu ns -bm avgt -rf json -rff "$RESULT" "$@"

echo
if ! command -v python3 >/dev/null; then
  grep -E '"benchmark"|"score"' "$RESULT"
  exit 0
fi
python3 - "$RESULT" <<'PY'
import json, sys
for run in json.load(open(sys.argv[1])):
    m = run["primaryMetric"]
    name = run["benchmark"].rsplit(".", 1)[1]
    print(f"{name} (threads={run['threads']}): {m['score']:.1f} ± {m['scoreError']:.1f} {m['scoreUnit']}")
print("target: cachedAccessToken < 100 ns/op; baselineClockRead is the clock read it contains")
PY
