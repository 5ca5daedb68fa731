-- Counts in the shared sliding log what one node accepted on its own while Redis did not answer
-- (SPEC section 4), atomically, so that those requests count in the window once Redis is back.
-- KEYS[1]  the bucket's sorted set (as in sliding-log.lua)
-- ARGV[1]  window (ms)   ARGV[2] now (ms), or "" to use Redis's own clock
-- ARGV[3]  a member prefix unique to this merge   ARGV[4..] each request's age (ms) when sent
-- Ages, not times, so that the node's and Redis's clocks need not agree.
-- Returns the number of requests added (those still in the window).
local key = KEYS[1]
local window = tonumber(ARGV[1])
local now
if ARGV[2] == "" then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  now = tonumber(ARGV[2])
end
local added = 0
for i = 4, #ARGV do
  local age = tonumber(ARGV[i])
  if age < window then
    redis.call('ZADD', key, now - math.max(age, 0), ARGV[3] .. ':' .. i)
    added = added + 1
  end
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
if newest[2] then
  -- The key lives until its newest entry leaves the window: every Redis key has a TTL.
  redis.call('PEXPIRE', key, tonumber(newest[2]) + window - now)
end
return added
