-- A gateway lost its delivery channel for a while (Redis restarted, the connection dropped): whatever was handed to
-- this connection and not acknowledged may be lost on the way, so it is handed over again from the head of the
-- inbox; the gateway drops what it already has in flight. Only for the device's current connection.
-- ARGV 1-8: routing arguments (lib.lua); 9 device id, 10 epoch of the connection, 11 gateway id.
-- Returns {handed over, expired, expired ids...}.
local P = routing_args()
local p = redis.call('HMGET', PRESENCE, 'epoch', 'gatewayId')
if p[1] ~= ARGV[10] or p[2] ~= ARGV[11] then
  return {0, 0}
end
redis.call('HSET', META, 'cursor', 0)
local result = pump(ARGV[9], P)
if result[1] == 'live' then
  return append({result[2], result[3]}, EXPIRED_IDS)
end
return {0, 0}
