package io.tether.push.apns;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import java.util.Locale;

/** Which APNs issued a device token: a token only works with the environment that issued it. */
public enum ApnsEnvironment {
    PRODUCTION(ApnsClientBuilder.PRODUCTION_APNS_HOST),
    SANDBOX(ApnsClientBuilder.DEVELOPMENT_APNS_HOST);

    private final String host;

    ApnsEnvironment(String host) {
        this.host = host;
    }

    public String host() {
        return host;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The registry's {@code pushEnvironment} field; production when absent, as the registry defaults it. */
    public static ApnsEnvironment ofDevice(String value) {
        return value != null && value.equalsIgnoreCase("sandbox") ? SANDBOX : PRODUCTION;
    }
}
