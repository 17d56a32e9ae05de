-- A gateway claims a device's connection after CONNECT, and checks it again later (after a lost subscription, on a
-- credential change, every audit interval). The newest connection (highest epoch) holds the device: claiming it tells
-- the gateway of the older connection, on its control channel, to close that one (MQTT 5: DISCONNECT 0x8E), so one client
-- id has one session across all gateways. A connection whose credentials changed since it authenticated (device deleted,
-- credentials revoked or rotated) is told so, whether it used a password or a client certificate.
-- A first claim also remembers the source address the device authenticated from (the connect guard never holds a
-- device back on an address it used before; the 8 latest are kept, for ARGV[7] ms after the last success).
-- A deleted device, or one whose credentials were revoked, also loses its stored MQTT session (KEYS[4]): nothing it
-- subscribed to survives for a device registered again under its id. Rotated credentials keep it (the device connects
-- again with the new ones and resumes).
-- A new connection's first claim also takes the device's MQTT session, in the same round trip (opening: ARGV[8] given):
-- what session.lua then fences every write by. A session a newer connection holds refuses the claim before anything is
-- written, as a newer owner does. It resumes the stored session only when it asked to (clean start 0) and the session is
-- still the one connect.lua read (same holder epoch); anything else discards it and begins a new one. That answer is
-- CONNACK's Session Present. The same epoch means the same session, not the same subscriptions: a holder still
-- connected may have subscribed or unsubscribed since the read, and the gateway resumes with what it restored from the
-- read.
-- The opening claim that finds the owner hash at epoch e is the first connection after e: whether it resumed e's session
-- decides e's delayed will [MQTT-3.1.3-9] (resumed: not sent; new session: e's session ended, so sent now). It records
-- that decision for e (KEYS[5], a field per epoch, never overwritten) and tells e's gateway, if another, on its control
-- channel right after the takeover notice: 'will <device id> <e> resumed|new'. A separate message, so that a gateway of
-- an older build still reads the takeover notice.
-- KEYS: 1 device record, 2 owner hash, 3 the device's known source addresses, 4 its MQTT session, 5 the decisions of
-- first connections. ARGV: 1 gateway id, 2 epoch, 3 credential version the connection authenticated under ('' when
-- checking again: the one stored by its claim), 4 control channel prefix, 5 device id, 6 source address ('' when
-- checking again), 7 how long a source address stays known, ms; opening only: 8 clean start (0|1), 9 kept (1: the
-- session is stored; 0: it lasts only as long as the connection), 10 expiry seconds after the connection ends, 11 seconds
-- it is kept while held (bounds what a crashed gateway leaves behind), 12 the epoch of the stored session connect.lua
-- found ('0': none), 13 how long a decision is kept, ms (no will waits longer than the longest session expiry).
-- Returns 1: the connection holds the device (and, opening, its session); 0: a newer connection holds the device (or,
-- opening, its session); -1: its credentials are no longer valid. Opening, as {that code, 1 when it resumed the stored
-- session else 0, the epoch e it decided the will of, or 0}.
local owner = redis.call('HMGET', KEYS[2], 'gatewayId', 'epoch', 'credentialVersion')
local epoch, held = tonumber(ARGV[2]), tonumber(owner[2] or '0')
local opening = ARGV[8] ~= nil
local function reply(code, resumed, decided)
  if opening then
    return {code, resumed and 1 or 0, decided or 0}
  end
  return code
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[4])
  return reply(-1)
end
local record = redis.call('HMGET', KEYS[1], 'credentialVersion', 'credentialsRevoked')
if record[2] == '1' then
  redis.call('DEL', KEYS[4])
  return reply(-1)
end
local current = record[1] or '0'
local version = ARGV[3]
if version == '' then
  -- Checking again: the version stored by this connection's claim; were it lost with Redis data, the current one.
  version = (held == epoch and owner[3]) or current
end
if version ~= current then
  return reply(-1)
end
if held > epoch then
  return reply(0)
end
local stored = opening and redis.call('HGET', KEYS[4], 'epoch')
if opening and tonumber(stored or '0') > epoch then
  return reply(0)
end
if ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[6])
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -9)
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
local resumed = opening and ARGV[8] == '0' and ARGV[9] == '1' and ARGV[12] ~= '0' and stored == ARGV[12]
local decided = 0
if opening and held > 0 and held < epoch then
  decided = held
  redis.call('HSETNX', KEYS[5], owner[2], resumed and 'resumed' or 'new')
  redis.call('PEXPIRE', KEYS[5], ARGV[13])
  local epochs = redis.call('HKEYS', KEYS[5])
  if #epochs > 8 then
    -- Only the latest few: a will is settled when its decision is made; this is for a gateway that missed the notice.
    table.sort(epochs, function(a, b) return tonumber(a) < tonumber(b) end)
    for i = 1, #epochs - 8 do
      redis.call('HDEL', KEYS[5], epochs[i])
    end
  end
end
if held < epoch or owner[1] ~= ARGV[1] then
  redis.call('HSET', KEYS[2], 'gatewayId', ARGV[1], 'epoch', ARGV[2], 'credentialVersion', version)
  if owner[1] and owner[1] ~= ARGV[1] then
    redis.call('PUBLISH', ARGV[4] .. owner[1], 'takeover ' .. ARGV[5] .. ' ' .. ARGV[2])
    if decided > 0 then
      redis.call('PUBLISH', ARGV[4] .. owner[1], 'will ' .. ARGV[5] .. ' ' .. owner[2] .. ' ' .. (resumed and 'resumed' or 'new'))
    end
  end
end
if opening then
  if not resumed then
    redis.call('DEL', KEYS[4])
  end
  if ARGV[9] == '1' then
    redis.call('HSET', KEYS[4], 'epoch', ARGV[2], 'expiry', ARGV[10])
    redis.call('EXPIRE', KEYS[4], ARGV[11])
  end
end
return reply(1, resumed, decided)
