package io.tether.gateway.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tether.contract.DeliverTopic;
import io.tether.contract.tracing.MessagingSpans;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads this gateway's own delivery topic on a thread of its own and hands each delivery to {@code sink},
 * which must not block. It starts at the end of the topic: every delivery for a connection on this instance
 * is produced after the connection exists, which is after this consumer took its position.
 */
public final class DeliveryConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(DeliveryConsumer.class);

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final DeliverTopic topic;
    private final Consumer<Delivery> sink;
    private final MessagingSpans spans;
    private final CompletableFuture<Void> positioned = new CompletableFuture<>();
    private volatile boolean running = true;
    private Thread thread;

    public DeliveryConsumer(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, DeliverTopic topic,
            Consumer<Delivery> sink, MessagingSpans spans) {
        this.spans = spans;
        this.consumer = consumer;
        this.topic = topic;
        this.sink = sink;
    }

    /** Starts the thread; the returned future completes once the consumer holds its position. */
    public CompletableFuture<Void> start() {
        thread = new Thread(this, "tether-delivery-consumer");
        thread.setDaemon(true);
        thread.start();
        return positioned;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.complete(null);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    hand(record);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                positioned.completeExceptionally(e);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "delivery consumer of %s stopped", topic);
            positioned.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Inside a "process" span that continues fanout's hand-over; the PUBLISH to the device is its child. */
    private void hand(ConsumerRecord<String, byte[]> record) {
        Span span = spans.startProcess(record, null);
        try (Scope ignored = span.makeCurrent()) {
            Delivery delivery;
            try {
                delivery = Delivery.from(record, Context.current());
            } catch (RuntimeException e) {
                LOG.warnf("dropping malformed delivery at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "malformed");
                return;
            }
            sink.accept(delivery);
        } finally {
            span.end();
        }
    }

    public boolean isRunning() {
        return running && thread != null && thread.isAlive() && positioned.isDone() && !positioned.isCompletedExceptionally();
    }

    public void stop() {
        running = false;
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
