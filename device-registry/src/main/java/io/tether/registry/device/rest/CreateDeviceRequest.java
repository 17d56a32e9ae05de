package io.tether.registry.device.rest;

import io.tether.contract.Platform;
import io.tether.registry.device.NewDevice;
import io.tether.registry.device.PushEnvironment;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Body of {@code POST /v1/devices}. Unknown JSON members are ignored. */
public record CreateDeviceRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = "ios|ipados|macos|tvos|watchos", message = "must be one of ios, ipados, macos, tvos, watchos")
        String platform,

        @NotNull(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9.-]{1,155}", message = "must be a bundle id: 1 to 155 of A-Z a-z 0-9 . -")
        String appId,

        @Pattern(regexp = "[A-Za-z0-9._@-]{1,128}", message = "must be 1 to 128 of A-Z a-z 0-9 . _ @ -")
        String userId,

        // An APNs device token: 32 bytes today, up to 100 bytes allowed for the future; whole bytes only.
        @Pattern(regexp = "(?:[0-9A-Fa-f]{2}){32,100}", message = "must be an APNs device token: 64 to 200 hex digits")
        String pushToken,

        @Pattern(regexp = "sandbox|production", message = "must be sandbox or production")
        String pushEnvironment) {

    /** Only after Bean Validation passed. */
    NewDevice toNewDevice() {
        return new NewDevice(Platform.parse(platform).orElseThrow(), appId, userId, pushToken,
                pushEnvironment == null ? null : PushEnvironment.parse(pushEnvironment).orElseThrow());
    }

    @Override
    public String toString() {
        return "CreateDeviceRequest[platform=" + platform + ", appId=" + appId + ", userId=" + userId
                + ", pushToken=" + (pushToken == null ? "none" : "***") + ", pushEnvironment=" + pushEnvironment + "]";
    }
}
