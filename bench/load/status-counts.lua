-- Shared by the wrk scripts of run-load.sh: counts responses by status in every wrk thread and, when the
-- run ends, prints one machine-readable line with the figures run-load.sh reports:
--   RESULT requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. s2xx=.. s429=.. s503=.. other=.. socket_errors=..
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  local ok, s429, s503, other = 0, 0, 0, 0
  local others = {}
  for status, n in pairs(total) do
    if status >= 200 and status < 300 then ok = ok + n
    elseif status == 429 then s429 = s429 + n
    elseif status == 503 then s503 = s503 + n
    else other = other + n; table.insert(others, status .. ":" .. n) end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
      .. "s2xx=%d s429=%d s503=%d other=%d other_statuses=%s socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, ok, s429, s503, other, (#others > 0 and table.concat(others, ",") or "-"),
    e.connect + e.read + e.write + e.timeout))
end
