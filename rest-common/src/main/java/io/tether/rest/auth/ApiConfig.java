package io.tether.rest.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Backend API authentication and limits ({@code tether.api.*}). */
@ConfigMapping(prefix = "tether.api")
public interface ApiConfig {

    /**
     * A key accepted with every scope, for bootstrapping before stored keys exist
     * ({@code TETHER_API_BOOTSTRAP_KEY}). No default: without it, only keys stored in Redis are accepted, and
     * in a service without Redis every {@code /v1/} request is answered 401.
     */
    Optional<String> bootstrapKey();

    /**
     * How long an instance trusts what it looked up about a stored key, valid or not: a deleted key keeps
     * working on other instances for at most this long. Default 5 s.
     */
    @WithDefault("5s")
    Duration keyCacheTtl();

    /** How long looking a key up in Redis may take before the request is answered 503. Default 2 s. */
    @WithDefault("2s")
    Duration keyLookupTimeout();

    /** Requests per caller (API key, or device on device endpoints), per instance. */
    RateLimit rateLimit();

    interface RateLimit {
        /** Default true. */
        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per second per caller and instance. Default 1000. */
        @WithDefault("1000")
        double perSecond();

        /** Requests a caller may make at once after being idle (the bucket size). Default 2000. */
        @WithDefault("2000")
        int burst();
    }
}
