// Opens SSE_CLIENTS concurrent streaming requests (POST /v1/chat/completions, "stream": true) to URL with
// the bearer token in WIF_LOAD_ACCESS_TOKEN, reads every stream to its end, and prints one RESULT line:
// streams started/completed/failed, events received, the time to the first event (p50/p99/max over the
// streams) and the wall time. With SSE_CLIENT_READ_MS > 0 each stream is read that long and then dropped
// (counted as completed; a warm-up). Node.js, no packages; loopback only; gives up after SSE_CLIENT_TIMEOUT_MS.
"use strict";
const http = require("http");

const url = new URL(process.env.URL);
const clients = Number(process.env.SSE_CLIENTS || 1000);
const timeoutMs = Number(process.env.SSE_CLIENT_TIMEOUT_MS || 120000);
const token = process.env.WIF_LOAD_ACCESS_TOKEN;
const readMs = Number(process.env.SSE_CLIENT_READ_MS || 0);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const body = JSON.stringify({ model: "bench", stream: true, messages: [{ role: "user", content: "stream" }] });
const firstEventMs = [];
let completed = 0, failed = 0, events = 0, bytes = 0, finished = 0;
const statuses = {};
const start = Date.now();

function done() {
  if (++finished < clients) return;
  report();
}
function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}
function report() {
  const sorted = firstEventMs.slice().sort((a, b) => a - b);
  console.log(`RESULT streams=${clients} completed=${completed} failed=${failed} events=${events} ` +
    `mb=${(bytes / 1e6).toFixed(1)} first_event_p50_ms=${pct(sorted, 50)} first_event_p99_ms=${pct(sorted, 99)} ` +
    `first_event_max_ms=${sorted.length ? sorted[sorted.length - 1] : NaN} wall_s=${((Date.now() - start) / 1000).toFixed(1)} ` +
    `statuses=${JSON.stringify(statuses)}`);
  process.exit(0);
}
setTimeout(() => { console.log("sse-clients: timed out"); report(); }, timeoutMs).unref();

for (let i = 0; i < clients; i++) {
  const t0 = Date.now();
  let settled = false;
  const finish = (ok) => {
    if (settled) return;
    settled = true;
    if (ok) completed++; else failed++;
    done();
  };
  const req = http.request({
    host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent,
    headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token,
               "Content-Length": Buffer.byteLength(body) },
  }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
    let seen = false, tail = "";
    res.setEncoding("utf8");
    res.on("data", (s) => {
      bytes += s.length;
      if (!seen) { seen = true; firstEventMs.push(Date.now() - t0); }
      const text = tail + s;
      const parts = text.split("\n\n");
      tail = parts.pop();
      events += parts.filter((p) => p.startsWith("data: ")).length;
    });
    res.on("end", () => finish(res.statusCode === 200));
    if (readMs > 0) {
      setTimeout(() => { finish(res.statusCode === 200); req.destroy(); }, readMs);
    }
    res.on("error", () => finish(false));
  });
  req.on("error", () => finish(false));
  req.end(body);
}
