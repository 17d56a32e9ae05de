package io.tether.registry.device;

import io.tether.contract.DeviceId;
import io.tether.contract.Platform;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered device as the registry stores it.
 *
 * @param userId          may be null
 * @param pushToken       may be null; never leaves the registry through the REST API
 * @param pushEnvironment may be null
 * @param secretHash      hex SHA-256 of the MQTT password
 */
public record Device(String id, Platform platform, String appId, String userId, String pushToken,
                     PushEnvironment pushEnvironment, String secretHash, Instant createdAt, Instant updatedAt) {

    public Device {
        DeviceId.requireValid(id);
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean hasPushToken() {
        return pushToken != null;
    }
}
