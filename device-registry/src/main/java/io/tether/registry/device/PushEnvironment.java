package io.tether.registry.device;

import java.util.Locale;
import java.util.Optional;

/** Which APNs environment a device's push token belongs to; a sandbox token fails in production and vice versa. */
public enum PushEnvironment {
    SANDBOX, PRODUCTION;

    /** As stored in {@code DeviceFields.PUSH_ENVIRONMENT} and shown in the API. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PushEnvironment> parse(String value) {
        for (PushEnvironment environment : values()) {
            if (environment.wire().equals(value)) {
                return Optional.of(environment);
            }
        }
        return Optional.empty();
    }
}
