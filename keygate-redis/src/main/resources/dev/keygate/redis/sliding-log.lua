-- An exact sliding log (SPEC section 4), atomic: a request is accepted when fewer than `limit`
-- accepted requests are younger than the window; a refused request is not counted.
-- KEYS[1]  the bucket's sorted set: member = a unique request id, score = accept time (ms)
-- ARGV[1]  limit   ARGV[2] window (ms)   ARGV[3] "1" to count the request, "0" to only look
-- ARGV[4]  member  ARGV[5] now (ms), or "" to use Redis's own clock
-- Returns {accepted (1/0), counted requests in the window, ms until the oldest leaves it (0 if none)}.
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now
if ARGV[5] == "" then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  now = tonumber(ARGV[5])
end
-- A request leaves the window when now - accepted >= window.
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local size = redis.call('ZCARD', key)
local accepted = 0
if size < limit then
  accepted = 1
  if ARGV[3] == "1" then
    redis.call('ZADD', key, now, ARGV[4])
    size = size + 1
  end
end
local wait = 0
if size > 0 then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  wait = tonumber(oldest[2]) + window - now
  -- The key lives until its newest entry leaves the window: every Redis key has a TTL.
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', key, tonumber(newest[2]) + window - now)
end
return {accepted, size, wait}
