-- A device acknowledges messages it fetched over HTTPS: each leaves the inbox (so it is never delivered again, over
-- MQTT or push) and, unless it already has a final status, becomes delivered by route fetch. A message id without a
-- status for this device is not the device's.
-- KEYS: 1 inbox, 2 inbox data, 3 inbox meta
-- ARGV: 1 now ms, 2 status key prefix (ends with 'status:'), 3 status ttl s, 4.. message ids
-- Returns, per id in order: 'delivered' (by this call or before) or 'unknown' (not the device's, expired or failed).
local out = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local status_key = ARGV[2] .. id
  local status = redis.call('HGET', status_key, 'status')
  if not status then
    out[#out + 1] = 'unknown'
  else
    local data = redis.call('HGET', KEYS[2], id)
    if data then
      redis.call('ZREM', KEYS[1], id)
      redis.call('HDEL', KEYS[2], id)
      redis.call('HINCRBY', KEYS[3], 'bytes', -cjson.decode(data).size)
    end
    if status == 'delivered' then
      out[#out + 1] = 'delivered'
    elseif status == 'failed' or status == 'expired' then
      out[#out + 1] = 'unknown'
    else
      redis.call('HSET', status_key, 'status', 'delivered', 'route', 'fetch', 'deliveredAt', ARGV[1], 'updatedAt', ARGV[1])
      redis.call('EXPIRE', status_key, ARGV[3])
      out[#out + 1] = 'delivered'
    end
  end
end
return out
