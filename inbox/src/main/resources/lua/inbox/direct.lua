-- A message only APNs can carry (a Live Activity event, a VoIP call; RoutingPolicy.isDirectPush): it goes to push
-- whatever the presence, one push each, and never into the inbox or over MQTT. This records its status.
-- ARGV 1-8: routing arguments (lib.lua); 9 message id, 10 status ttl s.
-- Returns {status, 1 when the push request is to be written (first time, or again after a crash before APNs
-- answered) else 0, failure reason or ''}.
local key, now = ARGV[4] .. ARGV[9], ARGV[1]
local known = redis.call('HGET', key, 'status')
if known then
  return {known, known == 'queued' and 1 or 0, ''}
end
if redis.call('EXISTS', RECORD) == 0 then
  redis.call('HSET', key, 'status', 'failed', 'reason', 'unknown-device', 'updatedAt', now)
  redis.call('EXPIRE', key, ARGV[10])
  return {'failed', 0, 'unknown-device'}
end
redis.call('HSET', key, 'status', 'queued', 'route', 'push', 'queuedAt', now, 'pushRequestedAt', now, 'updatedAt', now, 'attempts', 0)
redis.call('EXPIRE', key, ARGV[10])
return {'queued', 1, ''}
