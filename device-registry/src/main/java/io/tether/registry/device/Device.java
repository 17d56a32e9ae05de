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
 * @param pushTokenUpdatedAt when the push token was set; null without a token. push-service keeps a token that was
 *                           set after APNs' token-invalidation timestamp
 * @param secretHash      hex SHA-256 of the MQTT password; null once the credentials were revoked (no password
 *                        works until they are rotated)
 */
public record Device(String id, Platform platform, String appId, String userId, String pushToken,
                     PushEnvironment pushEnvironment, Instant pushTokenUpdatedAt, String secretHash, Instant createdAt,
                     Instant updatedAt) {

    public Device {
        DeviceId.requireValid(id);
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean hasPushToken() {
        return pushToken != null;
    }

    public boolean credentialsRevoked() {
        return secretHash == null;
    }

    /** Never the push token or the secret hash: records end up in assertion messages and logs. */
    @Override
    public String toString() {
        return "Device[id=" + id + ", platform=" + platform.wire() + ", appId=" + appId + ", userId=" + userId
                + ", pushToken=" + (pushToken == null ? "none" : "***") + ", pushEnvironment=" + pushEnvironment
                + ", credentialsRevoked=" + credentialsRevoked() + "]";
    }
}
