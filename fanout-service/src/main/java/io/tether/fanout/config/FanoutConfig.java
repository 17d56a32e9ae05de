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

    /** Longest time to live a message may ask for. Default 28 days (what APNs keeps at most). */
    @WithDefault("P28D")
    Duration maxTtl();

    /** Largest payload accepted by {@code POST /v1/messages}, in bytes. Default 256 KiB. */
    @WithDefault("262144")
    int maxPayloadBytes();

    /** How long delivery statuses are kept after the message's TTL. Default 7 days. */
    @WithDefault("P7D")
    Duration statusRetention();

    /** Deliveries to one device awaiting PUBACK at once. Default 32. */
    @WithDefault("32")
    int window();

    /** Inbox bound per device: messages. Default 1000. */
    @WithDefault("1000")
    int inboxMaxMessages();

    /** Inbox bound per device: payload bytes. Default 8 MiB. */
    @WithDefault("8388608")
    long inboxMaxBytes();

    /**
     * Data-only messages (no push options) that fall back to push share one background "nudge" per device per
     * this interval; APNs throttles background pushes. Default 30 s.
     */
    @WithDefault("30s")
    Duration nudgeInterval();

    /** How often expired messages and dead gateways are looked for. Default 1 s. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** Sorted sets the expiry index is spread over. Default 16. */
    @WithDefault("16")
    int expiryShards();

    /** How long a gateway heartbeat check is cached. Default 500 ms. */
    @WithDefault("500ms")
    Duration gatewayLivenessCache();

    /**
     * Refuse messages with push options for named devices whose app push-service holds no APNs credentials for, or
     * whose app may not send the push type, as push-service published its apps. Default true.
     */
    @WithDefault("true")
    boolean requirePushApp();

    /** Partitions of the per-device topics (downstream, presence, receipts) when fanout creates them. Default 8. */
    @WithDefault("8")
    int partitions();
}
