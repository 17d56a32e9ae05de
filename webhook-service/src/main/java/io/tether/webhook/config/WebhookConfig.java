package io.tether.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How webhooks are delivered ({@code tether.webhooks.*}, {@code TETHER_WEBHOOKS_*}). */
@ConfigMapping(prefix = "tether.webhooks")
public interface WebhookConfig {

    /**
     * Longest an attempt takes, connecting included, until the receiver's status; a slower one counts as failed. The
     * body of the answer is never read. Default 10 s.
     */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * Whether webhooks may be registered for, and sent to, addresses inside the network webhook-service runs in:
     * loopback, link-local (169.254/16, fe80::/10, cloud metadata endpoints), private (10/8, 172.16/12, 192.168/16,
     * fc00::/7), unspecified and multicast. Off in production, so a webhook cannot make the service a proxy into the
     * cluster: a URL whose host is, or resolves to, such an address is refused at registration (400 naming {@code url})
     * and each attempt checks again (a name may resolve elsewhere later). On for a local run and tests, whose receivers
     * listen on 127.0.0.1. Default false.
     */
    @WithDefault("false")
    boolean allowPrivateDestinations();

    /**
     * Deliveries in flight at once on this instance, over all webhooks. Each webhook with due deliveries has at most an
     * equal share of them (at least 1), so a slow or dead receiver cannot hold every slot. Default 64.
     */
    @WithDefault("64")
    int maxInFlight();

    /** How often due deliveries are looked for. Default 200 ms. */
    @WithDefault("200ms")
    Duration pollInterval();

    /**
     * How long a claimed delivery belongs to this instance; another instance takes it over after that (this one
     * crashed). Longer than {@link #requestTimeout()}. Default 60 s.
     */
    @WithDefault("60s")
    Duration lease();

    /** Entries kept in each webhook's delivery log (newest first). Default 1000. */
    @WithDefault("1000")
    int logSize();

    /** Dead letters kept per webhook (newest first); older ones are dropped. Default 10,000. */
    @WithDefault("10000")
    int deadLetterSize();

    /**
     * Events a device's queue holds per webhook; an event that finds it full becomes a dead letter at once (reason
     * "queue full"; counted in {@code tether_webhook_overflows_total}). Default 1000.
     */
    @WithDefault("1000")
    int maxQueuedPerDevice();

    /** Events in hand at once in the intake consumer. Default 1000. */
    @WithDefault("1000")
    int maxIntakeInFlight();

    Retry retry();

    /** Failed deliveries are tried again after {@code initial-backoff}, doubling to {@code max-backoff}, until {@code give-up-after}. */
    interface Retry {
        /** Default 5 s. */
        @WithDefault("5s")
        Duration initialBackoff();

        /** Default 1 h. */
        @WithDefault("1h")
        Duration maxBackoff();

        /**
         * Time since the first failed attempt after which the event becomes a dead letter. Counted from when the
         * device's queue started failing: once it has failed this long, each next event queued behind is a dead letter
         * after one failed attempt, until a delivery succeeds or the queue runs empty. Default 24 h.
         */
        @WithDefault("24h")
        Duration giveUpAfter();
    }
}
