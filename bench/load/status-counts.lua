-- Shared by the wrk scripts of run-load.sh: counts responses by status in every wrk thread and, when the
-- run ends, prints one machine-readable line with the figures run-load.sh reports:
--   RESULT requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. s2xx=.. s429=.. s503=.. other=.. socket_errors=..
--     s503_retry_after=.. (the 503s that carried Retry-After) timeouts=.. over_1s=.. (responses slower than 1 s)
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  retry_after = 0
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 503 and (headers["Retry-After"] or headers["retry-after"]) then
    retry_after = retry_after + 1
  end
end

-- How many completed responses took more than `limit_us`. wrk keeps the latencies as a histogram that Lua
-- reads only through percentile(), so this finds the highest percentile still within the limit (bisection
-- to well below one request) and counts what lies above it.
local function count_over(latency, limit_us, requests)
  if latency.max <= limit_us or requests == 0 then
    return 0
  end
  local low, high = 0, 100
  for _ = 1, 60 do
    local mid = (low + high) / 2
    if latency:percentile(mid) <= limit_us then low = mid else high = mid end
  end
  return math.max(1, math.floor((100 - low) / 100 * requests + 0.5))
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  local ok, s429, s503, other, s503_retry_after = 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s503_retry_after = s503_retry_after + thread:get("retry_after")
  end
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
      .. "s2xx=%d s429=%d s503=%d other=%d other_statuses=%s socket_errors=%d s503_retry_after=%d timeouts=%d "
      .. "over_1s=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, ok, s429, s503, other, (#others > 0 and table.concat(others, ",") or "-"),
    e.connect + e.read + e.write + e.timeout, s503_retry_after, e.timeout,
    count_over(latency, 1000000, summary.requests)))
end
