-- The part every inbox script shares; InboxScripts puts it in front of each script's own code.
-- KEYS of every inbox script: 1 device record, 2 presence, 3 inbox (zset: sequence -> message id),
-- 4 inbox data (hash: message id -> entry), 5 inbox meta (hash: seq, cursor, pushCursor, lastNudgeAt, bytes, expiryAt).
-- An entry is 'v1|<expiresAt ms>|<payload bytes>|<1 with push options, else 0>|<InboxEntry JSON>', so scripts
-- read what they need without decoding the JSON and its payload.
local RECORD, PRESENCE, INBOX, DATA, META = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
-- Ids of the entries this call settled as expired on the way (dispatch, expire.lua): returned after the counts, so
-- that the caller can report each status change.
local EXPIRED_IDS = {}

local function parse(data)
  local expires, size, push, pos = string.match(data, '^v1|(%-?%d+)|(%d+)|([01])|()')
  if expires then
    return tonumber(expires), tonumber(size), push == '1', string.sub(data, pos)
  end
  -- An entry written before the v1 layout: plain JSON.
  local e = cjson.decode(data)
  return e.expiresAt, e.size, e.push ~= nil and e.push ~= cjson.null, data
end

local function is_final(status)
  return status == 'delivered' or status == 'failed' or status == 'expired'
end

