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

    /**
     * Requests that fail to authenticate (401), per source address (an IPv6 address by its /64) across every instance
     * (counted in Redis): beyond {@code free} of them the address must wait, {@code firstWait} doubling up to
     * {@code maxWait}, and is answered 429 with {@code Retry-After} meanwhile; after {@code banAfter} it is banned for
     * {@code ban}. Behind a proxy or load balancer, let Quarkus take the client's address from its headers
     * ({@code quarkus.http.proxy.proxy-address-forwarding}, {@code trusted-proxies}), or every client counts as the proxy.
     */
    AuthFailures authFailures();

    interface AuthFailures {
        /** Default true. */
        @WithDefault("true")
        boolean enabled();

        /** Failures of one address before it must wait. Default 20. */
        @WithDefault("20")
        int free();

        /** The first wait; it doubles with each further failure. Default 1 s. */
        @WithDefault("1s")
        Duration firstWait();

        /** The longest wait. Default 60 s. */
        @WithDefault("60s")
        Duration maxWait();

        /** Failures after which the next one bans the address. Default 100. */
        @WithDefault("100")
        int banAfter();

        /** How long a ban lasts. Default 15 min. */
        @WithDefault("15m")
        Duration ban();

        /** How long failures are remembered after the last one. Default 10 min. */
        @WithDefault("10m")
        Duration window();
    }

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
