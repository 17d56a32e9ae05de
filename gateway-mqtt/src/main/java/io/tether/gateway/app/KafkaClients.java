package io.tether.gateway.app;

import io.tether.contract.ConsumerDefaults;
import io.tether.gateway.config.KafkaConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds the gateway's Kafka clients from {@link KafkaConfig}. */
final class KafkaClients {
    private KafkaClients() {
    }

    static KafkaProducer<String, byte[]> producer(KafkaConfig config, String gatewayId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tether-" + gatewayId);
        // A PUBACK promises durability: wait for all in-sync replicas, never reorder or duplicate on retry.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        // send() may block this long on metadata; topics are warmed up at start so it stays short.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putAll(config.producer());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<String, byte[]> deliveryConsumer(KafkaConfig config, String gatewayId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tether-" + gatewayId + "-deliver");
        // Assigned, not subscribed: the topic belongs to this instance alone, so no group and no commits.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ConsumerDefaults.fetch(props);
        props.putAll(config.consumer());
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static Admin admin(KafkaConfig config) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
    }
}
