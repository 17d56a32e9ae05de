-- The push requests chosen by push_candidates (lib.lua) are in Kafka: moves the push cursor and the nudge time on,
-- and records the route, unless another call moved the cursor since (then this one changes nothing).
-- ARGV 1-8: routing arguments (lib.lua); 9 push cursor the candidates started after, 10 new push cursor,
-- 11 new lastNudgeAt, 12.. message ids pushed. Returns 1 when confirmed, 0 when nothing was written.
local now, status_prefix = ARGV[1], ARGV[4]
-- Nothing for a device deleted since the candidates were read (its statuses are settled by the expiry sweep, not
-- moved on), nor for an inbox gone since (a deleted device's inbox expires): a write would recreate its meta hash
-- without the expiry, kept for ever.
if redis.call('EXISTS', RECORD) == 0 or redis.call('EXISTS', META) == 0 then
  return 0
end
local current = redis.call('HGET', META, 'pushCursor') or '0'
if current ~= ARGV[9] then
  return 0
end
redis.call('HSET', META, 'pushCursor', ARGV[10], 'lastNudgeAt', ARGV[11])
for i = 12, #ARGV do
  local key = status_prefix .. ARGV[i]
  if redis.call('EXISTS', key) == 1 and not is_final(redis.call('HGET', key, 'status')) then
    redis.call('HSET', key, 'route', 'push', 'pushRequestedAt', now, 'updatedAt', now)
  end
end
return 1
