-- A gateway's answer for one delivery: settles it (delivered, or failed when the device refused it), then, while
-- the same connection is the device's live one, hands the next entries over in the same atomic step. This is the
-- whole live path after the first hand-over: no Kafka record, no other service.
-- ARGV 1-8: routing arguments (lib.lua); 9 device id, 10 message id, 11 final status (delivered|failed),
-- 12 reason or '', 13 epoch of the connection, 14 gateway id.
-- Returns {status changed 0|1, handed over, expired, expired ids...}.
local P = routing_args()
local device, id, epoch, gateway = ARGV[9], ARGV[10], ARGV[13], ARGV[14]
local changed = settle(id, ARGV[11], ARGV[12], 'live', ARGV[1], P.status_prefix, P.final_ttl)
local p = read_presence()
if p[3] ~= epoch or p[2] ~= gateway then
  return {changed, 0, 0}
end
local result = pump(device, P, p)
if result[1] == 'live' then
  return append({changed, result[2], result[3]}, EXPIRED_IDS)
end
return {changed, 0, 0}
