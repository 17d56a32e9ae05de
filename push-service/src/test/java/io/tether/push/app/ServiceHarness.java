package io.tether.push.app;

import io.lettuce.core.RedisClient;
import io.tether.contract.DeviceFields;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.Receipt;
import io.tether.contract.RedisKeys;
import io.tether.contract.Topics;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.push.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the rest of Tether does around push-service: the registry's Redis hash, fanout's push request, a receipt reader. */
final class ServiceHarness implements AutoCloseable {
    private final String redisUri;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicReader receipts;

    /** Takes the service's own config, not TetherInfra.shared(): a Quarkus test may see other static state. */
    ServiceHarness(String bootstrap, String redisUri) {
        this.redisUri = redisUri;
        // The service created its topics at start-up (tether.kafka.topics.*).
        producer = new KafkaClients(bootstrap, Map.of(), Map.of(), Map.of()).durableProducer("it-harness");
        receipts = new TopicReader(bootstrap, Topics.RECEIPTS);
    }

    String device(String platform, String appId, String token) {
        String id = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        RedisClient client = RedisClient.create(redisUri);
        try {
            client.connect().sync().hset(RedisKeys.device(id).record(), Map.of(DeviceFields.ID, id, DeviceFields.PLATFORM, platform,
                    DeviceFields.APP_ID, appId, DeviceFields.PUSH_TOKEN, token, DeviceFields.PUSH_ENVIRONMENT, "production",
                    DeviceFields.PUSH_TOKEN_UPDATED_AT, Long.toString(System.currentTimeMillis())));
        } finally {
            client.shutdown();
        }
        return id;
    }

    Receipt push(String deviceId, String options) {
        PushRequest request = new PushRequest(deviceId, "msg_" + UUID.randomUUID().toString().replace("-", ""),
                System.currentTimeMillis(), Instant.now().plus(Duration.ofMinutes(5)).toEpochMilli(), null, options,
                "data".getBytes(StandardCharsets.UTF_8), "text/plain", "offline", null);
        producer.send(new ProducerRecord<>(Topics.PUSH, deviceId, Json.toBytes(request)));
        producer.flush();
        return receipts.receipt(request.messageId());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        receipts.close();
    }
}
