-- The oldest entries still in the device's inbox, in inbox order, skipping those past their TTL (the expiry sweep
-- ends them): what a device fetching over HTTPS gets. Read-only.
-- ARGV 1-8: routing arguments (lib.lua); 9 at most this many. Returns the JSON of each entry.
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[9])
local out, start = {}, 0
while #out < limit do
  local ids = redis.call('ZRANGE', INBOX, start, start + limit - 1)
  if #ids == 0 then
    break
  end
  for _, id in ipairs(ids) do
    local data = redis.call('HGET', DATA, id)
    if data then
      local expires_at, _, _, json = parse(data)
      if expires_at <= 0 or expires_at > now then
        out[#out + 1] = json
        if #out >= limit then
          break
        end
      end
    end
  end
  start = start + limit
end
return out
