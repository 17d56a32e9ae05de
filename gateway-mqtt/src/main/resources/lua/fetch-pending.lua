-- The oldest pending inbox entries of a device, in inbox order, skipping those past their TTL (the expiry sweep ends them).
-- Read-only. Written against the inbox layout of fanout's enqueue.lua (zset seq->id, hash id->entry json, entry.expiresAt).
-- KEYS: 1 inbox, 2 inbox data
-- ARGV: 1 now ms, 2 limit
-- Returns the entry json of each, at most limit.
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local out = {}
local start = 0
while #out < limit do
  local ids = redis.call('ZRANGE', KEYS[1], start, start + limit - 1)
  if #ids == 0 then
    break
  end
  for _, id in ipairs(ids) do
    local data = redis.call('HGET', KEYS[2], id)
    if data then
      local expires = cjson.decode(data).expiresAt
      if expires == nil or expires <= 0 or expires > now then
        out[#out + 1] = data
        if #out >= limit then
          break
        end
      end
    end
  end
  start = start + limit
end
return out
