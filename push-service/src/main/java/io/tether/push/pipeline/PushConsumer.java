package io.tether.push.pipeline;

import io.tether.runtime.kafka.OffsetTracker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
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
 * Polls {@code tether.push} on a thread of its own and hands each record to the handler without waiting for
 * it: a push may be retried for as long as its TTL, and must hold up neither the poll loop nor other devices.
 * Records of one key (device) are handled one after the other. At most {@code maxInFlight} records are in
 * hand (the Semaphore Pushy advises around sends, widened to the whole request): when the permits run low the
 * partitions are paused, and polling goes on so the group keeps us. Offsets are committed up to the lowest
 * record not yet durably handled, so a crash or rebalance redoes rather than loses (at-least-once).
 */
public final class PushConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(PushConsumer.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler;
    private final int maxInFlight;
    private final Semaphore permits;
    private final int batchSize;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Map<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean polling;
    private Thread thread;

    /** @param consumer configured with {@code max.poll.records} = {@link #batchSize(int)} and auto-commit off */
    public PushConsumer(Consumer<String, byte[]> consumer, String topic,
            Function<ConsumerRecord<String, byte[]>, CompletionStage<Void>> handler, int maxInFlight) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.batchSize = batchSize(maxInFlight);
    }

    /** Records per poll: a whole batch always finds permits when polling resumes. */
    public static int batchSize(int maxInFlight) {
        return Math.max(1, Math.min(500, maxInFlight));
    }

    public void start() {
        thread = new Thread(this, "tether-push-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                flowControl();
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                polling = true;
                for (TopicPartition partition : records.partitions()) {
                    dispatch(partition, records.records(partition));
                }
                commit(consumer.assignment());
            }
        } catch (WakeupException e) {
            // stop() asked us to leave poll().
        } catch (RuntimeException e) {
            LOG.errorf(e, "push consumer stopped");
        } finally {
            polling = false;
            try {
                commit(consumer.assignment());
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }

    private void flowControl() {
        if (permits.availablePermits() >= batchSize) {
            if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
        } else {
            consumer.pause(consumer.assignment());
        }
    }

    private void dispatch(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        OffsetTracker.Progress progress = offsets.progress(partition);
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!permits.tryAcquire()) {
                // A partition assigned while the others were paused: fetch the rest again once permits are back.
                consumer.seek(partition, record.offset());
                consumer.pause(List.of(partition));
                return;
            }
            progress.started(record.offset());
            String key = record.key();
            CompletableFuture<Void> previous = key == null ? null : lastOfKey.get(key);
            CompletableFuture<Void> done = (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous.handle((v, e) -> (Void) null))
                    .thenCompose(v -> handleSafely(record))
                    .toCompletableFuture();
            if (key != null) {
                lastOfKey.put(key, done);
            }
            done.whenComplete((v, error) -> {
                if (key != null) {
                    lastOfKey.remove(key, done);
                }
                permits.release();
                if (error == null) {
                    progress.finished(record.offset());
                } else {
                    // Not durable: the offset stays uncommitted, so the record is redone after a restart or rebalance.
                    LOG.debugf("%s-%d@%d left unfinished: %s", partition.topic(), partition.partition(), record.offset(), error.toString());
                }
            });
        }
    }

    private CompletionStage<Void> handleSafely(ConsumerRecord<String, byte[]> record) {
        try {
            return handler.apply(record);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> due = offsets.due(partitions);
        if (due.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(due);
            offsets.committed(due);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf("committing %s failed, will try again: %s", due, e.toString());
        }
    }

    /** Records in hand: being pushed, waiting for a retry, or waiting behind another record of their device. */
    public int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    public boolean isRunning() {
        return running && polling && thread != null && thread.isAlive();
    }

    public void stop() {
        running = false;
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(partitions);
            offsets.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Nothing: progress starts with the first record fetched.
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            offsets.forget(partitions);
        }
    }
}
