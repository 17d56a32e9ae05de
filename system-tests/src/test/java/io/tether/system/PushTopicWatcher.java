package io.tether.system;

import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code tether.push} from the start in the background and remembers each push request by message id. */
final class PushTopicWatcher implements AutoCloseable {
    /** A push request and when this watcher saw it (epoch millis). */
    record Seen(PushRequest request, long seenAt) {
    }

    private final Map<String, Seen> byMessage = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    PushTopicWatcher(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "push-watcher-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.PUSH));
        thread = new Thread(this::run, "push-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                PushRequest request = Json.fromBytes(record.value(), PushRequest.class);
                byMessage.putIfAbsent(request.messageId(), new Seen(request, System.currentTimeMillis()));
            });
        }
        consumer.close();
    }

    Optional<Seen> find(String messageId) {
        return Optional.ofNullable(byMessage.get(messageId));
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
