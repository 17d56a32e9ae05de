-- Routes one message to one device: queues it, unless it is known already (a re-consumed record), then moves the
-- device's inbox along (pump) in the same atomic step, so nothing can happen between queueing and handing over.
-- ARGV 1-8: routing arguments (lib.lua); 9 device id, 10 message id, 11 entry (v1 layout), 12 payload bytes,
-- 13 expiresAt ms, 14 inbox bound: messages, 15 inbox bound: bytes, 16 status ttl s.
-- Returns {status, depth after queueing (-1 unless this call queued it), failure reason or '', expiry index time
-- (0 when the expiry index needs nothing), overflowed ids joined by ',', 1 when this call handed this message itself
-- to the gateway else 0 (absent when nothing was pumped), <pump result>...}.
local P = routing_args()
local device, id, entry, size, expires_at = ARGV[9], ARGV[10], ARGV[11], tonumber(ARGV[12]), tonumber(ARGV[13])
local status_key = P.status_prefix .. id
local now = ARGV[1]

-- Whether the pump handed over this message itself (its sequence number is at or below the cursor now), not only
-- older ones: the caller reports it queued only if not (a message handed over is reported by the gateway).
local function handed_over(pumped, seq)
  if pumped[1] ~= 'live' or pumped[2] <= 0 or not seq then
    return 0
  end
  return tonumber(redis.call('HGET', META, 'cursor') or '0') >= tonumber(seq) and 1 or 0
end

local known = redis.call('HGET', status_key, 'status')
if known then
  -- Re-consumed after a crash: the expiry index write may not have happened; repeating it is harmless.
  local out = {known, -1, '', tonumber(redis.call('HGET', META, 'expiryAt') or '0'), ''}
  if known ~= 'queued' then
    return out
  end
  local pumped = pump(device, P)
  out[6] = handed_over(pumped, redis.call('ZSCORE', INBOX, id))
  return append(out, pumped)
end
if redis.call('EXISTS', RECORD) == 0 then
  redis.call('HSET', status_key, 'status', 'failed', 'reason', 'unknown-device', 'updatedAt', now)
  redis.call('EXPIRE', status_key, ARGV[16])
  return {'failed', -1, 'unknown-device', 0, ''}
end

-- The bound protects against an abandoned device, not a slow drain: at the bound the oldest entry that is not in
-- flight gives way (failed: inbox-overflow) rather than the new one being refused.
local overflowed = {}
local max_messages, max_bytes = tonumber(ARGV[14]), tonumber(ARGV[15])
local meta = redis.call('HMGET', META, 'cursor', 'bytes', 'expiryAt')
local cursor = meta[1] or '0'
local depth = redis.call('ZCARD', INBOX)
local bytes = tonumber(meta[2] or '0')
local function fits(d, b)
  return d < max_messages and b + size <= max_bytes
end
-- Only entries not in flight may give way. When the new one would not fit even beside the entries in flight alone,
-- none gives way (they would be lost for nothing) and the new one is refused.
local function in_flight_leave_room()
  local ids, total = redis.call('ZRANGEBYSCORE', INBOX, '-inf', cursor), 0
  for _, f in ipairs(ids) do
    local _, s = parse(redis.call('HGET', DATA, f))
    total = total + s
  end
  return fits(#ids, total)
end
if not fits(depth, bytes) and in_flight_leave_room() then
  while not fits(depth, bytes) do
    local oldest = redis.call('ZRANGEBYSCORE', INBOX, '(' .. cursor, '+inf', 'LIMIT', 0, 1)[1]
    if not oldest then
      break -- the byte count disagrees with the entries: refuse below rather than loop
    end
    local _, oldest_size = parse(redis.call('HGET', DATA, oldest))
    settle(oldest, 'failed', 'inbox-overflow', '', now, P.status_prefix, P.final_ttl)
    overflowed[#overflowed + 1] = oldest
    depth = depth - 1
    bytes = bytes - oldest_size
  end
end
if not fits(depth, bytes) then
  redis.call('HSET', status_key, 'status', 'failed', 'reason', 'inbox-full', 'updatedAt', now)
  redis.call('EXPIRE', status_key, ARGV[16])
  return {'failed', -1, 'inbox-full', 0, table.concat(overflowed, ',')}
end

local seq = redis.call('HINCRBY', META, 'seq', 1)
redis.call('ZADD', INBOX, seq, id)
redis.call('HSET', DATA, id, entry)
redis.call('HINCRBY', META, 'bytes', size)
redis.call('HSET', status_key, 'status', 'queued', 'route', 'inbox', 'queuedAt', now, 'updatedAt', now, 'attempts', 0)
redis.call('EXPIRE', status_key, ARGV[16])

-- The device is in the expiry index at its earliest expiry; only an earlier one needs the index written. A time
-- already due is written again: the sweep due then may have taken the device out while this script ran.
local index_at = 0
local indexed = tonumber(meta[3] or '0') -- settling entries that gave way above leaves expiryAt as it was
if expires_at > 0 and (indexed == 0 or expires_at < indexed) then
  redis.call('HSET', META, 'expiryAt', expires_at)
  index_at = expires_at
elseif expires_at > 0 and indexed <= tonumber(now) then
  index_at = indexed
end
local pumped = pump(device, P)
return append({'queued', depth + 1, '', index_at, table.concat(overflowed, ','), handed_over(pumped, seq)}, pumped)
