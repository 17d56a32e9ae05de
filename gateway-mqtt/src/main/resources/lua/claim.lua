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
-- written, as a newer owner does.
-- KEYS: 1 device record, 2 owner hash, 3 the device's known source addresses, 4 its MQTT session. ARGV: 1 gateway id,
-- 2 epoch, 3 credential version the connection authenticated under ('' when checking again: the one stored by its
-- claim), 4 control channel prefix, 5 device id, 6 source address ('' when checking again), 7 how long a source address
-- stays known, ms; opening only: 8 clean start (0|1), 9 kept (1: the session is stored; 0: it lasts only as long as the
-- connection), 10 expiry seconds after the connection ends, 11 seconds it is kept while held (bounds what a crashed
-- gateway leaves behind).
-- Returns 1: the connection holds the device (and, opening, its session); 0: a newer connection holds the device (or,
-- opening, its session); -1: its credentials are no longer valid.
local owner = redis.call('HMGET', KEYS[2], 'gatewayId', 'epoch', 'credentialVersion')
local epoch, held = tonumber(ARGV[2]), tonumber(owner[2] or '0')
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[4])
  return -1
end
local record = redis.call('HMGET', KEYS[1], 'credentialVersion', 'credentialsRevoked')
if record[2] == '1' then
  redis.call('DEL', KEYS[4])
  return -1
end
local current = record[1] or '0'
local version = ARGV[3]
if version == '' then
  -- Checking again: the version stored by this connection's claim; were it lost with Redis data, the current one.
  version = (held == epoch and owner[3]) or current
end
if version ~= current then
  return -1
end
if held > epoch then
  return 0
end
local opening = ARGV[8] ~= nil
if opening and tonumber(redis.call('HGET', KEYS[4], 'epoch') or '0') > epoch then
  return 0
end
if ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[6])
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -9)
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
if held < epoch or owner[1] ~= ARGV[1] then
  redis.call('HSET', KEYS[2], 'gatewayId', ARGV[1], 'epoch', ARGV[2], 'credentialVersion', version)
  if owner[1] and owner[1] ~= ARGV[1] then
    redis.call('PUBLISH', ARGV[4] .. owner[1], 'takeover ' .. ARGV[5] .. ' ' .. ARGV[2])
  end
end
if opening then
  if ARGV[8] == '1' or ARGV[9] == '0' then
    redis.call('DEL', KEYS[4])
  end
  if ARGV[9] == '1' then
    redis.call('HSET', KEYS[4], 'epoch', ARGV[2], 'expiry', ARGV[10])
    redis.call('EXPIRE', KEYS[4], ARGV[11])
  end
end
return 1
