package io.tether.registry.device;

import io.tether.runtime.redis.LuaScript;

/**
 * The Lua scripts that keep a device record and its indexes consistent. A script runs atomically; a MULTI
 * on the one shared connection would interleave with other requests' commands.
 *
 * <p>Redis Cluster caveat: the record ({@code {d:<id>}}), the user index ({@code {u:<user>}}), the app index
 * ({@code {a:<app>}}), the platform index ({@code {p:<platform>}}) and {@code tether:devices} live in
 * different hash slots, so these scripts need all of them on one node: standalone Redis (or one master with
 * replicas) today. A cluster needs a different design (e.g. indexes updated from a change stream, or
 * per-slot index shards).
 *
 * <p>Field names are those of {@code DeviceFields}; scripts compare a device's indexed fields
 * (user '' for none, app, platform) with what the caller read, and answer -1 when they changed since, so
 * the caller reads again and passes the right index keys.
 */
final class DeviceScripts {
    private DeviceScripts() {
    }

    /**
     * KEYS[1] record, KEYS[2] presence, KEYS[3..] indexes: the first ARGV[2] of them sets, the rest sorted sets.
     * ARGV[1] device id, ARGV[2] number of set indexes, ARGV[3..] field, value pairs. 1 created, 0 id taken. A device
     * registered under the id of one deleted while connected starts without that one's presence tombstone (see
     * DELETE): it would fence its connections' events by the old epoch and expire under it.
     */
    static final LuaScript CREATE = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            redis.call('DEL', KEYS[2])
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            local sets = tonumber(ARGV[2])
            for i = 3, #KEYS do
              if i - 2 <= sets then
                redis.call('SADD', KEYS[i], ARGV[1])
              else
                redis.call('ZADD', KEYS[i], 0, ARGV[1])
              end
            end
            return 1
            """);

    /**
     * KEYS[1] record, then the indexes to leave (ARGV[9] sets, ARGV[10] sorted sets), then those to join
     * (ARGV[11] sets, ARGV[12] sorted sets). ARGV[1] device id, ARGV[2..4] expected user, app, platform,
     * ARGV[5..7] new user ('' removes it), app, platform, ARGV[8] updatedAt. 1 done, 0 no such device, -1 changed.
     */
    static final LuaScript UPDATE = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            local current = redis.call('HMGET', KEYS[1], 'userId', 'appId', 'platform')
            if (current[1] or '') ~= ARGV[2] or (current[2] or '') ~= ARGV[3] or (current[3] or '') ~= ARGV[4] then
              return -1
            end
            if ARGV[5] == '' then
              redis.call('HDEL', KEYS[1], 'userId')
            else
              redis.call('HSET', KEYS[1], 'userId', ARGV[5])
            end
            redis.call('HSET', KEYS[1], 'appId', ARGV[6], 'platform', ARGV[7], 'updatedAt', ARGV[8])
            local k = 2
            for i = 1, tonumber(ARGV[9]) do redis.call('SREM', KEYS[k], ARGV[1]); k = k + 1 end
            for i = 1, tonumber(ARGV[10]) do redis.call('ZREM', KEYS[k], ARGV[1]); k = k + 1 end
            for i = 1, tonumber(ARGV[11]) do redis.call('SADD', KEYS[k], ARGV[1]); k = k + 1 end
            for i = 1, tonumber(ARGV[12]) do redis.call('ZADD', KEYS[k], 0, ARGV[1]); k = k + 1 end
            return 1
            """);

    /**
     * KEYS[1] record, KEYS[2] presence, KEYS[3..ARGV[7]] the device's other keys, deleted with it (grants, push tokens,
     * epoch), then its indexes (the first ARGV[5] sets, the rest sorted sets). ARGV[1] device id, ARGV[2..4] expected
     * user, app, platform, ARGV[5] number of set indexes, ARGV[6] the credential-change channel: a connected device is
     * dropped, ARGV[7] number of the device's own keys, ARGV[8] number of the keys after them that expire in ARGV[9]
     * ms instead (its inbox: the expiry sweep settles its messages first), then its indexes. 1 deleted, 0 no such
     * device, -1 changed.
     *
     * <p>The presence of a device that is not OFFLINE is not deleted but left as its tombstone, expiring with the
     * inbox: backends saw it connected, and its last presence event, OFFLINE, is still owed. The connection's
     * DISCONNECTED gives it (the gateway closes the connection on the announcement here, or at its next audit; fanout's
     * reaper reports it for a dead gateway), through fanout's presence.lua, which needs from the tombstone the state
     * it was in, the app (for webhooks: the record is gone) and the epoch; its state OFFLINE meanwhile, so nothing is
     * handed to the closing connection.
     */
    static final LuaScript DELETE = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            local current = redis.call('HMGET', KEYS[1], 'userId', 'appId', 'platform')
            if (current[1] or '') ~= ARGV[2] or (current[2] or '') ~= ARGV[3] or (current[3] or '') ~= ARGV[4] then
              return -1
            end
            local own = tonumber(ARGV[7])
            local state = redis.call('HGET', KEYS[2], 'state')
            if state and state ~= 'OFFLINE' then
              redis.call('HSET', KEYS[2], 'state', 'OFFLINE', 'receiving', '0', 'deletedWhile', state, 'appId', current[2])
              redis.call('PEXPIRE', KEYS[2], ARGV[9])
              redis.call('DEL', KEYS[1], unpack(KEYS, 3, own))
            else
              redis.call('DEL', unpack(KEYS, 1, own))
            end
            local expiring = tonumber(ARGV[8])
            for i = own + 1, own + expiring do
              redis.call('PEXPIRE', KEYS[i], ARGV[9])
            end
            own = own + expiring
            local sets = tonumber(ARGV[5])
            for i = own + 1, #KEYS do
              if i - own <= sets then
                redis.call('SREM', KEYS[i], ARGV[1])
              else
                redis.call('ZREM', KEYS[i], ARGV[1])
              end
            end
            redis.call('PUBLISH', ARGV[6], ARGV[1])
            return 1
            """);

    /**
     * Changes fields of an existing record that no index depends on. KEYS[1] record. ARGV[1] device id,
     * ARGV[2] channel to publish the id on afterwards ('' for none), ARGV[3] number n of fields to delete,
     * ARGV[4..3+n] those fields, then field, value pairs to set. 1 done, 0 no such device: nothing is written for a
     * device that is gone, so a write racing a DELETE never recreates a partial record. A change that is announced
     * (credentials) also raises the record's credential version, which gateways compare with the one a connection
     * authenticated under: a missed announcement still closes the connection at their next check.
     */
    static final LuaScript CHANGE_FIELDS = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            local deletes = tonumber(ARGV[3])
            if deletes > 0 then
              redis.call('HDEL', KEYS[1], unpack(ARGV, 4, 3 + deletes))
            end
            if #ARGV > 3 + deletes then
              redis.call('HSET', KEYS[1], unpack(ARGV, 4 + deletes))
            end
            if ARGV[2] ~= '' then
              redis.call('HINCRBY', KEYS[1], 'credentialVersion', 1)
              redis.call('PUBLISH', ARGV[2], ARGV[1])
            end
            return 1
            """);
}
