-- A device acknowledges messages it fetched over HTTPS: each leaves the inbox (never delivered again, over MQTT or
-- push) and, unless it has a final status already, becomes delivered by route fetch. An id with no status for this
-- device is not the device's.
-- ARGV 1-8: routing arguments (lib.lua); 9.. message ids.
-- Returns per id, in order: 'delivered' (by this call or before) or 'unknown' (not the device's, expired or failed).
local out = {}
for i = 9, #ARGV do
  local id = ARGV[i]
  local status = redis.call('HGET', ARGV[4] .. id, 'status')
  if not status or status == 'failed' or status == 'expired' then
    out[#out + 1] = 'unknown'
  else
    settle(id, 'delivered', '', 'fetch', ARGV[1], ARGV[4], ARGV[5])
    out[#out + 1] = 'delivered'
  end
end
return out
