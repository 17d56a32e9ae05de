-- Ends a message for a device: removes it from the inbox and sets its final status, unless it already has one.
-- KEYS: 1 inbox, 2 inbox data, 3 inbox meta, 4 status of this message
-- ARGV: 1 message id, 2 final status (delivered|failed|expired), 3 reason or '', 4 now ms, 5 status ttl s, 6 route or ''
-- Returns 1 when the status changed.
local data = redis.call('HGET', KEYS[2], ARGV[1])
if data then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HINCRBY', KEYS[3], 'bytes', -cjson.decode(data).size)
end
local status = redis.call('HGET', KEYS[4], 'status')
if status == 'delivered' or status == 'failed' or status == 'expired' then
  return 0
end
redis.call('HSET', KEYS[4], 'status', ARGV[2], 'updatedAt', ARGV[4])
if ARGV[2] == 'delivered' then
  redis.call('HSET', KEYS[4], 'deliveredAt', ARGV[4])
end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[4], 'reason', ARGV[3])
end
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[4], 'route', ARGV[6])
end
redis.call('EXPIRE', KEYS[4], ARGV[5])
return 1
