-- Rotates through prepared requests (one a line: cookie|csrf token|path|content type|body) and
-- gives every request its own rising number in place of SEQ, across wrk's threads.
local counter = 0
local threads = 2
local lines = {}
for line in io.lines(os.getenv("BENCH_REQUESTS")) do
  local parts = {}
  for part in string.gmatch(line, "[^|]+") do parts[#parts + 1] = part end
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

-- The same closing report as the GET targets.
dofile(os.getenv("BENCH_LUA_DIR") .. "/latency.lua")
