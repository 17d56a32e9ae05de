package io.tether.runtime.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.PermanentFailure;
import io.tether.runtime.failure.Retry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared consumer loop against Kafka's MockConsumer: order per key, no batch barrier, commits, failures. */
class KeyedConsumerTest {
    private static final String TOPIC = "t";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** What commitSync committed last: readable after the loop closed the consumer. */
    private final Map<TopicPartition, Long> syncCommitted = new ConcurrentHashMap<>();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        @Override
        public synchronized void commitSync(Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            offsets.forEach((partition, offset) -> syncCommitted.put(partition, offset.offset()));
        }

        /** The real consumer sleeps out a poll's timeout when every partition is paused; this one counts such polls. */
        @Override
        public synchronized org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> poll(Duration timeout) {
            if (!timeout.isZero() && !assignment().isEmpty() && paused().containsAll(assignment())) {
                sleepingPolls.incrementAndGet();
            }
            return super.poll(timeout);
        }
    };
    private final AtomicInteger sleepingPolls = new AtomicInteger();
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Retry retry = new Retry(new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), () -> 0.5), scheduler);
    private final Map<Long, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private KeyedConsumer loop;
    /** Longest wait of a starved loop between polls: minutes in the tests of its wake-ups, so only they move it. */
    private Duration pollEvery = Duration.ofMillis(100);

    @AfterEach
    void stop() {
        gates.values().forEach(gate -> gate.complete(null));
        if (loop != null) {
            loop.stop();
        }
        scheduler.shutdownNow();
    }

    private void start(java.util.function.Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler) {
        start(handler, KeyedConsumer.COMMIT_EVERY);
    }

    private void start(java.util.function.Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler,
            Duration commitEvery) {
        start(handler, commitEvery, KeyedConsumer.REVOKE_WAIT);
    }

    private void start(java.util.function.Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler,
            Duration commitEvery, Duration revokeWait) {
        start(List.of(P0), handler, commitEvery, revokeWait);
    }

    private void start(List<TopicPartition> partitions,
            java.util.function.Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler,
            Duration commitEvery, Duration revokeWait) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(partitions);
            consumer.updateBeginningOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p, p -> 0L)));
        });
        loop = new KeyedConsumer("test-consumer", consumer, List.of(TOPIC), handler, new DeadLetters(producer, "dlq"), retry, 100)
                .commitEvery(commitEvery).revokeWait(revokeWait).pollEvery(pollEvery);
        loop.start();
    }

    /** The partition goes to another member (MockConsumer calls the loop's listener on its thread). */
    private void revoke() {
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
    }

    private void add(long offset, String key) {
        add(P0, offset, key);
    }

    private void add(TopicPartition partition, long offset, String key) {
        consumer.schedulePollTask(() -> consumer.addRecord(
                new ConsumerRecord<>(TOPIC, partition.partition(), offset, key, new byte[0])));
    }

    private long committed() {
        var offsets = consumer.committed(java.util.Set.of(P0));
        return offsets.get(P0) == null ? -1 : offsets.get(P0).offset();
    }

    /** Each record completes when its test gate does. */
    private CompletionStage<Void> gated(ConsumerRecord<String, byte[]> record) {
        handled.add(record.key() + "@" + record.offset());
        return gates.computeIfAbsent(record.offset(), o -> new CompletableFuture<>());
    }

    @Test
    void recordsOfOneKeyRunOneAfterTheOtherWhileOtherKeysGoOn() {
        start(this::gated);
        add(0, "a");
        add(1, "a");
        add(2, "b");
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.containsAll(List.of("a@0", "b@2")));
        assertTrue(!handled.contains("a@1"), "a's second record waits for its first");

        gates.get(0L).complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("a@1"));
    }

    @Test
    void offsetsAreCommittedUpToTheLowestRecordNotYetDoneWithoutWaitingForABatch() {
        start(this::gated);
        add(0, "a");
        add(1, "b");
        add(2, "c");
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 3);

        gates.get(1L).complete(null);
        gates.get(2L).complete(null);
        assertTrue(committed() <= 0, "record 0 is not done: nothing may be committed past it, got " + committed());

        gates.get(0L).complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> committed() == 3);
    }

    @Test
    void aRecordDoneWithinTheCommitIntervalIsCommittedWhenItEndsOrWhenTheLoopStops() {
        start(this::gated, Duration.ofHours(1));
        add(0, "a");
        add(1, "b");
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 2);
        gates.get(0L).complete(null);
        gates.get(1L).complete(null);
        AtomicInteger polls = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            consumer.schedulePollTask(polls::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 5);
        assertTrue(committed() < 2, "both records are done, but within the hour-long interval nothing commits them: " + committed());

        loop.stop();
        assertEquals(2L, syncCommitted.get(P0), "stopping commits what is done");
    }

    @Test
    void aPermanentFailureIsDeadLetteredWithItsReasonAndThePartitionMovesOn() {
        start(record -> record.offset() == 0
                ? CompletableFuture.failedFuture(new PermanentFailure("malformed"))
                : CompletableFuture.completedFuture(null));
        add(0, "a");
        add(1, "a");
        await().atMost(Duration.ofSeconds(5)).until(() -> committed() == 2);
        assertEquals(1, producer.history().size());
        String reason = new String(producer.history().get(0).headers().lastHeader("tether-dlq-reason").value());
        assertTrue(reason.contains("malformed"), reason);
    }

    @Test
    void aTransientFailureIsRetriedUntilItSucceedsAndNothingIsDeadLettered() {
        AtomicInteger attempts = new AtomicInteger();
        start(record -> attempts.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new java.io.UncheckedIOException(new java.io.IOException("redis away")))
                : CompletableFuture.completedFuture(null));
        add(0, "a");
        await().atMost(Duration.ofSeconds(5)).until(() -> committed() == 1);
        assertEquals(3, attempts.get());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void aRevocationWaitsForTheRevokedPartitionsRecordsInHandAndCommitsThem() {
        // Record 0 finishes 1 s after it started, on another thread: the revocation comes long before that.
        start(record -> {
            handled.add(record.key() + "@" + record.offset());
            CompletableFuture<Void> done = new CompletableFuture<>();
            scheduler.schedule(() -> done.complete(null), 1, java.util.concurrent.TimeUnit.SECONDS);
            return done;
        });
        add(0, "a");
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("a@0"));

        revoke();

        await().atMost(Duration.ofSeconds(5)).until(() -> syncCommitted.containsKey(P0));
        assertEquals(1L, syncCommitted.get(P0), "committed past the record it waited for: its new owner does not redo it");
    }

    @Test
    void aRecordOfARevokedPartitionThatHadNotStartedIsLeftToItsNewOwner() {
        start(this::gated, KeyedConsumer.COMMIT_EVERY, Duration.ofMillis(50));
        add(0, "a");
        add(1, "a"); // waits behind record 0 of its key
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("a@0"));

        revoke();
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer.assignment().isEmpty());
        gates.get(0L).complete(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> loop.inFlight() == 0);
        assertEquals(List.of("a@0"), handled, "record 1 is not handled here");
        assertTrue(committed() <= 0, "nothing past record 0 was committed: the new owner starts there, got " + committed());
        assertTrue(producer.history().isEmpty(), "nor dead-lettered");
    }

    @Test
    void aKeyWithABacklogHoldsBackOnlyItsOwnPartitionAndItsRecordsStillRunInOrder() {
        // 60 records of one key wait behind their first (its gate stays shut): more than the 50 free permits a poll
        // needs, so without a limit per key every partition would be paused until the key drains.
        for (long offset = 1; offset < 60; offset++) {
            gates.computeIfAbsent(offset, o -> new CompletableFuture<>()).complete(null);
        }
        start(List.of(P0, P1), record -> {
            if (record.key().equals("hot")) {
                return gated(record);
            }
            handled.add(record.key() + "@" + record.offset());
            return CompletableFuture.completedFuture(null);
        }, KeyedConsumer.COMMIT_EVERY, KeyedConsumer.REVOKE_WAIT);
        for (long offset = 0; offset < 60; offset++) {
            add(P0, offset, "hot");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("hot@0"));

        add(P1, 1000, "other");
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("other@1000"));
        // The key has its limit in hand (waiting behind its first), not all 60: the rest waits in the loop, not started.
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.inFlight() == KeyedConsumer.keyLimit(100));

        gates.get(0L).complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> committed() == 60);
        List<String> expected = java.util.stream.LongStream.range(0, 60).mapToObj(o -> "hot@" + o).toList();
        assertEquals(expected, handled.stream().filter(h -> h.startsWith("hot@")).toList(), "in offset order, each once");
    }

    @Test
    void withEveryPermitTakenFinishedRecordsStartTheHeldOnesWithoutAPollThatWouldSleep() {
        // 100 permits: 100 records start, 50 more are held (their partition paused). The loop's longest wait between
        // polls is ten minutes here, so only finished records waking it can start the held ones within the awaits.
        pollEvery = Duration.ofMinutes(10);
        start(this::gated);
        consumer.schedulePollTask(() -> {
            for (long offset = 0; offset < 150; offset++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "k" + offset, new byte[0]));
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 100);
        assertEquals(100, loop.inFlight());

        for (long offset = 0; offset < 50; offset++) {
            gates.get(offset).complete(null);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 150);
        for (long offset = 50; offset < 150; offset++) {
            gates.get(offset).complete(null);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> committed() == 150);
        // While nothing could be fetched the loop waited for records to finish, never in a poll that sleeps its timeout.
        assertEquals(0, sleepingPolls.get(), "polls with a timeout while every partition was paused");
    }

    @Test
    void aRecordHeldBehindItsKeyStartsWhenThatKeysRecordFinishes() {
        // One partition: 12 records of "hot" (its limit with 100 permits) start, the 13th is held behind them and the
        // partition paused, though permits are free. Ten-minute polls: only the key's finished record can wake the loop.
        pollEvery = Duration.ofMinutes(10);
        int limit = KeyedConsumer.keyLimit(100);
        start(this::gated);
        consumer.schedulePollTask(() -> {
            for (long offset = 0; offset <= limit; offset++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "hot", new byte[0]));
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.inFlight() == limit);
        assertEquals(1, handled.size(), "one record of a key runs at a time; the others wait behind it in hand");

        // The key's records finish (all but the held one's): each frees a place of the key, and only that can wake the loop.
        for (long offset = 0; offset < limit; offset++) {
            gates.computeIfAbsent(offset, o -> new CompletableFuture<>()).complete(null);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("hot@" + limit));
        gates.get((long) limit).complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> committed() == limit + 1);
        assertEquals(0, sleepingPolls.get(), "polls with a timeout while every partition was paused");
    }
}
