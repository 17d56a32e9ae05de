package io.tether.gateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.tether.contract.PresenceEvent;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.tracing.MessagingSpans;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final List<PresenceEvent> written = new CopyOnWriteArrayList<>();
    private final EventPublisher events = new EventPublisher(producer, producer, "gw-a", new MessagingSpans(OpenTelemetry.noop()),
            new Retry(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), () -> 0.5), scheduler), written::add);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aPresenceEventIsReportedWrittenOnlyOnceTheBrokerAcknowledgedIt() {
        PresenceEvent refused = new PresenceEvent("d1", "gw-a", 1, PresenceEvent.Kind.DISCONNECTED, "shutdown", 1L);
        PresenceEvent accepted = new PresenceEvent("d2", "gw-a", 2, PresenceEvent.Kind.DISCONNECTED, "shutdown", 2L);

        events.presence(refused);
        events.presence(accepted);
        assertTrue(written.isEmpty(), "nothing acknowledged yet");

        producer.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("no broker"));
        producer.completeNext();
        assertEquals(List.of(accepted), written);
    }
}
