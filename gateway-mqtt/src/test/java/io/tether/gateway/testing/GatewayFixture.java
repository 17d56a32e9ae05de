package io.tether.gateway.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Topics;
import io.tether.gateway.delivery.Acknowledgements;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.MqttTracing;
import io.tether.gateway.mqtt.SessionServices;
import io.tether.gateway.mqtt.SessionLimits;
import io.tether.gateway.mqtt.SessionSettings;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.tracing.MessagingSpans;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One gateway's shared parts, without sockets, Kafka or Redis: hand-fired timers on a real event loop, Kafka's
 * {@link MockProducer} (completing at once unless built with {@code autoComplete} false), an in-memory store and inbox.
 */
public final class GatewayFixture {
    public static final String GATEWAY_ID = "gw-test";
    /**
     * Ack deadline 5 s, window 4, payloads up to 1 KiB, sessions kept up to 1 h, keepalive up to 60 s, packets up to
     * 4 KiB; 3 filters, topics up to 64 bytes and 6 levels, 4 QoS 1 PUBLISHes and 64 KiB on their way to Kafka.
     */
    public static final SessionSettings SETTINGS = new SessionSettings(Duration.ofSeconds(5), 4, 1024, 1000, 1000,
            Duration.ofHours(1), 60, 4096, new SessionLimits(3, 64, 6, 4, 65536, 1024, limit -> { }));

    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "test-retries");
        thread.setDaemon(true);
        return thread;
    });

    public final FakeVertx vertx = new FakeVertx();
    public final FakeStore store = new FakeStore();
    public final FakeInbox inbox = new FakeInbox();
    public final MockProducer<String, byte[]> kafka;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final GatewayMetrics metrics = new GatewayMetrics(registry);
    public final Connections connections = new Connections(store, GATEWAY_ID);
    public final FakeHooks hooks = new FakeHooks(store, GATEWAY_ID);
    public final SessionServices services;

    public GatewayFixture() {
        this(true);
    }

    public GatewayFixture(boolean kafkaAutoComplete) {
        kafka = new MockProducer<>(kafkaAutoComplete, null, new StringSerializer(), new ByteArraySerializer());
        Retry retry = new Retry(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), () -> 0.5), RETRIES);
        EventPublisher events = new EventPublisher(kafka, GATEWAY_ID, MessagingSpans.off(), retry);
        services = new SessionServices(vertx.vertx(), events, connections, store, SETTINGS, new MqttTracing(MessagingSpans.off()),
                new Acknowledgements(inbox, GATEWAY_ID, retry, metrics), hooks);
    }

    /** The presence events written to Kafka so far, in order. */
    public List<PresenceEvent> presence() {
        return kafka.history().stream().filter(r -> r.topic().equals(Topics.PRESENCE))
                .map(r -> Json.fromBytes(r.value(), PresenceEvent.class)).toList();
    }

    /** Their kinds, in order. */
    public List<PresenceEvent.Kind> presenceKinds() {
        return presence().stream().map(PresenceEvent::kind).toList();
    }

    /** The upstream records written to Kafka so far. */
    public List<ProducerRecord<String, byte[]>> upstream() {
        return kafka.history().stream().filter(r -> r.topic().equals(Topics.UPSTREAM)).toList();
    }
}
