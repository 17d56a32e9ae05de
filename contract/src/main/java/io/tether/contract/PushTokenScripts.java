package io.tether.contract;

/**
 * The Lua that writes a device's non-alert tokens, shared by the registry (REST) and the gateway (the device's
 * {@code $tether/push-token} signal), so both keep the same bound and housekeeping.
 */
public final class PushTokenScripts {
    /** Most tokens of the push-tokens hash per device (VoIP, push-to-start types and running activities together). */
    public static final int MAX_TOKENS = 32;
    /**
     * A Live Activity token not set again for this long belongs to an activity that is over: the system ends an
     * activity after 8 hours and removes it from the Lock Screen at most 4 hours later.
     */
    public static final long STALE_ACTIVITY_MILLIS = 12L * 60 * 60 * 1000;

    /**
     * KEYS[1] device record, KEYS[2] its push-tokens hash. ARGV[1] field, ARGV[2] the {@link StoredPushToken}
     * JSON ('' removes the field), ARGV[3] now in epoch millis (the record's updatedAt), ARGV[4] most fields,
     * ARGV[5] Live Activity tokens set before this time (epoch millis) are dropped first when the hash is full.
     * Returns 1 done, 0 no such device, -1 full.
     */
    public static final String SET = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            if ARGV[2] == '' then
              redis.call('HDEL', KEYS[2], ARGV[1])
            else
              if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then
                local all = redis.call('HGETALL', KEYS[2])
                for i = 1, #all, 2 do
                  if string.sub(all[i], 1, 13) == 'liveActivity:' then
                    local ok, stored = pcall(cjson.decode, all[i + 1])
                    if not ok or type(stored) ~= 'table' or (tonumber(stored.updatedAt) or 0) < tonumber(ARGV[5]) then
                      redis.call('HDEL', KEYS[2], all[i])
                    end
                  end
                end
                if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then
                  return -1
                end
              end
              redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            end
            redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
            return 1
            """;

    private PushTokenScripts() {
    }

    /** ARGV of {@link #SET} for writing ({@code stored} non-null) or removing a slot's token. */
    public static String[] setArgs(PushTokenSlot slot, StoredPushToken stored, long now) {
        return new String[] {slot.field(), stored == null ? "" : stored.toJson(), Long.toString(now),
                Integer.toString(MAX_TOKENS), Long.toString(now - STALE_ACTIVITY_MILLIS)};
    }
}
