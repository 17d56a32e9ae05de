package io.tether.registry.device;

import io.tether.contract.DeviceFields;
import io.tether.contract.Platform;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a {@link Device} to and from the fields of its Redis hash ({@link DeviceFields}): platform as
 * {@link Platform#wire()}, times as epoch milliseconds, absent values as absent fields.
 */
public final class DeviceHash {
    private DeviceHash() {
    }

    public static Map<String, String> toFields(Device device) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(DeviceFields.ID, device.id());
        fields.put(DeviceFields.PLATFORM, device.platform().wire());
        fields.put(DeviceFields.APP_ID, device.appId());
        putIfPresent(fields, DeviceFields.USER_ID, device.userId());
        putIfPresent(fields, DeviceFields.PUSH_TOKEN, device.pushToken());
        putIfPresent(fields, DeviceFields.PUSH_ENVIRONMENT,
                device.pushEnvironment() == null ? null : device.pushEnvironment().wire());
        putIfPresent(fields, DeviceFields.PUSH_TOKEN_UPDATED_AT,
                device.pushTokenUpdatedAt() == null ? null : Long.toString(device.pushTokenUpdatedAt().toEpochMilli()));
        putIfPresent(fields, DeviceFields.SECRET_HASH, device.secretHash());
        fields.put(DeviceFields.CREATED_AT, Long.toString(device.createdAt().toEpochMilli()));
        fields.put(DeviceFields.UPDATED_AT, Long.toString(device.updatedAt().toEpochMilli()));
        return fields;
    }

    /**
     * @throws IllegalStateException when the hash is not a device record this registry wrote (a bug or
     *                               tampering, not a client error)
     */
    public static Device fromFields(String id, Map<String, String> fields) {
        try {
            Platform platform = Platform.parse(fields.get(DeviceFields.PLATFORM))
                    .orElseThrow(() -> new IllegalArgumentException("platform"));
            String environment = fields.get(DeviceFields.PUSH_ENVIRONMENT);
            Instant createdAt = Instant.ofEpochMilli(Long.parseLong(fields.get(DeviceFields.CREATED_AT)));
            String updatedAt = fields.get(DeviceFields.UPDATED_AT);
            String tokenUpdatedAt = fields.get(DeviceFields.PUSH_TOKEN_UPDATED_AT);
            return new Device(id, platform, fields.get(DeviceFields.APP_ID), fields.get(DeviceFields.USER_ID),
                    fields.get(DeviceFields.PUSH_TOKEN),
                    environment == null ? null : PushEnvironment.parse(environment)
                            .orElseThrow(() -> new IllegalArgumentException("pushEnvironment")),
                    tokenUpdatedAt == null ? null : Instant.ofEpochMilli(Long.parseLong(tokenUpdatedAt)),
                    fields.get(DeviceFields.SECRET_HASH), createdAt,
                    updatedAt == null ? createdAt : Instant.ofEpochMilli(Long.parseLong(updatedAt)));
        } catch (RuntimeException e) {
            // Only names fields and parses timestamps, so the cause never quotes the token or the secret hash.
            throw new IllegalStateException("device record " + id + " is corrupt", e);
        }
    }

    private static void putIfPresent(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
