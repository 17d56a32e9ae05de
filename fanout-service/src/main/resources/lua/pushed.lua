-- Records APNs' acceptance of a message's push; a final status (delivered, expired, failed) stays.
-- KEYS: 1 status of the message
-- ARGV: 1 now ms, 2 apns-id, 3 status ttl s
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'delivered' or status == 'expired' or status == 'failed' then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'pushed', 'pushedAt', ARGV[1], 'apnsId', ARGV[2], 'updatedAt', ARGV[1])
redis.call('HDEL', KEYS[1], 'reason')
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
