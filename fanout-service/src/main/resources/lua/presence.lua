-- Applies one presence event with compare-and-set on the connection epoch: an event of an older connection
-- never overrides a newer one (a device that reconnected elsewhere stays present).
-- KEYS: 1 presence hash, 2 inbox meta
-- ARGV: 1 kind, 2 epoch, 3 gateway id, 4 at ms
-- Returns {applied (0|1), state after}.
local p = redis.call('HMGET', KEYS[1], 'epoch', 'state')
local current = tonumber(p[1] or '0')
local state = p[2] or 'OFFLINE'
local epoch = tonumber(ARGV[2])
local kind = ARGV[1]

-- Whatever was handed to the gateway but not acknowledged is sent again from the start of the inbox.
local function rewind()
  redis.call('HSET', KEYS[2], 'cursor', 0)
end
local function set_state(new_state)
  redis.call('HSET', KEYS[1], 'state', new_state, 'since', ARGV[4])
  return {1, new_state}
end

if kind == 'CONNECTED' then
  if epoch <= current then
    return {0, state}
  end
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'gatewayId', ARGV[3], 'appState', 'foreground', 'receiving', 0)
  rewind()
  return set_state('LIVE')
end
if kind == 'DISCONNECTED' then
  if epoch < current then
    return {0, state}
  end
  -- epoch > current: a connection whose CONNECTED we never saw ended; it still fences older events.
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'receiving', 0)
  rewind()
  return set_state('OFFLINE')
end
if epoch ~= current or state == 'OFFLINE' then
  return {0, state}
end
if kind == 'RECEIVING' then
  redis.call('HSET', KEYS[1], 'receiving', 1)
  return {1, state}
end
if kind == 'BACKGROUND' then
  if state == 'BACKGROUND' then
    return {0, state}
  end
  redis.call('HSET', KEYS[1], 'appState', 'background')
  rewind()
  return set_state('BACKGROUND')
end
if kind == 'FOREGROUND' then
  if state == 'LIVE' then
    -- Already live: what is in flight on this connection stays in flight (no duplicate hand-over).
    return {0, state}
  end
  redis.call('HSET', KEYS[1], 'appState', 'foreground')
  rewind()
  return set_state('LIVE')
end
if kind == 'RESPONSIVE' then
  if state ~= 'SUSPECT' then
    return {0, state}
  end
  rewind()
  if redis.call('HGET', KEYS[1], 'appState') == 'background' then
    return set_state('BACKGROUND')
  end
  return set_state('LIVE')
end
if kind == 'ACK_TIMEOUT' then
  if state == 'SUSPECT' then
    return {0, state}
  end
  rewind()
  return set_state('SUSPECT')
end
return {0, state}
