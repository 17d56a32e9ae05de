package io.tether.registry.device;

import io.tether.contract.Platform;
import java.util.Locale;
import java.util.Objects;

/**
 * What a backend asks to register; already validated at the edge.
 *
 * @param userId          may be null
 * @param pushToken       hex APNs token, may be null; kept in lowercase so one token has one spelling
 * @param pushEnvironment may be null; production when a token is given without one
 */
public record NewDevice(Platform platform, String appId, String userId, String pushToken, PushEnvironment pushEnvironment) {

    public NewDevice {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(appId, "appId");
        pushToken = pushToken == null ? null : pushToken.toLowerCase(Locale.ROOT);
        if (pushToken != null && pushEnvironment == null) {
            pushEnvironment = PushEnvironment.PRODUCTION;
        }
    }
}
