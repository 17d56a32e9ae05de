package io.tether.fanout.routing;

import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.KafkaSend;
import io.tether.contract.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tether.contract.tracing.MessagingSpans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Polls the per-device topics on a thread of its own and routes each batch: records of one key one after
 * the other (per-device order), different keys concurrently. Offsets are committed only after every record
 * of the batch is handled durably, so a crash replays rather than loses (at-least-once end to end).
 */
public final class RoutingConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(RoutingConsumer.class);
    private static final List<String> TOPICS = List.of(Topics.DOWNSTREAM, Topics.PRESENCE, Topics.RECEIPTS);
    private static final Duration BATCH_DEADLINE = Duration.ofMinutes(2);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final Router router;
    private final Producer<String, byte[]> dlq;
    private final MessagingSpans spans;
    private final String group;
    private volatile boolean running = true;
    private volatile boolean polling;
    private Thread thread;

    public RoutingConsumer(Consumer<String, byte[]> consumer, Router router, Producer<String, byte[]> dlq, MessagingSpans spans,
            String group) {
        this.consumer = consumer;
        this.router = router;
        this.dlq = dlq;
        this.spans = spans;
        this.group = group;
    }

    public void start() {
        thread = new Thread(this, "tether-routing-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(TOPICS);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                polling = true;
                if (!records.isEmpty()) {
                    handleBatch(records);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "routing consumer stopped");
        } finally {
            polling = false;
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private void handleBatch(ConsumerRecords<String, byte[]> records) {
        Map<String, CompletionStage<Void>> chains = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String key = record.key() == null ? "" : record.key();
            CompletionStage<Void> previous = chains.get(key);
            chains.put(key, previous == null ? routeSafely(record) : previous.thenCompose(v -> routeSafely(record)));
        }
        try {
            CompletableFuture.allOf(chains.values().stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
                    .get(BATCH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            consumer.commitSync(nextOffsets(records));
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warnf("routing a batch failed, replaying it: %s", cause.toString());
            replay(records);
            LockSupport.parkNanos(RETRY_BACKOFF.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** A record that can never be routed goes to the dead-letter topic with the reason; it must not block its partition. */
    private CompletionStage<Void> routeSafely(ConsumerRecord<String, byte[]> record) {
        // One "process <topic>" span per record, continuing the trace its producer put into the headers.
        Span span = spans.startProcess(record, group);
        CompletionStage<Void> routed;
        try (Scope ignored = span.makeCurrent()) {
            routed = router.route(record, Context.current());
        } catch (RuntimeException e) {
            routed = CompletableFuture.failedFuture(e);
        }
        return MessagingSpans.endWhenDone(span, routed).handle((ok, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (cause instanceof IllegalArgumentException) {
                return deadLetter(record, cause.getMessage());
            }
            return CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    private CompletableFuture<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(Topics.DLQ, null, record.key(), record.value(), record.headers());
        KafkaHeaders.put(out.headers(), Headers.DLQ_REASON, record.topic() + ": " + reason);
        return KafkaSend.send(dlq, out);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> of = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** Seek back so the next poll returns the failed batch again; handling a record twice is harmless. */
    private void replay(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : new ArrayList<>(records.partitions())) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    public boolean isRunning() {
        return running && polling && thread != null && thread.isAlive();
    }

    /**
     * Lets the batch in hand finish and commit, then leaves the group. No {@code wakeup()}: it would also abort a
     * commit in progress, and poll returns within 200 ms anyway.
     */
    public void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
