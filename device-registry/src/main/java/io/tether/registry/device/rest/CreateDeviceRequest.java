package io.tether.registry.device.rest;

import io.tether.contract.Platform;
import io.tether.registry.device.NewDevice;
import io.tether.registry.device.PushEnvironment;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Body of {@code POST /v1/devices}. Unknown JSON members are ignored. */
public record CreateDeviceRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = Fields.PLATFORM, message = Fields.PLATFORM_MESSAGE)
        String platform,

        @NotNull(message = "is required")
        @Pattern(regexp = Fields.APP_ID, message = Fields.APP_ID_MESSAGE)
        String appId,

        @Pattern(regexp = Fields.USER_ID, message = Fields.USER_ID_MESSAGE)
        String userId,

        @Pattern(regexp = Fields.PUSH_TOKEN, message = Fields.PUSH_TOKEN_MESSAGE)
        String pushToken,

        @Pattern(regexp = Fields.PUSH_ENVIRONMENT, message = Fields.PUSH_ENVIRONMENT_MESSAGE)
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
