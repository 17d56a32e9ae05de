package io.tether.push.testing;

import static org.awaitility.Awaitility.await;

import io.tether.contract.Json;
import io.tether.contract.Receipt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic from the start, as an independent client would; no consumer group. */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits (up to 15 s) for a record that matches, and returns it. */
    public ConsumerRecord<String, byte[]> awaitRecord(Predicate<ConsumerRecord<String, byte[]>> matching) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
            poll();
            return records.stream().anyMatch(matching);
        });
        return records.stream().filter(matching).findFirst().orElseThrow();
    }

    /** Waits for the receipt of a message. */
    public Receipt receipt(String messageId) {
        return Json.fromBytes(awaitRecord(record -> messageId.equals(receiptOf(record).messageId())).value(), Receipt.class);
    }

    /** Every receipt of a message read so far. */
    public List<Receipt> receipts(String messageId) {
        poll();
        return records.stream().map(TopicReader::receiptOf).filter(receipt -> messageId.equals(receipt.messageId())).toList();
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(50)).forEach(records::add);
    }

    private static Receipt receiptOf(ConsumerRecord<String, byte[]> record) {
        return Json.fromBytes(record.value(), Receipt.class);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
