-- Everything a CONNECT needs from the device's keys, in one round trip: whether the device exists and may authenticate,
-- its secret hash, its user, its credential version, its own grants, a new connection epoch, and the device's stored
-- MQTT session. Nothing here depends on the credentials, so nothing but the epoch is written: the device is claimed
-- with its session (claim.lua) only once it authenticated.
-- KEYS: 1 device record, 2 epoch counter, 3 device grants, 4 session. ARGV: 1 now ms.
-- The epoch is never below the clock: even if Redis lost its last writes (a crash between fsyncs), a new connection's
-- epoch is above every epoch handed out before, so the presence fence holds.
-- Returns {0} for an unknown device or one whose credentials are revoked (no password and no certificate
-- authenticates it), else {1, secret hash or '', user id or '', epoch, credential version, number of grant values n,
-- n grant values (filter, actions, ...), session hash fields and values...}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0}
end
local record = redis.call('HMGET', KEYS[1], 'secretHash', 'userId', 'credentialVersion', 'credentialsRevoked')
if record[4] == '1' then
  return {0}
end
local epoch = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[1])
if epoch < floor then
  redis.call('SET', KEYS[2], ARGV[1])
  epoch = floor
end
local grants = redis.call('HGETALL', KEYS[3])
local out = {1, record[1] or '', record[2] or '', epoch, tonumber(record[3] or '0'), #grants}
for i = 1, #grants do
  out[#out + 1] = grants[i]
end
local session = redis.call('HGETALL', KEYS[4])
for i = 1, #session do
  out[#out + 1] = session[i]
end
return out
