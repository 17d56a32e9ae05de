-- Appends a message to a device's inbox, unless it is already known (a re-consumed record).
-- KEYS: 1 device record, 2 inbox (zset seq->id), 3 inbox data (hash id->json), 4 inbox meta, 5 status of this message
-- ARGV: 1 message id, 2 entry json, 3 payload size, 4 now ms, 5 max messages, 6 max bytes, 7 status ttl s
-- Returns {status after the call, inbox depth after it (-1 unless this call queued it), reason this call failed it or ''};
-- a message already known (a re-consumed record) answers {its status, -1, ''}.
local known = redis.call('HGET', KEYS[5], 'status')
if known then
  return {known, -1, ''}
end
local function fail(reason)
  redis.call('HSET', KEYS[5], 'status', 'failed', 'reason', reason, 'updatedAt', ARGV[4])
  redis.call('EXPIRE', KEYS[5], ARGV[7])
  return {'failed', -1, reason}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return fail('unknown-device')
end
local bytes = tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0')
local depth = redis.call('ZCARD', KEYS[2])
if depth >= tonumber(ARGV[5]) or bytes + tonumber(ARGV[3]) > tonumber(ARGV[6]) then
  return fail('inbox-full')
end
local seq = redis.call('HINCRBY', KEYS[4], 'seq', 1)
redis.call('ZADD', KEYS[2], seq, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[4], 'bytes', ARGV[3])
redis.call('HSET', KEYS[5], 'status', 'queued', 'route', 'inbox', 'queuedAt', ARGV[4], 'updatedAt', ARGV[4], 'attempts', 0)
redis.call('EXPIRE', KEYS[5], ARGV[7])
return {'queued', depth + 1, ''}
