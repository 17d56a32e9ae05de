package io.tether.inbox;

import io.lettuce.core.api.sync.RedisCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a device's record as device-registry does (its DeviceHash: platform by its wire name, times in epoch millis,
 * absent values as absent fields). The inbox scripts read the platform and the push token from it; a message for a
 * device without a record fails with unknown-device.
 */
final class Devices {
    /** A push token of the shape the registry accepts (64 hex digits). */
    static final String TOKEN = "a1b2".repeat(16);
    /** The app of every device registered here. */
    static final String APP = "com.example.app";
    /** When the record and its token were written (epoch millis). */
    static final long CREATED_AT = 1_700_000_000_000L;

    private Devices() {
    }

    /** Registers {@code deviceId} of {@code platform} (its wire name); a null token means none was registered. */
    static void register(RedisCommands<String, String> redis, String deviceId, String platform, String pushToken) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(DeviceFields.ID, deviceId);
        fields.put(DeviceFields.PLATFORM, platform);
        fields.put(DeviceFields.APP_ID, APP);
        if (pushToken != null) {
            fields.put(DeviceFields.PUSH_TOKEN, pushToken);
            fields.put(DeviceFields.PUSH_ENVIRONMENT, "sandbox");
            fields.put(DeviceFields.PUSH_TOKEN_UPDATED_AT, Long.toString(CREATED_AT));
        }
        fields.put(DeviceFields.SECRET_HASH, "0".repeat(64));
        fields.put(DeviceFields.CREATED_AT, Long.toString(CREATED_AT));
        fields.put(DeviceFields.UPDATED_AT, Long.toString(CREATED_AT));
        redis.hset(RedisKeys.device(deviceId).record(), fields);
    }
}
