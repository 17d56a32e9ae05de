package io.tether.registry.device;

import io.tether.contract.Platform;
import java.time.Instant;

/**
 * What a PATCH changes; already validated at the edge.
 *
 * @param appId      null: unchanged
 * @param platform   null: unchanged
 * @param changeUser whether {@code userId} applies
 * @param userId     the new user, or null to remove the device from its user
 */
public record DeviceChanges(String appId, Platform platform, boolean changeUser, String userId) {

    public static final DeviceChanges NONE = new DeviceChanges(null, null, false, null);

    Device applyTo(Device device, Instant now) {
        return new Device(device.id(), platform == null ? device.platform() : platform,
                appId == null ? device.appId() : appId, changeUser ? userId : device.userId(),
                device.pushToken(), device.pushEnvironment(), device.pushTokenUpdatedAt(), device.secretHash(),
                device.createdAt(), now);
    }
}
