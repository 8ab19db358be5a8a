"""Prints run-vs-keycloak.sh's table from its results file.

Usage: vs-keycloak-table.py RESULTS CLOCK_TICKS_PER_SECOND. Each line of RESULTS is a name and key=value
pairs: a wrk run (openwif_c16, openwif_c64, openwif_models, keycloak_c16, keycloak_c64: the RESULT line of
bench/load/status-counts.lua plus server_cpu_ticks and load) or a side's facts (openwif_meta,
keycloak_meta: start_ms, peak_rss_kib). A side that did not run shows "-".
"""

import sys

runs: dict[str, dict[str, str]] = {}
for line in open(sys.argv[1]):
    name, *pairs = line.split()
    runs.setdefault(name, {}).update(p.split("=", 1) for p in pairs)
ticks_per_second = float(sys.argv[2])


def run(name):
    return runs.get(name)


def ok_per_second(r):
    return int(r["s2xx"]) / float(r["duration_s"])


def errors(r):
    non_2xx = int(r["requests"]) - int(r["s2xx"])
    return f"{non_2xx:,} non-2xx, {int(r['socket_errors']):,} socket"


def cpu_us(r):
    return 1e6 * int(r["server_cpu_ticks"]) / ticks_per_second / max(int(r["requests"]), 1)


def cell(side, figure):
    """The value of one figure for side ('openwif' or 'keycloak') as text, and the number the target is
    checked against (None when there is none)."""
    c16, c64, meta = run(f"{side}_c16"), run(f"{side}_c64"), run(f"{side}_meta") or {}
    if figure == "rate":
        return (f"{ok_per_second(c16):,.0f}", ok_per_second(c16)) if c16 else ("-", None)
    if figure == "latency":
        if not c16:
            return "-", None
        return (f"p50 {c16['p50_ms']}, p99 {c16['p99_ms']}, max {c16['max_ms']} ms; {errors(c16)}",
                float(c16["p99_ms"]))
    if figure == "over":
        if not c64:
            return "-", None
        over = int(c64["over_1s"]) + int(c64["timeouts"])
        return f"{over:,} of {int(c64['requests']):,} (max {c64['max_ms']} ms)", over
    if figure == "shed":
        if not c64:
            return "-", None
        n, shed = int(c64["requests"]), int(c64["s503"])
        share = 100 * shed / max(n, 1)
        text = f"{share:.2f} % ({shed:,} 503, {int(c64['s503_retry_after']):,} with Retry-After); {errors(c64)}"
        # a 503 without Retry-After is not graceful shedding: count it against the target
        return text, share if shed == int(c64["s503_retry_after"]) else float("inf")
    if figure == "models":
        models = run(f"{side}_models")
        if side == "keycloak":
            return "no such endpoint", None
        if not models:
            return "-", None
        return (f"{ok_per_second(models):,.0f} (p99 {models['p99_ms']} ms; {errors(models)})",
                ok_per_second(models))
    if figure == "cpu":
        return (f"{cpu_us(c16):,.0f} µs", cpu_us(c16)) if c16 else ("-", None)
    if figure == "rss":
        if "peak_rss_kib" not in meta:
            return "-", None
        mib = int(meta["peak_rss_kib"]) / 1024
        return f"{mib:,.0f} MiB", mib
    if figure == "start":
        if "start_ms" not in meta:
            return "-", None
        seconds = int(meta["start_ms"]) / 1000
        return f"{seconds:.2f} s", seconds
    if figure == "ratio":
        kc16 = run("keycloak_c16")
        if side == "keycloak" or not c16 or not kc16:
            return "-", None
        if ok_per_second(kc16) == 0:
            return "Keycloak served no 2xx", None
        ratio = ok_per_second(c16) / ok_per_second(kc16)
        return f"{ratio:.1f}×", ratio
    raise ValueError(figure)


ROWS = [
    ("rate", "`POST /oauth/token` exchanges/s (2xx), c16", "≥ 12,000", lambda v: v >= 12000),
    ("latency", "latency at c16; errors", "p99 ≤ 10 ms", lambda v: v <= 10),
    ("over", "c64: responses slower than 1 s", "none", lambda v: v == 0),
    ("shed", "c64: share shed with 503 + Retry-After", "≤ 1 %", lambda v: v <= 1),
    ("models", "`GET /v1/models`, cached token, c64 (req/s)", "≥ 60,000", lambda v: v >= 60000),
    ("cpu", "server CPU per exchange (c16)", "≤ 120 µs", lambda v: v <= 120),
    ("rss", "peak RSS under load", "≤ 256 MiB", lambda v: v <= 256),
    ("start", "start to first health check (built)", "≤ 1.5 s", lambda v: v <= 1.5),
    ("ratio", "vs Keycloak federated flow (exchanges/s at c16)", "≥ 15×", lambda v: v >= 15),
]

print("| figure | target | OpenWIF | Keycloak | met |")
print("|---|---|---|---|---|")
for figure, label, target, met in ROWS:
    ours, value = cell("openwif", figure)
    theirs, _ = cell("keycloak", figure)
    verdict = "-" if value is None else ("yes" if met(value) else "**no**")
    print(f"| {label} | {target} | {ours} | {theirs} | {verdict} |")
print()
for name, r in runs.items():
    if "load" in r:
        print(f"{name}: {int(r['requests']):,} requests in {r['duration_s']} s, p90 {r['p90_ms']} ms, "
              f"statuses other than 2xx/429/503: {r['other_statuses']}, 1-min load average {r['load']}")
print("Keycloak: federated client authentication (feature client-auth-federated, authenticator federated-jwt),")
print("client_credentials with the emulator's ID token as client_assertion; assertion reuse permitted (the")
print("tokens carry no jti). Its start is `kc.sh start --optimized` after an unmeasured `kc.sh build`, to the")
print("management interface's /health/ready. Server CPU: user + system time of the server process during the")
print("measured run, per request; RSS: VmHWM of the server process after its runs.")
