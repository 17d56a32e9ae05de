-- Picks the inbox entries to send through APNs because the device cannot take them live, per platform:
-- iOS, iPadOS, watchOS push unless LIVE; macOS pushes only when OFFLINE; tvOS never (inbox only).
-- Each entry is considered once (pushCursor). Entries with push options get their own push; entries without
-- share one background "nudge" per nudge interval, so a burst of data messages does not flood APNs.
-- KEYS: 1 device record, 2 presence, 3 inbox, 4 inbox data, 5 inbox meta
-- ARGV: 1 now ms, 2 gateway alive (1|0), 3 status key prefix, 4 status ttl s, 5 nudge interval ms, 6 batch size
-- Returns {} when nothing is to be pushed, else {reason, previous pushCursor, previous lastNudgeAt, number of entries
-- considered, id1, json1, ...}; the previous values let unpush.lua undo this call exactly.
local record = redis.call('HMGET', KEYS[1], 'platform', 'pushToken')
local platform, token = record[1], record[2]
local state = redis.call('HGET', KEYS[2], 'state') or 'OFFLINE'
if ARGV[2] ~= '1' then
  state = 'OFFLINE'
end
local reasons = {BACKGROUND = 'signal', SUSPECT = 'deaf', OFFLINE = 'offline'}
local reason = reasons[state]
if not reason or not token or platform == 'tvos' or (platform == 'macos' and state ~= 'OFFLINE') then
  return {}
end
local meta = redis.call('HMGET', KEYS[5], 'pushCursor', 'lastNudgeAt')
local previous = meta[1] or '0'
local cursor = previous
local previous_nudge = meta[2] or '0'
local last_nudge = tonumber(previous_nudge)
local now = tonumber(ARGV[1])
local entries = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. cursor, '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[6]))
local out = {reason, previous, previous_nudge, #entries / 2}
for i = 1, #entries, 2 do
  local id = entries[i]
  local data = redis.call('HGET', KEYS[4], id)
  local entry = cjson.decode(data)
  local take = false
  if entry.expiresAt > now then
    if entry.push ~= nil and entry.push ~= cjson.null then
      take = true
    elseif now - last_nudge >= tonumber(ARGV[5]) then
      take = true
      last_nudge = now
    end
  end
  if take then
    local status_key = ARGV[3] .. id
    redis.call('HSET', status_key, 'route', 'push', 'pushRequestedAt', ARGV[1], 'updatedAt', ARGV[1])
    redis.call('EXPIRE', status_key, ARGV[4])
    out[#out + 1] = id
    out[#out + 1] = data
  end
  cursor = entries[i + 1]
end
if #entries == 0 then
  return {}
end
redis.call('HSET', KEYS[5], 'pushCursor', cursor, 'lastNudgeAt', last_nudge)
return out
