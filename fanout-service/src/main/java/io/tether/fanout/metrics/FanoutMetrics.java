package io.tether.fanout.metrics;

import io.tether.contract.MetricTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fanout's metrics (Prometheus names):
 * <ul>
 * <li>{@code tether_messages_accepted_total{target}}: messages accepted over REST (202), by target kind
 * ({@code device}, {@code devices}, {@code user}, {@code topic});
 * <li>{@code tether_messages_routed_total{route}}: per-device messages put in the inbox ({@code inbox}), handed to a
 * gateway ({@code live}; again after a rewind) or sent to push-service ({@code push});
 * <li>{@code tether_messages_status_total{status,reason}}: per-device status changes: {@code delivered},
 * {@code pushed}, {@code failed} (reason {@code inbox-full}, {@code unknown-device}, {@code no-subscription},
 * {@code puback-0x..}), {@code expired} (reason {@code ttl});
 * <li>{@code tether_fallbacks_total{reason}}: messages routed to push because the device was not reachable live,
 * by why: {@code signal} (app in the background), {@code deaf} (missed PUBACK), {@code offline};
 * <li>{@code tether_inbox_depth}: a device's inbox depth, sampled each time a message is queued (a histogram: no
 * device is ever scanned to compute it);
 * <li>{@code tether_presence_transitions_total{state}}: presence changes applied, by the state they led to;
 * <li>{@code tether_fanout_dead_letters_total}: routing records written to the dead-letter topic (they can never be
 * routed), as push-service's {@code tether_push_dead_letters_total} counts its own.
 * </ul>
 * Everything here is a counter or a histogram update: cheap, non-blocking, fine on a Redis or Kafka thread.
 */
public final class FanoutMetrics {
    public static final List<String> ROUTES = List.of("inbox", "live", "push");
    public static final List<String> FALLBACK_REASONS = List.of("signal", "deaf", "offline");

    private final MeterRegistry registry;
    private final DistributionSummary inboxDepth;
    private final Counter deadLetters;
    // Meters are looked up once per tag value, not built per message.
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
    private final Map<String, Counter> routed = new ConcurrentHashMap<>();
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final Map<String, Counter> statuses = new ConcurrentHashMap<>();
    private final Map<String, Counter> presence = new ConcurrentHashMap<>();

    public FanoutMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.inboxDepth = DistributionSummary.builder("tether.inbox.depth")
                .description("Messages in a device's inbox, sampled when one is queued")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
                .register(registry);
        // Registered up front, so that dashboards show 0 rather than nothing before the first message.
        ROUTES.forEach(route -> routedCounter(route));
        FALLBACK_REASONS.forEach(reason -> fallbackCounter(reason));
        for (String status : List.of("delivered", "pushed", "expired")) {
            statusCounter(status, status.equals("expired") ? "ttl" : "none");
        }
        deadLetters = Counter.builder("tether.fanout.dead.letters").description("Routing records sent to the dead-letter topic")
                .register(registry);
    }

    /** The broker took a dead letter of the routing consumer. */
    public void deadLettered() {
        deadLetters.increment();
    }

    public void accepted(String targetKind) {
        accepted.computeIfAbsent(targetKind, kind -> Counter.builder("tether.messages.accepted")
                .description("Messages accepted over REST (durable in Kafka)").tag("target", kind).register(registry)).increment();
    }

    public void routed(String route, int messages) {
        if (messages > 0) {
            routedCounter(route).increment(messages);
        }
    }

    /** A message got a new status for one device; {@code reason} may be null. */
    public void status(String status, String reason) {
        statusCounter(status, MetricTags.reason(reason)).increment();
    }

    /** Messages found past their TTL in a device's inbox and settled as expired. */
    public void expired(int messages) {
        if (messages > 0) {
            statusCounter("expired", "ttl").increment(messages);
        }
    }

    public void fallback(String reason, int messages) {
        if (messages > 0) {
            fallbackCounter(reason == null ? "unknown" : reason).increment(messages);
        }
    }

    public void inboxDepth(long depth) {
        inboxDepth.record(depth);
    }

    public void presence(String stateAfter) {
        presence.computeIfAbsent(stateAfter, state -> Counter.builder("tether.presence.transitions")
                .description("Presence changes applied, by the state they led to").tag("state", state).register(registry)).increment();
    }

    private Counter routedCounter(String route) {
        return routed.computeIfAbsent(route, r -> Counter.builder("tether.messages.routed")
                .description("Per-device messages by the route they took").tag("route", r).register(registry));
    }

    private Counter fallbackCounter(String reason) {
        return fallbacks.computeIfAbsent(reason, r -> Counter.builder("tether.fallbacks")
                .description("Messages sent to push because the device was not reachable live").tag("reason", r).register(registry));
    }

    private Counter statusCounter(String status, String reason) {
        return statuses.computeIfAbsent(status + '\u0000' + reason, k -> Counter.builder("tether.messages.status")
                .description("Per-device message status changes").tag("status", status).tag("reason", reason).register(registry));
    }
}
