package io.tether.fanout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Routing, inbox and status settings. */
@ConfigMapping(prefix = "tether.fanout")
public interface FanoutConfig {

    /** Time to live of a message that names none. Default 1 day. */
    @WithDefault("P1D")
    Duration defaultTtl();

    /** Largest payload accepted by {@code POST /v1/messages}, in bytes. Default 256 KiB. */
    @WithDefault("262144")
    int maxPayloadBytes();

    /** How often expired messages and dead gateways are looked for. Default 1 s. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** Sorted sets the expiry index is spread over. Default 16. */
    @WithDefault("16")
    int expiryShards();

    /**
     * How long a gateway's heartbeat must be seen missing, while Redis answers, before its devices are taken offline.
     * Set it to the gateways' heartbeat TTL ({@code tether.gateway.heartbeat-ttl}). Default 10 s.
     */
    @WithDefault("10s")
    Duration gatewayGrace();

    /**
     * Refuse messages with push options for named devices whose app push-service holds no APNs credentials for, or
     * whose app may not send the push type, as push-service published its apps. Default true.
     */
    @WithDefault("true")
    boolean requirePushApp();

    /** Records of the per-device topics in hand at once (being routed or waiting behind their device). Default 2000. */
    @WithDefault("2000")
    int maxInFlight();

    /** How long an {@code Idempotency-Key} of {@code POST /v1/messages} is remembered. Default 24 h. */
    @WithDefault("PT24H")
    Duration idempotencyWindow();

    /**
     * Most devices one message to a topic or an app may reach (checked when it is accepted: a larger audience is 400).
     * Default 100,000.
     */
    @WithDefault("100000")
    long maxBroadcastDevices();
}
