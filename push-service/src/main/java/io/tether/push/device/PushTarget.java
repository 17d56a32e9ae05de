package io.tether.push.device;

import io.tether.push.apns.ApnsEnvironment;

/**
 * What the registry knows about a device that matters for a push.
 *
 * @param platform  the registry's wire name (ios, ipados, macos, tvos, watchos); may be null
 * @param appId     the bundle id the device's app was registered with; may be null
 * @param pushToken lowercase hex; null when the device has none (or it was invalidated)
 */
public record PushTarget(String deviceId, String platform, String appId, String pushToken, ApnsEnvironment environment) {
}