-- Takes an entry out of the inbox and gives its status a final value unless it has one; 1 when the status changed.
local function settle(id, status, reason, route, now, status_prefix, ttl)
  local data = redis.call('HGET', DATA, id)
  if data then
    local _, size = parse(data)
    redis.call('ZREM', INBOX, id)
    redis.call('HDEL', DATA, id)
    redis.call('HINCRBY', META, 'bytes', -size)
  end
  local key = status_prefix .. id
  if is_final(redis.call('HGET', key, 'status')) then
    return 0
  end
  local fields = {'status', status, 'updatedAt', now}
  if status == 'delivered' then
    fields[#fields + 1], fields[#fields + 2] = 'deliveredAt', now
  end
  if reason ~= '' then
    fields[#fields + 1], fields[#fields + 2] = 'reason', reason
  end
  if route ~= '' then
    fields[#fields + 1], fields[#fields + 2] = 'route', route
  end
  redis.call('HSET', key, unpack(fields))
  redis.call('EXPIRE', key, ttl)
  return 1
end

-- The routing policy's action for a platform in a presence state (RoutingPolicy in Java decides; this only looks
-- it up): 'L' deliver live, 'P' push and keep in the inbox, 'I' keep in the inbox only.
local STATE_COLUMN = {LIVE = 1, BACKGROUND = 2, SUSPECT = 3, OFFLINE = 4}
local function action(policy, platform, state)
  local row = string.match(policy, ',' .. (platform or '?') .. '=(%u+)') or string.match(policy, ',%*=(%u+)')
  local column = STATE_COLUMN[state] or 4
  return string.sub(row, column, column)
end

-- Hands the next entries, at most `window` unacknowledged, to the gateway holding the connection, on its pub/sub
-- channel; an entry is sent again only after a rewind. Expired entries on the way take no room and are settled
-- (EXPIRED_IDS) once the hand-over happened. Returns the number handed over, or -1 when nobody listens on the
-- channel (the gateway is gone: nothing moved, nothing settled, so every reply that can follow a -1 has no expired
-- ids to report: the expiry sweep settles them), and the number found expired.
-- With each entry go its sequence number ("s", the gateway derives the MQTT packet identifier from it, so a PUBLISH
-- sent again to a resumed session keeps its identifier) and how often it was handed over before ("a": from 1 on it
-- may have reached the device already, and goes with DUP set).
local function dispatch(device, gateway, epoch, now, window, status_prefix, final_ttl, channel_prefix)
  local cursor = redis.call('HGET', META, 'cursor') or '0'
  local room = window - redis.call('ZCOUNT', INBOX, '-inf', cursor)
  local ids, jsons, seqs, attempts, stale, scan = {}, {}, {}, {}, {}, cursor
  local more = true
  while room > 0 and more do
    local entries = redis.call('ZRANGEBYSCORE', INBOX, '(' .. scan, '+inf', 'WITHSCORES', 'LIMIT', 0, room)
    more = #entries / 2 == room -- a short page was the last one: no need to ask again for nothing
    for i = 1, #entries, 2 do
      local id = entries[i]
      local expires_at, _, _, json = parse(redis.call('HGET', DATA, id))
      if expires_at > 0 and expires_at <= now then
        stale[#stale + 1] = id
      else
        ids[#ids + 1] = id
        jsons[#jsons + 1] = json
        seqs[#seqs + 1] = entries[i + 1]
        attempts[#attempts + 1] = tonumber(redis.call('HGET', status_prefix .. id, 'attempts') or '0')
        room = room - 1
      end
      scan = entries[i + 1]
    end
  end
  local function settle_stale()
    for _, id in ipairs(stale) do
      if settle(id, 'expired', 'ttl', '', now, status_prefix, final_ttl) == 1 then
        EXPIRED_IDS[#EXPIRED_IDS + 1] = id
      end
    end
    return #stale
  end
  if #ids == 0 then
    return 0, settle_stale()
  end
  local listeners = redis.call('PUBLISH', channel_prefix .. gateway,
      '{"d":"' .. device .. '","e":' .. epoch .. ',"m":[' .. table.concat(jsons, ',') .. '],"s":[' .. table.concat(seqs, ',')
      .. '],"a":[' .. table.concat(attempts, ',') .. ']}')
  if listeners == 0 then
    return -1, 0
  end
  for _, id in ipairs(ids) do
    local key = status_prefix .. id
    redis.call('HSET', key, 'route', 'live', 'updatedAt', now)
    redis.call('HINCRBY', key, 'attempts', 1)
  end
  redis.call('HSET', META, 'cursor', scan)
  return #ids, settle_stale()
end

-- The entries to push because the device cannot take them live: each is considered once (pushCursor); entries
-- with push options get a push each, data-only entries share one "nudge" per interval. Writes nothing: the caller
-- writes the push requests to Kafka and then confirms them (push-confirm.lua), so a crash in between pushes again
-- rather than never. Returns {previous pushCursor, new pushCursor, new lastNudgeAt, considered, id1, json1, ...},
-- or nil when there is nothing after the push cursor.
local function push_candidates(now, nudge_ms, batch)
  local meta = redis.call('HMGET', META, 'pushCursor', 'lastNudgeAt')
  local previous = meta[1] or '0'
  local last_nudge = tonumber(meta[2] or '0')
  local entries = redis.call('ZRANGEBYSCORE', INBOX, '(' .. previous, '+inf', 'WITHSCORES', 'LIMIT', 0, batch)
  if #entries == 0 then
    return nil
  end
  local out = {previous, '', '', #entries / 2}
  local cursor = previous
  for i = 1, #entries, 2 do
    local id = entries[i]
    local expires_at, _, has_push, json = parse(redis.call('HGET', DATA, id))
    local take = false
    if expires_at > now then
      if has_push then
        take = true
      elseif now - last_nudge >= nudge_ms then
        take = true
        last_nudge = now
      end
    end
    if take then
      out[#out + 1] = id
      out[#out + 1] = json
    end
    cursor = entries[i + 1]
  end
  out[2] = cursor
  out[3] = string.format('%d', last_nudge)
  return out
end

-- Moves the inbox along after whatever changed: live hand-over when the policy says live and the connection is
-- receiving, push candidates when it says push, nothing when it says inbox. A gateway that does not listen any
-- more counts as offline. Returns {'live', handed over, expired, expired ids...} | {'hold', why} |
-- {'push', reason, token, environment, app id, platform, token updated at, now, <push_candidates>...}: the device
-- record's fields as read here ('' when missing) and when, so that push-service need not read them again.
-- P: a table of the routing arguments (see InboxScripts): now, window, policy, status_prefix, final_ttl,
-- channel_prefix, nudge_ms, batch.
local REASONS = {BACKGROUND = 'signal', SUSPECT = 'deaf', OFFLINE = 'offline', LIVE = 'offline'}
local function read_presence()
  return redis.call('HMGET', PRESENCE, 'state', 'gatewayId', 'epoch', 'receiving')
end
-- presence: what read_presence() returned, when the caller read it in this call already (nil: read here).
local function pump(device, P, presence)
  local p = presence or read_presence()
  local state, gateway, epoch, receiving = p[1] or 'OFFLINE', p[2], p[3], p[4]
  local record = redis.call('HMGET', RECORD, 'platform', 'pushToken', 'pushEnvironment', 'appId', 'pushTokenUpdatedAt')
  local platform, token = record[1], record[2]
  local todo = action(P.policy, platform, state)
  local expired = 0
  if todo == 'L' then
    if receiving ~= '1' then
      return {'hold', 'not-receiving'}
    end
    local handed
    handed, expired = dispatch(device, gateway, epoch, P.now, P.window, P.status_prefix, P.final_ttl, P.channel_prefix)
    if handed >= 0 then
      local out = {'live', handed, expired}
      for _, id in ipairs(EXPIRED_IDS) do
        out[#out + 1] = id
      end
      return out
    end
    state = 'OFFLINE' -- nobody listens on the gateway's channel: it is gone
    todo = action(P.policy, platform, state)
  end
  if todo ~= 'P' then
    return {'hold', 'policy'}
  end
  if not token then
    return {'hold', 'no-push-token'}
  end
  local candidates = push_candidates(P.now, P.nudge_ms, P.batch)
  if not candidates then
    return {'hold', 'nothing-to-push'}
  end
  local out = {'push', REASONS[state] or 'offline', token, record[3] or '', record[4] or '', platform or '', record[5] or '',
               string.format('%d', P.now)}
  for _, v in ipairs(candidates) do
    out[#out + 1] = v
  end
  return out
end

-- The common routing arguments, passed as ARGV[1..8] to every script that pumps.
local function routing_args()
  return {now = tonumber(ARGV[1]), window = tonumber(ARGV[2]), policy = ARGV[3], status_prefix = ARGV[4],
          final_ttl = ARGV[5], channel_prefix = ARGV[6], nudge_ms = tonumber(ARGV[7]), batch = tonumber(ARGV[8])}
end

local function append(out, t)
  for _, v in ipairs(t) do
    out[#out + 1] = v
  end
  return out
end
