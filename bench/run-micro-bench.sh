#!/usr/bin/env bash
# Builds the server's core modules and the bench module, then runs the exchange-path JMH benchmarks
# (dev.openwif.bench.micro.ExchangePathBenchmark) with a short, bounded configuration: 1 fork,
# 4 x 2 s warm-up and 4 x 2 s measurement per benchmark, 5 benchmarks: about 80 s of running plus a few
# seconds of JVM start and set-up per benchmark (under 2 minutes).
# Prints ops/s and µs/op per benchmark (wall clock), and the CPU time per operation measured on the worker
# thread (CpuTimeProfiler) with the ops/s per core it implies: on a shared machine the wall-clock figures
# fall with the load, the CPU figures much less. The load average before and after is printed too.
# Usage: bench/run-micro-bench.sh [extra JMH options, e.g. a benchmark name regex or -t 2]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MVN_OFFLINE="${MVN_OFFLINE:--o}"

mvn -B -q $MVN_OFFLINE -pl bench -am install -DskipTests
classpath() {
  mvn -B -q "$@" -pl bench org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null 2>&1
}
# Offline first; the first run may need to fetch the dependency plugin's own dependencies.
classpath $MVN_OFFLINE || classpath

CP="bench/target/classes:$(cat bench/target/classpath.txt)"
RESULT=bench/target/micro-bench.json
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$#" -eq 0 ]; then
  set -- 'dev.openwif.bench.micro.ExchangePathBenchmark'
fi
timeout 300 "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main \
  -f 1 -wi 4 -w 2s -i 4 -r 2s -bm thrpt -tu s -rf json -rff "$RESULT" \
  -jvmArgsAppend "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow" \
  -prof dev.openwif.bench.micro.CpuTimeProfiler "$@"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), cores: $(nproc), JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "load average (1/5/15 min): before ${LOAD_BEFORE}, after ${LOAD_AFTER}"
python3 - "$RESULT" <<'PY'
import json, sys
def secondary(run, name):
    for key, metric in run.get("secondaryMetrics", {}).items():
        if key.endswith(name):
            return metric["score"]
    return float("nan")
print(f"| {'benchmark':<22} | thr | {'ops/s':>9} | {'± 99.9 %':>9} | {'µs/op':>8} | {'CPU µs/op':>9} | {'ops/s/core':>10} | {'CPU got':>7} |")
print(f"|{'-' * 24}|-----|{'-' * 11}|{'-' * 11}|{'-' * 10}|{'-' * 11}|{'-' * 12}|{'-' * 9}|")
for run in json.load(open(sys.argv[1])):
    m = run["primaryMetric"]
    name, threads, score, err = run["benchmark"].rsplit(".", 1)[1], run["threads"], m["score"], m["scoreError"]
    if run.get("params"):
        name += " (" + ", ".join(str(v) for v in run["params"].values()) + ")"
    us = threads * 1e6 / score if score > 0 else float("inf")
    cpu = secondary(run, "cpu.worker")
    per_core = 1e6 / cpu if cpu > 0 else float("nan")
    share = secondary(run, "cpu.share")
    print(f"| {name:<22} | {threads:>3} | {score:>9,.0f} | {err:>9,.0f} | {us:>8.2f} | {cpu:>9.2f} | {per_core:>10,.0f} | {share:>7.2f} |")
print("ops/s and µs/op: wall clock. CPU µs/op: CPU time of the benchmark thread per operation; ops/s/core = 1e6 / that;")
print("CPU got: the share of one core the benchmark thread obtained (below 1.0 = the machine was busy elsewhere).")
PY
