package io.tether.bench.scenario;

import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code tether.push} from its end (no consumer group) and remembers, per message id, when fanout accepted the
 * message ({@code acceptedAt} in the request) and when it produced the push request (the record's CreateTime).
 */
final class PushWatcher implements AutoCloseable {
    /** Epoch millis of acceptance and of the push request record. */
    record Seen(long acceptedAt, long requestedAt) {
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean positioned;

    PushWatcher(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.PUSH, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before anything is sent
        thread = new Thread(this::poll, "bench-push-watcher");
        thread.setDaemon(true);
        thread.start();
        positioned = true;
    }

    private void poll() {
        while (running) {
            consumer.poll(Duration.ofMillis(50)).forEach(record -> {
                try {
                    PushRequest request = Json.fromBytes(record.value(), PushRequest.class);
                    seen.putIfAbsent(request.messageId(), new Seen(request.acceptedAt(), record.timestamp()));
                } catch (RuntimeException e) {
                    // not a push request: ignore
                }
            });
        }
        consumer.close(Duration.ofSeconds(2));
    }

    Seen get(String messageId) {
        return seen.get(messageId);
    }

    boolean positioned() {
        return positioned;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
