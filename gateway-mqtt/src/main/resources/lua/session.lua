-- A device's MQTT session in Redis (RedisKeys session hash: epoch, expiry, s:<filter> = granted QoS), written only by
-- the connection that holds it: every write is fenced by the connection epoch, so a connection that was taken over
-- (here or on another gateway) never changes or ends its successor's session.
-- A connection takes the session when it opens (claim.lua); this script changes and ends it.
-- KEYS: 1 session. ARGV: 1 operation, 2 the connection's epoch, then per operation:
--   subscribe   3 seconds kept while held, then filter and QoS pairs
--   unsubscribe 3 seconds kept while held, then filters
--   end         3 expiry seconds (0: the session ends with the connection)
-- Who holds the device (one connection per client id across gateways, takeover notices) is claim.lua's.
-- Returns 1 when applied, 0 when another connection holds the session.
local session, op, epoch = KEYS[1], ARGV[1], tonumber(ARGV[2])
local holder = tonumber(redis.call('HGET', session, 'epoch') or '0')

if holder ~= epoch then
  return 0
end
if op == 'subscribe' then
  for i = 4, #ARGV, 2 do
    redis.call('HSET', session, 's:' .. ARGV[i], ARGV[i + 1])
  end
  redis.call('EXPIRE', session, ARGV[3])
  return 1
end
if op == 'unsubscribe' then
  for i = 4, #ARGV do
    redis.call('HDEL', session, 's:' .. ARGV[i])
  end
  redis.call('EXPIRE', session, ARGV[3])
  return 1
end
if op == 'end' then
  if tonumber(ARGV[3]) > 0 then
    redis.call('EXPIRE', session, ARGV[3])
  else
    redis.call('DEL', session)
  end
  return 1
end
return redis.error_reply('unknown session operation ' .. op)
