package io.tether.runtime.kafka;

import io.tether.runtime.failure.Failures;
import io.tether.runtime.failure.Retry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The consumer loop every Tether consumer group uses. It polls on a thread of its own and hands each record to the
 * handler without waiting for it; records of one key run one after the other (per-device order), other keys
 * concurrently, and the next poll never waits for the slowest record (no batch barrier). At most
 * {@code maxInFlight} records are in hand: with fewer permits the partitions are paused while polling goes on, so
 * the group keeps its member. One key has at most {@link #keyLimit(int)} of them: a key whose records wait (a retry
 * with backoff, a burst to one device) then holds back only its own partition, whose later records wait here until
 * the key is below its limit, while the other partitions go on. Offsets are committed (every
 * {@link #COMMIT_EVERY}) up to the lowest record not yet done, so a crash or a rebalance redoes rather than loses
 * (at-least-once; handlers are idempotent).
 * <p>
 * Failures follow {@link Failures}: a permanent one sends the record to the dead-letter topic and its partition moves
 * on; a transient one is retried with backoff (its key waits, other keys go on). The loop survives anything but
 * {@link #stop()}: a failed commit or poll is logged and retried.
 */
public final class KeyedConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(KeyedConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration DRAIN = Duration.ofSeconds(10);
    /**
     * Offsets are committed at most this often while polling: each commit is a write to the broker's offsets log (and,
     * with {@link #beforeCommit}, a Redis WAIT), so committing after every poll made it a request per record at
     * moderate rates. A crash redoes at most this much more; revocation and {@link #stop()} still commit at once.
     */
    static final Duration COMMIT_EVERY = Duration.ofMillis(100);
    /**
     * How long a revocation waits for the revoked partitions' records in hand, so that their new owner does not handle
     * them a second time (a push sent twice) or out of order. Records still in hand after it stop at their next step
     * (see {@link RevokedPartition}); the rebalance of the whole group waits for this member meanwhile.
     */
    static final Duration REVOKE_WAIT = Duration.ofSeconds(5);
    /** Held records waiting for permits wake the loop once 1/WAKE_SHARE of the permits are free ({@link #awaited()}). */
    static final int WAKE_SHARE = 32;

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final Collection<String> topics;
    private final Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler;
    private final DeadLetters deadLetters;
    private final Retry retry;
    private final int maxInFlight;
    private final Semaphore permits;
    private final FreedPermits freed;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Map<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();
    private final int keyLimit;
    /** Per key, its records in hand (started, waiting for a retry or behind another record of the key). */
    private final Map<String, Integer> inHandOfKey = new ConcurrentHashMap<>();
    private final HeldRecords held = new HeldRecords();
    /** Per partition, which assignment of it this member is in: a record goes on only within the one it came in. */
    private final Map<TopicPartition, Integer> assignments = new ConcurrentHashMap<>();
    private long revokeWait = REVOKE_WAIT.toNanos();
    private volatile BooleanSupplier beforeCommit = () -> true;
    private volatile boolean running = true;
    private volatile boolean polling;
    private long commitEvery = COMMIT_EVERY.toNanos();
    private long commitDueAt = System.nanoTime();
    private long lastPollAt = System.nanoTime();
    private long pollEvery = POLL.toNanos();
    private volatile Thread thread;

    /**
     * @param consumer configured with auto-commit off and {@code max.poll.records} ≤ {@link #batchSize(int)}
     * @param retry    how transient failures are retried (and dead letters written while Kafka is away)
     */
    public KeyedConsumer(String name, Consumer<String, byte[]> consumer, Collection<String> topics,
            Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler, DeadLetters deadLetters, Retry retry,
            int maxInFlight) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.freed = new FreedPermits(permits);
        this.keyLimit = keyLimit(maxInFlight);
    }

    /**
     * Records per poll: half the permits at most, so a poll goes on while the previous batch is still in hand (no batch
     * barrier), and a whole batch always finds permits when polling resumes.
     */
    public static int batchSize(int maxInFlight) {
        return Math.max(1, Math.min(500, maxInFlight / 2));
    }

    /**
     * Records of one key in hand at most: an eighth of the permits, so that a few keys with a backlog (each waiting on
     * its first record) cannot take the permits every other partition needs. A key's records run one after the other
     * anyway, so a longer queue of them here would not make them go faster.
     */
    public static int keyLimit(int maxInFlight) {
        return Math.max(1, maxInFlight / 8);
    }

    /** Another wait than {@link #REVOKE_WAIT} (tests). */
    KeyedConsumer revokeWait(Duration wait) {
        this.revokeWait = wait.toNanos();
        return this;
    }

    /** Another longest wait between polls while nothing can be fetched than {@link #POLL} (tests). */
    KeyedConsumer pollEvery(Duration interval) {
        this.pollEvery = interval.toNanos();
        return this;
    }

    /** Another commit interval than {@link #COMMIT_EVERY} (tests). */
    KeyedConsumer commitEvery(Duration interval) {
        this.commitEvery = interval.toNanos();
        return this;
    }

    /**
     * Asked before offsets are committed, on the consumer thread; false skips this commit (it is tried again later).
     * E.g. Redis {@code WAIT}: the handlers' writes reached a replica before Kafka forgets the records.
     */
    public KeyedConsumer beforeCommit(BooleanSupplier check) {
        this.beforeCommit = check;
        return this;
    }

    public void start() {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, new Rebalance());
            while (running) {
                try {
                    flowControl();
                    boolean starved = nothingToFetch();
                    if (starved && awaitRoom()) {
                        continue; // a record finished: start what it made room for, without polling yet
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(starved ? Duration.ZERO : POLL);
                    lastPollAt = System.nanoTime();
                    polling = true;
                    for (TopicPartition partition : records.partitions()) {
                        dispatch(partition, records.records(partition));
                    }
                    commitDue(false);
                } catch (WakeupException e) {
                    // stop() asked us to leave poll().
                } catch (KafkaException e) {
                    if (running) {
                        LOG.warnf("%s: %s; polling again", name, e.toString());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s stopped", name);
        } finally {
            polling = false;
            finish();
        }
    }

    private void flowControl() {
        held.startWhile(this::tryStart);
        if (permits.availablePermits() >= batchSize(maxInFlight)) {
            List<TopicPartition> resumable = consumer.paused().stream().filter(p -> !held.holds(p)).toList();
            if (!resumable.isEmpty()) {
                consumer.resume(resumable);
            }
        } else {
            consumer.pause(consumer.assignment());
        }
    }

    /** Every assigned partition is paused (no permits, or held records): a poll could only sleep out its timeout. */
    private boolean nothingToFetch() {
        Set<TopicPartition> assigned = consumer.assignment();
        return !assigned.isEmpty() && consumer.paused().containsAll(assigned);
    }

    /**
     * Waits for records in hand to finish, at most until the next poll is due (every {@link #POLL}, which keeps commit
     * callbacks and the group going): with every permit taken, polls that slept their timeout let the loop fetch at
     * most {@code maxInFlight} records per {@link #POLL}. True when it returned before the poll is due.
     */
    private boolean awaitRoom() {
        return freed.await(lastPollAt + pollEvery, () -> {
            flowControl(); // a record may have finished before the loop was registered
            return nothingToFetch() ? awaited() : null;
        }, this::alreadyMet) && running;
    }

    /**
     * What could let the loop go on, with every partition paused: a batch's worth of free permits when a paused
     * partition holds nothing (it resumes); a {@link #WAKE_SHARE} of the permits when a held record waits for a permit,
     * so held records start in groups rather than one wake-up per finished record; a record of a key that a held
     * record waits behind.
     */
    private FreedPermits.Wake awaited() {
        int wakeAt = Integer.MAX_VALUE;
        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<String, byte[]> head : held.heads()) {
            String key = keyOf(head);
            if (inHandOfKey.getOrDefault(key, 0) >= keyLimit) {
                keys.add(key);
            } else {
                wakeAt = Math.max(1, maxInFlight / WAKE_SHARE);
            }
        }
        if (consumer.paused().stream().anyMatch(partition -> !held.holds(partition))) {
            wakeAt = Math.min(wakeAt, batchSize(maxInFlight));
        }
        return new FreedPermits.Wake(wakeAt, keys);
    }

    private boolean alreadyMet(FreedPermits.Wake awaited) {
        return permits.availablePermits() >= awaited.permits()
                || awaited.keys().stream().anyMatch(key -> inHandOfKey.getOrDefault(key, 0) < keyLimit);
    }

    private static String keyOf(ConsumerRecord<String, byte[]> record) {
        return record.key() == null ? "" : record.key();
    }

    private void dispatch(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            if (held.holds(partition) || !tryStart(partition, records.get(i))) {
                // Its key is at its limit or the permits are gone: this and the partition's later records wait here.
                if (held.hold(partition, records.subList(i, records.size()))) {
                    consumer.pause(List.of(partition));
                }
                return;
            }
        }
    }

    /** Starts the record behind the last of its key, unless the key is at its limit or no permit is left. */
    private boolean tryStart(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        String key = keyOf(record);
        if (inHandOfKey.getOrDefault(key, 0) >= keyLimit || !permits.tryAcquire()) {
            return false;
        }
        inHandOfKey.merge(key, 1, Integer::sum);
        OffsetTracker.Progress progress = offsets.progress(partition);
        int assignment = assignments.getOrDefault(partition, 0);
        progress.started(record.offset());
        CompletableFuture<Void> previous = lastOfKey.get(key);
        CompletableFuture<Void> done = (previous == null ? CompletableFuture.<Void>completedFuture(null)
                : previous.handle((v, e) -> (Void) null))
                .thenCompose(v -> handleOrDeadLetter(record, partition, assignment))
                .toCompletableFuture();
        lastOfKey.put(key, done);
        done.whenComplete((v, error) -> {
            lastOfKey.remove(key, done);
            inHandOfKey.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            permits.release();
            freed.released(key);
            if (error == null) {
                progress.finished(record.offset());
            } else {
                // Not durable: the offset stays uncommitted, so the record is redone after a restart or rebalance.
                LOG.debugf("%s: %s-%d@%d left unfinished: %s", name, partition.topic(), partition.partition(),
                        record.offset(), error.toString());
            }
        });
        return true;
    }

    private CompletionStage<Void> handleOrDeadLetter(ConsumerRecord<String, byte[]> record, TopicPartition partition, int assignment) {
        String what = name + " " + record.topic() + "-" + record.partition() + "@" + record.offset();
        return retry.whileTransient(what, () -> assignments.getOrDefault(partition, 0) == assignment ? handler.apply(record)
                : CompletableFuture.<Void>failedFuture(RevokedPartition.INSTANCE)).exceptionallyCompose(error -> {
            if (!running || !Failures.isPermanent(error) || Failures.unwrap(error) instanceof RevokedPartition) {
                return CompletableFuture.failedFuture(error);
            }
            return retry.whileTransient("dead letter of " + what, () -> deadLetters.send(record, Failures.reason(error)));
        });
    }

    private void commitDue(boolean sync) {
        long now = System.nanoTime();
        if (!sync && now - commitDueAt < 0) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> due = offsets.due(consumer.assignment());
        if (due.isEmpty() || !beforeCommit.getAsBoolean()) {
            return;
        }
        commitDueAt = now + commitEvery;
        if (sync) {
            consumer.commitSync(due);
            offsets.committed(due);
            return;
        }
        consumer.commitAsync(due, (committed, error) -> {
            if (error == null) {
                offsets.committed(committed);
            } else {
                LOG.debugf("%s: committing %s failed, will try again: %s", name, due, error.toString());
            }
        });
    }

    /**
     * Lets what is in hand finish (bounded), commits it, and leaves the group. Leaving explicitly: a static member
     * (group.instance.id, the pod name) otherwise stays in the group until its session times out, and a pod that a
     * rollout replaces never comes back under its name, so its partitions would wait that long. A crash never gets
     * here: a container restarted in its pod then rejoins as the same member without a rebalance.
     */
    private void finish() {
        try {
            consumer.pause(consumer.assignment());
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (inFlight() > 0 && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(50)); // paused: no records, but callbacks run and the group keeps us
                } catch (WakeupException e) {
                    // stop()'s wakeup, left pending when the loop ended outside poll()
                }
            }
            commitDue(true);
        } catch (RuntimeException e) {
            LOG.warnf("%s: final commit failed (the records are redone by the next owner): %s", name, e.toString());
        } finally {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(5)));
        }
    }

    /** Records in hand: being handled, waiting for a retry, or waiting behind another record of their key. */
    public int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    /** Polling: the readiness of the service that runs it. */
    public boolean isRunning() {
        return running && polling && thread != null && thread.isAlive();
    }

    /** The loop thread lives (liveness): false only when it ended without {@link #stop()}, a bug to restart for. */
    public boolean isAlive() {
        return !running || thread == null || thread.isAlive();
    }

    public void stop() {
        running = false;
        consumer.wakeup();
        Thread loop = thread;
        if (loop != null) {
            LockSupport.unpark(loop);
            try {
                loop.join(DRAIN.plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Consumer thread, inside poll(): the handlers run elsewhere, so the records in hand can finish meanwhile.
            long deadline = System.nanoTime() + revokeWait;
            while (offsets.pending(partitions) > 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            partitions.forEach(partition -> assignments.merge(partition, 1, Integer::sum));
            try {
                Map<TopicPartition, OffsetAndMetadata> due = offsets.due(partitions);
                if (!due.isEmpty() && beforeCommit.getAsBoolean()) {
                    consumer.commitSync(due);
                }
            } catch (KafkaException e) {
                LOG.warnf("%s: commit on revocation failed (the records are redone by the next owner): %s", name, e.toString());
            }
            offsets.forget(partitions);
            held.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Progress starts with the first record fetched; a straggler of an earlier assignment stays stopped.
            partitions.forEach(partition -> assignments.merge(partition, 1, Integer::sum));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> assignments.merge(partition, 1, Integer::sum));
            offsets.forget(partitions);
            held.forget(partitions);
        }
    }
}
