#!/usr/bin/env python3
"""Summarises a JDK Flight Recorder file of an OpenWIF server under load (bench: BENCH_PROFILE=1).

Usage: jfr-summary.py JFR_TOOL RECORDING

Prints: GC pauses (count, total, p50/p99/max), where the sampled Java CPU went (by the innermost OpenWIF
frame, and the hottest methods), native samples, waits over 10 ms (thread parks, monitor enters, socket
reads/writes) by where they happened, excluding idle waits (a keep-alive connection waiting for its next
request, pool threads waiting for work), and pinned virtual threads. What JFR's 'profile' settings
record: Java samples every 10-20 ms per thread, parks and monitor waits over 10 ms.
"""
import collections
import json
import subprocess
import sys

JFR, RECORDING = sys.argv[1], sys.argv[2]


def events(names, depth=48):
    out = subprocess.run([JFR, "print", "--json", "--stack-depth", str(depth), "--events", names, RECORDING],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return json.loads(out)["recording"]["events"]


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    result = []
    for f in trace.get("frames") or []:
        m = f["method"]
        owner = m["type"]["name"].replace("/", ".")
        if "$$Lambda" in owner or owner.startswith("java.lang.invoke."):
            continue  # a lambda's frame says nothing; the method it calls follows
        result.append(owner + "." + m["name"])
    return result


def millis(duration):  # JFR's JSON durations are ISO-8601 ("PT0.012S")
    text = str(duration)
    if text.startswith("PT") and text.endswith("S"):
        return float(text[2:-1]) * 1000
    return float("nan")


def innermost_openwif(fs):
    return next((f for f in fs if f.startswith("dev.openwif.")), None)


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def section(title):
    print(f"\n== {title}")


print(f"profile: {RECORDING}")

pauses = [millis(e["values"]["duration"]) for e in events("jdk.GCPhasePause", 1)]
section("GC pauses")
if pauses:
    print(f"{len(pauses)} pauses, {sum(pauses):,.0f} ms in all; p50 {pct(pauses, 50):.1f} ms, p99 {pct(pauses, 99):.1f} ms, "
          f"max {max(pauses):.1f} ms")
else:
    print("none")

samples = [frames(e) for e in events("jdk.ExecutionSample")]
section(f"Java CPU samples: {len(samples)} (innermost OpenWIF frame; 'framework' = no OpenWIF frame on the stack)")
by_frame = collections.Counter(innermost_openwif(fs) or "framework: " + (fs[0] if fs else "?") for fs in samples)
for name, n in by_frame.most_common(15):
    print(f"{100 * n / max(len(samples), 1):5.1f} %  {name}")
section("hottest methods (top frame)")
for name, n in collections.Counter(fs[0] for fs in samples if fs).most_common(12):
    print(f"{100 * n / max(len(samples), 1):5.1f} %  {name}")
native = events("jdk.NativeMethodSample", 4)
section(f"native samples: {len(native)} (threads in native code: socket waits, native crypto)")
for name, n in collections.Counter((frames(e) or ["?"])[0] for e in native).most_common(6):
    print(f"{100 * n / max(len(native), 1):5.1f} %  {name}")

IDLE = ("ArrayBlockingQueue.poll", "Object.wait0", "ReferenceQueue.remove", "Net.accept", "DelayedWorkQueue.take", "LinkedBlockingQueue.take", "ThreadPoolExecutor.getTask",
        "ForkJoinPool.awaitWork", "Http1Connection.handle", "DataReader.pullData", "Thread.sleep")
section("waits over 10 ms, not idle (count, total ms, max ms, where)")
waits = collections.defaultdict(list)
for kind in ("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.SocketRead", "jdk.SocketWrite"):
    for e in events(kind):
        fs = frames(e)
        text = " ".join(fs)
        if kind in ("jdk.ThreadPark", "jdk.SocketRead", "jdk.JavaMonitorWait") \
                and any(i in " ".join(fs[:8]) for i in IDLE):
            continue  # a thread waiting for work, not work waiting
        if kind == "jdk.SocketRead" and "Http1Prologue" in text:
            continue  # a keep-alive connection waiting for its next request
        where = innermost_openwif(fs) or (fs[0] if fs else "?")
        waits[(kind.split(".")[1], where)].append(millis(e["values"]["duration"]))
if not waits:
    print("none")
for (kind, where), ds in sorted(waits.items(), key=lambda kv: -sum(kv[1]))[:15]:
    print(f"{kind:16s} {len(ds):6d} {sum(ds):10,.0f} {max(ds):8.0f}  {where}")

pinned = events("jdk.VirtualThreadPinned")
section(f"pinned virtual threads: {len(pinned)}")
for name, n in collections.Counter(innermost_openwif(frames(e)) or "?" for e in pinned).most_common(5):
    print(f"{n:6d}  {name}")
