-- Takes the next inbox entries to hand to the device's live connection, at most `window` unacknowledged.
-- KEYS: 1 device record, 2 presence, 3 inbox, 4 inbox data, 5 inbox meta
-- ARGV: 1 now ms, 2 window, 3 status key prefix (ends with 'status:'), 4 status ttl s, 5 gateway alive (1|0)
-- Returns {'hold'} when the device cannot take live deliveries, else {'send', gatewayId, epoch, expired, id1, json1, ...}
-- where expired counts the entries this call found past their TTL and marked expired.
local p = redis.call('HMGET', KEYS[2], 'state', 'gatewayId', 'epoch', 'receiving')
local state, gateway, epoch, receiving = p[1], p[2], p[3], p[4]
local platform = redis.call('HGET', KEYS[1], 'platform')
local live = state == 'LIVE' or (state == 'BACKGROUND' and platform == 'macos')
if not live or receiving ~= '1' or ARGV[5] ~= '1' then
  return {'hold'}
end
local now = tonumber(ARGV[1])
local cursor = tonumber(redis.call('HGET', KEYS[5], 'cursor') or '0')
local room = tonumber(ARGV[2]) - redis.call('ZCOUNT', KEYS[3], '-inf', cursor)
local out = {'send', gateway, epoch, 0}
if room <= 0 then
  return out
end
-- Expired entries are dropped on the way and take no room, so an expired head never stalls the ones behind it.
while room > 0 do
  local entries = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. cursor, '+inf', 'WITHSCORES', 'LIMIT', 0, room)
  if #entries == 0 then
    break
  end
  for i = 1, #entries, 2 do
    local id = entries[i]
    local data = redis.call('HGET', KEYS[4], id)
    local entry = cjson.decode(data)
    local status_key = ARGV[3] .. id
    if entry.expiresAt > 0 and entry.expiresAt <= now then
      redis.call('ZREM', KEYS[3], id)
      redis.call('HDEL', KEYS[4], id)
      redis.call('HINCRBY', KEYS[5], 'bytes', -entry.size)
      redis.call('HSET', status_key, 'status', 'expired', 'updatedAt', ARGV[1])
      redis.call('EXPIRE', status_key, ARGV[4])
      out[4] = out[4] + 1
    else
      out[#out + 1] = id
      out[#out + 1] = data
      redis.call('HSET', status_key, 'route', 'live', 'updatedAt', ARGV[1])
      redis.call('HINCRBY', status_key, 'attempts', 1)
      room = room - 1
    end
    cursor = entries[i + 1]
  end
end
redis.call('HSET', KEYS[5], 'cursor', cursor)
return out
