package io.tether.bench.scenario;

import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
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
 * An optional look inside: reads Tether's internal topics {@code tether.push} and {@code tether.presence} from their
 * end (no consumer group) and remembers, per message id, when fanout accepted the message ({@code acceptedAt}) and
 * produced the push request (the record's CreateTime), and per device when its gateway first reported it deaf (the
 * ACK_TIMEOUT event's {@code at}). The scenario's figures do not depend on it: when a topic is gone or carries other
 * records, it simply sees nothing, and the report says so.
 */
final class PushWatcher implements AutoCloseable {
    /** Epoch millis of acceptance and of the push request record. */
    record Seen(long acceptedAt, long requestedAt) {
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> deafAt = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private PushWatcher(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        this.consumer = consumer;
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before anything is sent
        thread = new Thread(this::poll, "bench-push-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** A watcher of {@code tether.push}, or null when the topic does not exist. */
    static PushWatcher startIfPresent(String bootstrap) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = java.util.stream.Stream.of(Topics.PUSH, Topics.PRESENCE)
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream())
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.stream().noneMatch(p -> p.topic().equals(Topics.PUSH))) {
            consumer.close(Duration.ofSeconds(2));
            return null;
        }
        return new PushWatcher(consumer, partitions);
    }

    private void poll() {
        while (running) {
            consumer.poll(Duration.ofMillis(50)).forEach(record -> {
                try {
                    if (record.topic().equals(Topics.PRESENCE)) {
                        PresenceEvent event = Json.fromBytes(record.value(), PresenceEvent.class);
                        if (event.kind() == PresenceEvent.Kind.ACK_TIMEOUT) {
                            deafAt.putIfAbsent(event.deviceId(), event.at());
                        }
                    } else {
                        PushRequest request = Json.fromBytes(record.value(), PushRequest.class);
                        seen.putIfAbsent(request.messageId(), new Seen(request.acceptedAt(), record.timestamp()));
                    }
                } catch (RuntimeException e) {
                    // not a record as this build of the contract knows it: ignore
                }
            });
        }
        consumer.close(Duration.ofSeconds(2));
    }

    Seen get(String messageId) {
        return seen.get(messageId);
    }

    /** Epoch millis when the device's gateway first reported no PUBACK within the deadline, or null. */
    Long deafAt(String deviceId) {
        return deafAt.get(deviceId);
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
