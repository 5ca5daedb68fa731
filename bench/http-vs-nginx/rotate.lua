-- wrk script: GET the path given as the 2nd argument, sending the keys of the file given as the
-- 1st argument (one a line) in turn, each connection's thread from its own offset. Reports exact
-- figures for bench/http-vs-nginx/run on its last lines.
--   wrk -t1 -c64 -d10s --latency -s rotate.lua https://127.0.0.1:8443 -- keys.txt /api/v1/ping
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  keys = {}
  for line in io.lines(args[1]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  path = args[2] or "/api/v1/ping"
  i = math.random(#keys)
end

function request()
  i = i % #keys + 1
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. keys[i] })
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("wrk_requests=%d wrk_duration_us=%d wrk_p50_us=%d wrk_p99_us=%d wrk_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
