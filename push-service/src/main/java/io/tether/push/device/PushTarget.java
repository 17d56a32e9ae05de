package io.tether.push.device;

import io.tether.contract.PushTokenSlot;
import io.tether.push.apns.ApnsEnvironment;

/**
 * What the registry knows about a device that matters for one push.
 *
 * @param platform    the registry's wire name (ios, ipados, macos, tvos, watchos); may be null
 * @param appId       the bundle id the device's app was registered with; may be null
 * @param slot        which of the device's tokens the push needs
 * @param pushToken   that token, lowercase hex; null when the device has none (or it was invalidated)
 * @param environment the APNs environment that issued it
 * @param tokenUpdatedAt epoch millis the token was set; 0 when unknown
 */
public record PushTarget(String deviceId, String platform, String appId, PushTokenSlot slot, String pushToken,
        ApnsEnvironment environment, long tokenUpdatedAt) {

    /** A device's standard token. */
    public PushTarget(String deviceId, String platform, String appId, String pushToken, ApnsEnvironment environment) {
        this(deviceId, platform, appId, PushTokenSlot.ALERT, pushToken, environment, 0);
    }
}
