-- Applies one presence event with a compare-and-set on the connection epoch (an event of an older connection never
-- overrides a newer one), then, when it changed anything, moves the inbox along (pump) in the same atomic step.
-- ARGV 1-8: routing arguments (lib.lua); 9 device id, 10 kind, 11 epoch, 12 gateway id, 13 at ms,
-- 14 for REASSERTED: the app state the gateway holds (foreground|background; a RECEIVING follows when subscribed),
-- 15 the event's reason ('' when none).
-- Returns {applied 0|1, state after, app state after ('' when none is stored), app of a deleted device ('' for one
-- that exists), <pump result when applied>...}: the app state goes into fanout's presence event for backends, which
-- then needs no read of its own; so does a deleted device's app, which nothing else names any more.
local P = routing_args()
local device, kind, epoch, gateway, at = ARGV[9], ARGV[10], tonumber(ARGV[11]), ARGV[12], ARGV[13]
if redis.call('EXISTS', RECORD) == 0 then
  -- A deleted device: nothing is kept or moved for it, but one thing may be owed. Deleted while not OFFLINE, it
  -- still owes backends its last presence change: the registry left its presence hash as a tombstone (deletedWhile,
  -- its appId, state OFFLINE so nothing is handed over), and the DISCONNECTED of that connection or a newer one (the
  -- gateway closes it on the deletion; fanout's reaper reports one of a dead gateway) settles it as OFFLINE, once.
  -- The same event read again (fanout died before its event was written) answers the same, so it is not lost.
  local t = redis.call('HMGET', PRESENCE, 'deletedWhile', 'epoch', 'appState', 'appId', 'finalAt')
  local current = tonumber(t[2] or '0')
  if t[1] and kind == 'DISCONNECTED' and epoch >= current and (not t[5] or (epoch == current and at == t[5])) then
    redis.call('HSET', PRESENCE, 'epoch', ARGV[11], 'finalAt', at)
    return {1, 'OFFLINE', t[3] or '', t[4] or '', 'hold', 'deleted'}
  end
  return {0, 'OFFLINE', '', ''}
end
local p = redis.call('HMGET', PRESENCE, 'epoch', 'state', 'appState', 'reassertedAt')
local current, state, app = tonumber(p[1] or '0'), p[2] or 'OFFLINE', p[3] or ''

local function rewind()
  -- Whatever was handed over but not acknowledged is handed over again, from the head of the inbox.
  redis.call('HSET', META, 'cursor', 0)
end
local function set_state(new_state)
  redis.call('HSET', PRESENCE, 'state', new_state, 'since', at, 'lastSeen', at)
  return append({1, new_state, app, ''}, pump(device, P))
end
local function set_app(new_app)
  redis.call('HSET', PRESENCE, 'appState', new_app)
  app = new_app
end
local function unchanged()
  return {0, state, app, ''}
end

if kind == 'CONNECTED' then
  if epoch <= current then
    return unchanged()
  end
  redis.call('HSET', PRESENCE, 'epoch', ARGV[11], 'gatewayId', gateway, 'appState', 'foreground', 'receiving', 0)
  app = 'foreground'
  rewind()
  return set_state('LIVE')
end
if kind == 'REASSERTED' then
  -- A gateway that finds its heartbeat lapsed (Redis restarted or lost data, or it was taken for dead) states what
  -- it holds. It wins over what is stored for its own or an older epoch, never over a newer connection.
  if epoch < current then
    return unchanged()
  end
  local app_state = ARGV[14] == 'background' and 'background' or 'foreground'
  redis.call('HSET', PRESENCE, 'epoch', ARGV[11], 'gatewayId', gateway, 'appState', app_state, 'receiving', 0,
      'reassertedAt', at)
  app = app_state
  rewind()
  return set_state(app_state == 'background' and 'BACKGROUND' or 'LIVE')
end
if kind == 'DISCONNECTED' then
  if epoch < current then
    return unchanged()
  end
  -- fanout's reaper took the gateway for dead when it read its devices (at, fanout's clock); a gateway that came back
  -- stated its connections again (REASSERTED, at the gateway's clock) after that time, and that wins: the connection
  -- is there.
  if ARGV[15] == 'gateway-lost' and epoch == current and tonumber(p[4] or '0') > tonumber(at) then
    return unchanged()
  end
  -- epoch > current: a connection whose CONNECTED we never saw ended; it still fences older events.
  redis.call('HSET', PRESENCE, 'epoch', ARGV[11], 'receiving', 0)
  rewind()
  return set_state('OFFLINE')
end
if epoch ~= current or state == 'OFFLINE' then
  return unchanged()
end
if kind == 'RECEIVING' then
  if redis.call('HGET', PRESENCE, 'receiving') == '1' then
    return unchanged()
  end
  redis.call('HSET', PRESENCE, 'receiving', 1)
  return append({1, state, app, ''}, pump(device, P))
end
if kind == 'BACKGROUND' then
  if state == 'BACKGROUND' then
    return unchanged()
  end
  set_app('background')
  rewind()
  return set_state('BACKGROUND')
end
if kind == 'FOREGROUND' then
  if state == 'LIVE' then
    -- Already live: what is in flight on this connection stays in flight (no duplicate hand-over).
    return unchanged()
  end
  set_app('foreground')
  rewind()
  return set_state('LIVE')
end
if kind == 'RESPONSIVE' then
  if state ~= 'SUSPECT' then
    return unchanged()
  end
  rewind()
  if app == 'background' then
    return set_state('BACKGROUND')
  end
  return set_state('LIVE')
end
if kind == 'ACK_TIMEOUT' then
  if state == 'SUSPECT' then
    return unchanged()
  end
  rewind()
  return set_state('SUSPECT')
end
return unchanged()
