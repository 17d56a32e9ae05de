package io.tether.inbox.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tether.inbox.InboxSettings;
import java.time.Duration;

/**
 * The device inbox, one configuration for fanout-service and gateway-mqtt (both run its scripts: fanout queues and
 * routes, the gateway acknowledges and hands the next entries over), {@code TETHER_INBOX_*}.
 */
@ConfigMapping(prefix = "tether.inbox")
public interface InboxConfig {

    /** Deliveries to one device awaiting PUBACK at once. Default 32. */
    @WithDefault("32")
    int window();

    /**
     * Bound per device: messages. It protects Redis against an abandoned device, not a slow drain: at the bound the
     * oldest message not in flight gives way (status failed, reason inbox-overflow). Default 10,000.
     */
    @WithDefault("10000")
    int maxMessages();

    /** Bound per device: payload bytes, enforced the same way. Default 64 MiB. */
    @WithDefault("67108864")
    long maxBytes();

    /**
     * Data-only messages (no push options) that fall back to push share one background "nudge" per device per this
     * interval; APNs throttles background pushes. Default 30 s.
     */
    @WithDefault("30s")
    Duration nudgeInterval();

    /** How long delivery statuses are kept after the message's TTL. Default 7 days. */
    @WithDefault("P7D")
    Duration statusRetention();

    /** Longest time to live a message may ask for. Default 28 days (what APNs keeps at most). */
    @WithDefault("P28D")
    Duration maxTtl();

    default InboxSettings settings() {
        return new InboxSettings(maxMessages(), maxBytes(), window(), nudgeInterval().toMillis(),
                statusRetention().plus(maxTtl()).toSeconds(), statusRetention().toSeconds());
    }
}
