package io.tether.push.pipeline;

import io.tether.contract.ConsumerDefaults;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients push-service needs, with the settings its guarantees depend on. */
public final class KafkaClients {
    private KafkaClients() {
    }

    /** Receipts and dead letters: durable before the request's offset is committed. */
    public static KafkaProducer<String, byte[]> producer(String bootstrapServers, Map<String, String> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tether-push");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** The push consumer: manual commits, and no more records per poll than there are permits to handle them. */
    public static KafkaConsumer<String, byte[]> consumer(String bootstrapServers, String groupId, int maxInFlight,
            Map<String, String> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tether-push-consumer");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ConsumerDefaults.groupMember(props);
        props.putAll(extra);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, PushConsumer.batchSize(maxInFlight)); // flow control relies on it
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
