package io.tether.fanout.app;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.contract.DeviceId;
import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.Topics;
import io.tether.runtime.quarkus.KafkaSettings;
import io.tether.testkit.TetherInfraResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A record the routing consumer can never handle goes to the dead-letter topic and is counted in
 * {@code tether_fanout_dead_letters_total}, as push-service counts its own: not only a WARN line.
 */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class RoutingDeadLettersIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String METRIC = "tether_fanout_dead_letters_total";

    @Inject
    KafkaSettings kafka;

    @Test
    void aMalformedPresenceEventIsDeadLetteredAndCounted() throws Exception {
        String device = DeviceId.random();
        try (KafkaConsumer<String, byte[]> dlq = kafka.clients().assignedConsumer("test-fanout-dlq");
                KafkaProducer<String, byte[]> producer = kafka.clients().durableProducer("test-fanout-dead-letters")) {
            List<TopicPartition> partitions = dlq.partitionsFor(Topics.DLQ).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            dlq.assign(partitions);
            dlq.seekToEnd(partitions);
            partitions.forEach(dlq::position); // resolve the end now, before the dead letter can land
            double before = deadLetters();

            producer.send(new ProducerRecord<>(Topics.PRESENCE, device, "not a presence event".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);

            ConsumerRecord<String, byte[]> letter = await().atMost(DEADLINE).until(() -> {
                for (ConsumerRecord<String, byte[]> record : dlq.poll(Duration.ofMillis(200))) {
                    if (device.equals(record.key())) {
                        return record;
                    }
                }
                return null;
            }, r -> r != null);
            assertTrue(KafkaHeaders.get(letter.headers(), Headers.DLQ_REASON).orElse("").startsWith(Topics.PRESENCE + ": malformed"),
                    "the reason names the topic and the failure");
            // Counted once the broker took the dead letter, which the consumer above has just read.
            await().atMost(DEADLINE).untilAsserted(() -> assertEquals(before + 1, deadLetters()));
        }
    }

    private static double deadLetters() {
        String page = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return page.lines().filter(line -> line.startsWith(METRIC + "{") || line.startsWith(METRIC + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
