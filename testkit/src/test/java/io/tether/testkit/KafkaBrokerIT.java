package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    @TempDir
    Path dir;

    @Test
    void aRecordProducedToACreatedTopicIsConsumedAndOutlivesAKillWithoutTheStorageBeingFormattedAgain() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir)) {
            kafka.createTopics("it.records", "it.records"); // the second is an existing topic: ignored

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertEquals(4, admin.describeTopics(Set.of("it.records")).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get("it.records").partitions().size());
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("it.records", "device-1", "hello")).get(10, TimeUnit.SECONDS);
            }

            List<ConsumerRecord<String, String>> received = consumeFromTheStart(kafka, "it");
            assertEquals(1, received.size());
            assertEquals("device-1", received.get(0).key());
            assertEquals("hello", received.get(0).value());

            String metaBefore = Files.readString(dir.resolve("data/meta.properties"));
            kafka.kill();
            kafka.restart();

            assertEquals(List.of("hello"), consumeFromTheStart(kafka, "it-after-restart").stream().map(ConsumerRecord::value).toList());
            assertEquals(metaBefore, Files.readString(dir.resolve("data/meta.properties")), "the same cluster, not a new one");
            String log = Files.readString(dir.resolve("kafka.log"));
            assertEquals(1, log.split("storage: a copy of ", -1).length - 1, "storage copied once, at the first start");
        }
    }

    /** What a new consumer group reads of it.records from the earliest offset, once it read anything. */
    private static List<ConsumerRecord<String, String>> consumeFromTheStart(KafkaBroker kafka, String group) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("it.records"));
            Poll.until(Duration.ofSeconds(30), Duration.ZERO, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        return received;
    }
}
