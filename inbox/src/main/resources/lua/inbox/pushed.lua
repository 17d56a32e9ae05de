-- Records APNs' answer for a message's push: 'pushed' (accepted) unless the message has a final status already,
-- or the reason a push failed (the message stays queued in the inbox).
-- ARGV 1-8: routing arguments (lib.lua); 9 message id, 10 'pushed' or 'push-failed', 11 apns-id or reason,
-- 12 status ttl s. Returns 1 when the status changed.
local now, key = ARGV[1], ARGV[4] .. ARGV[9]
local status = redis.call('HGET', key, 'status')
if is_final(status) then
  return 0
end
if ARGV[10] == 'push-failed' then
  redis.call('HSET', key, 'reason', 'push-failed: ' .. ARGV[11], 'updatedAt', now)
  return 0
end
redis.call('HSET', key, 'status', 'pushed', 'pushedAt', now, 'apnsId', ARGV[11], 'updatedAt', now)
redis.call('HDEL', key, 'reason')
redis.call('EXPIRE', key, ARGV[12])
return 1
