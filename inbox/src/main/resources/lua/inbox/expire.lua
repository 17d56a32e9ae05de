-- The expiry sweep found the device due: settles every entry past its TTL (wherever it is in the inbox) and
-- returns when the next one is due, so the sweep can index the device again (0: nothing left, clear it).
-- ARGV 1-8: routing arguments (lib.lua). Returns {expired, next expiry ms or 0, expired ids...}.
local now, status_prefix, final_ttl = tonumber(ARGV[1]), ARGV[4], ARGV[5]
local expired, next_at = 0, 0
local ids = redis.call('ZRANGE', INBOX, 0, -1)
for _, id in ipairs(ids) do
  local data = redis.call('HGET', DATA, id)
  if data then
    local expires_at = parse(data)
    if expires_at > 0 and expires_at <= now then
      if settle(id, 'expired', 'ttl', '', ARGV[1], status_prefix, final_ttl) == 1 then
        expired = expired + 1
        EXPIRED_IDS[#EXPIRED_IDS + 1] = id
      end
    elseif expires_at > 0 and (next_at == 0 or expires_at < next_at) then
      next_at = expires_at
    end
  end
end
if next_at == 0 then
  redis.call('HDEL', META, 'expiryAt')
else
  redis.call('HSET', META, 'expiryAt', next_at)
end
return append({expired, next_at}, EXPIRED_IDS)
