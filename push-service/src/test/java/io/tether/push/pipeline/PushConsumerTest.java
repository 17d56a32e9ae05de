package io.tether.push.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer's bookkeeping against Kafka's MockConsumer, with a handler whose completions the test controls. */
class PushConsumerTest {
    private static final String TOPIC = "push";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final MockConsumer<String, byte[]> kafka = new MockConsumer<>("earliest");
    private final Map<Long, CompletableFuture<Void>> inHand = new ConcurrentHashMap<>();
    private final List<Long> handled = new CopyOnWriteArrayList<>();
    private PushConsumer consumer;

    @AfterEach
    void stop() {
        inHand.values().forEach(done -> done.complete(null));
        consumer.stop();
    }

    @Test
    void commitsOnlyWhatIsDurablyHandled() {
        start(10, "a", "b", "c");
        await().atMost(WAIT).until(() -> handled.size() == 3);

        // GIVEN the later records finished first
        inHand.get(1L).complete(null);
        inHand.get(2L).complete(null);
        // THEN nothing past the first is committed while it is in hand
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> committed() == null || committed() == 0L);

        inHand.get(0L).complete(null);
        await().atMost(WAIT).until(() -> Long.valueOf(3).equals(committed()));
    }

    @Test
    void aFailedRecordIsNeverCommitted() {
        start(10, "a", "b");
        await().atMost(WAIT).until(() -> handled.size() == 2);
        inHand.get(0L).completeExceptionally(new IllegalStateException("stopping"));
        inHand.get(1L).complete(null);
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> committed() == null || committed() == 0L);
    }

    @Test
    void recordsOfOneDeviceAreHandledOneAfterTheOther() {
        start(10, "a", "b", "a");
        await().atMost(WAIT).until(() -> handled.equals(List.of(0L, 1L)));

        inHand.get(0L).complete(null);

        await().atMost(WAIT).until(() -> handled.equals(List.of(0L, 1L, 2L)));
    }

    @Test
    void pausesWhileMaxInFlightRecordsAreInHand() {
        start(2, "a", "b");
        await().atMost(WAIT).until(() -> handled.size() == 2 && kafka.paused().contains(P0));
        assertEquals(2, consumer.inFlight());

        // WHEN another record arrives while both permits are taken, THEN it waits
        kafka.schedulePollTask(() -> kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "c", new byte[] {1})));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !handled.contains(2L));

        inHand.get(0L).complete(null);
        inHand.get(1L).complete(null);

        await().atMost(WAIT).until(() -> handled.contains(2L));
    }

    private void start(int maxInFlight, String... keys) {
        consumer = new PushConsumer(kafka, TOPIC, record -> {
            handled.add(record.offset());
            CompletableFuture<Void> done = new CompletableFuture<>();
            inHand.put(record.offset(), done);
            return done;
        }, maxInFlight);
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(P0));
            kafka.updateBeginningOffsets(Map.of(P0, 0L));
            for (int offset = 0; offset < keys.length; offset++) {
                kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, keys[offset], new byte[] {1}));
            }
        });
        consumer.start();
    }

    private Long committed() {
        OffsetAndMetadata offset = kafka.committed(Set.of(P0)).get(P0);
        return offset == null ? null : offset.offset();
    }
}
