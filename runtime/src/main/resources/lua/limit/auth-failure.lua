-- Counts one failed authentication of a source (a client id, an address) and sets how long the source must wait.
-- Java decides the schedule (FailurePolicy); the script only applies it, so concurrent failures on several instances
-- count once each.
-- KEYS[1] the source's failure hash. ARGV[1] now ms, ARGV[2] how long the count lives after the last failure (ms),
-- ARGV[3] ban length ms (0: never banned), ARGV[4..] wait in ms after failure 1, 2, ...: past the list the source is
-- banned when there is a ban, else the last wait repeats.
-- Returns {failures, blockedUntil ms, bannedUntil ms}.
local now, keep, ban = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local steps = #ARGV - 3
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local state = redis.call('HMGET', KEYS[1], 'blockedUntil', 'bannedUntil')
local blocked, banned = tonumber(state[1] or '0'), tonumber(state[2] or '0')
if ban > 0 and failures > steps then
  banned = math.max(banned, now + ban)
  redis.call('HSET', KEYS[1], 'bannedUntil', banned)
  keep = math.max(keep, ban)
else
  local wait = tonumber(ARGV[3 + math.min(failures, steps)])
  if wait > 0 and now + wait > blocked then
    blocked = now + wait
    redis.call('HSET', KEYS[1], 'blockedUntil', blocked)
  end
end
redis.call('PEXPIRE', KEYS[1], keep)
return {failures, blocked, banned}
