// A slow OpenAI-style streaming upstream for run-proxy-bench.sh (Node.js, no packages): every POST or GET
// under /v1/ is answered 200 text/event-stream with one chat.completion.chunk event of about
// SSE_EVENT_BYTES bytes every SSE_INTERVAL_MS ms, for SSE_STREAM_MS ms, then "data: [DONE]".
// Listens on 127.0.0.1:PORT only. Prints "ready" when listening and, on SIGTERM, how many streams it served.
"use strict";
const http = require("http");

const port = Number(process.env.PORT);
const eventBytes = Number(process.env.SSE_EVENT_BYTES || 1024);
const intervalMs = Number(process.env.SSE_INTERVAL_MS || 250);
const streamMs = Number(process.env.SSE_STREAM_MS || 30000);
const filler = "x".repeat(Math.max(1, eventBytes - 160));
let open = 0, served = 0, maxOpen = 0;

const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
  open++; served++; maxOpen = Math.max(maxOpen, open);
  const started = Date.now();
  let n = 0;
  const send = () => {
    if (Date.now() - started >= streamMs) {
      clearInterval(timer);
      res.end("data: [DONE]\n\n");
      return;
    }
    const chunk = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1700000000, model: "bench",
      choices: [{ index: 0, delta: { content: filler }, finish_reason: null }], n: n++ };
    res.write("data: " + JSON.stringify(chunk) + "\n\n");
  };
  const timer = setInterval(send, intervalMs);
  send();
  res.on("close", () => { clearInterval(timer); open--; });
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 125000;
server.maxConnections = 100000;
server.listen(port, "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => {
  console.log(`served=${served} max_open=${maxOpen}`);
  process.exit(0);
});
