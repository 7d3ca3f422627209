-- Rotates through prepared requests (one a line: cookie|csrf token|path|content type|body) and
-- gives every request its own rising number in place of SEQ, across wrk's threads.
local counter = 0
local threads = 2
local lines = {}
for line in io.lines(os.getenv("BENCH_REQUESTS")) do
  local parts = {}
  for part in string.gmatch(line, "([^|]*)") do parts[#parts + 1] = part end
  lines[#lines + 1] = parts
end

setup = function(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

local sent = 0
request = function()
  sent = sent + 1
  local n = sent * threads + (thread_id or 0)
  local p = lines[(n % #lines) + 1]
  local body = string.gsub(p[5], "SEQ", tostring(n + 1000))
  return wrk.format("POST", p[3], {
    ["Cookie"] = p[1] .. "; csrftoken=" .. p[2],
    ["X-CSRFToken"] = p[2],
    ["Content-Type"] = p[4],
  }, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"rps": %.1f, "p50": %.3f, "p95": %.3f, "requests": %d, "errors": %d}\n',
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests, errors))
end
