package io.tether.fanout.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.opentelemetry.api.OpenTelemetry;
import io.tether.contract.ConsumerDefaults;
import io.tether.contract.tracing.MessagingSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.contract.KafkaClientMeters;
import io.tether.contract.TopicProvisioner;
import io.tether.contract.Topics;
import io.tether.fanout.config.FanoutConfig;
import io.tether.fanout.config.KafkaConfig;
import io.tether.fanout.intake.MessageIntake;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.rest.MessageRequests;
import io.tether.fanout.rest.PushAppCheck;
import io.tether.fanout.routing.DeliverySender;
import io.tether.fanout.routing.DeviceQueue;
import io.tether.fanout.routing.ExpiryIndex;
import io.tether.fanout.routing.GatewayLiveness;
import io.tether.fanout.routing.GatewayReaper;
import io.tether.fanout.routing.PushRequests;
import io.tether.fanout.routing.Router;
import io.tether.fanout.routing.RoutingConsumer;
import io.tether.fanout.status.StatusStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Quarkus shell of fanout: builds the plain core from config and runs the routing consumer. */
@ApplicationScoped
public class FanoutApp {
    private final FanoutConfig config;
    private final KafkaConfig kafka;
    private final StatefulRedisConnection<String, String> redis;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService sendThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "tether-deliver-send"));
    private RoutingConsumer routing;
    private final Admin admin;
    private DeviceQueue queue;
    private final MessagingSpans spans;
    private final FanoutMetrics metrics;
    private final KafkaClientMeters kafkaMeters;

    FanoutApp(FanoutConfig config, KafkaConfig kafka, StatefulRedisConnection<String, String> redis, OpenTelemetry openTelemetry,
            MeterRegistry registry) {
        this.spans = new MessagingSpans(openTelemetry);
        this.config = config;
        this.kafka = kafka;
        this.redis = redis;
        this.producer = producer(kafka);
        this.metrics = new FanoutMetrics(registry);
        this.kafkaMeters = new KafkaClientMeters(registry);
        kafkaMeters.bind(producer);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    void start(@Observes StartupEvent event) {
        new TopicProvisioner(admin, config.partitions(), (short) 1)
                .ensure(Topics.DOWNSTREAM, Topics.PRESENCE, Topics.RECEIPTS, Topics.PUSH, Topics.DLQ);
        // Fetch metadata now, so that send() on the REST path or a Redis thread never blocks on it.
        for (String topic : new String[] {Topics.DOWNSTREAM, Topics.PRESENCE, Topics.PUSH, Topics.DLQ}) {
            producer.partitionsFor(topic);
        }
        StatusStore statuses = statusStore();
        Router router = new Router(queue(), new DeliverySender(producer, sendThread, spans), new PushRequests(producer, spans),
                new GatewayLiveness(redis.async(), config.gatewayLivenessCache().toMillis()), statuses, expiryIndex(), producer, spans,
                metrics);
        KafkaConsumer<String, byte[]> consumer = consumer(kafka);
        kafkaMeters.bind(consumer);
        routing = new RoutingConsumer(consumer, router, producer, spans, kafka.groupId());
        routing.start();
    }

    private synchronized DeviceQueue queue() {
        if (queue == null) {
            queue = new DeviceQueue(redis.async(), new DeviceQueue.InboxLimits(config.inboxMaxMessages(), config.inboxMaxBytes(),
                    config.window(), config.nudgeInterval().toMillis()));
        }
        return queue;
    }

    @Produces
    @Singleton
    ExpiryIndex expiryIndex() {
        return new ExpiryIndex(redis.async(), queue(), config.expiryShards(), config.statusRetention().toSeconds(), metrics);
    }

    @Produces
    @Singleton
    GatewayReaper gatewayReaper() {
        return new GatewayReaper(redis.async(), producer, admin);
    }

    void stop(@Observes ShutdownEvent event) {
        if (routing != null) {
            routing.stop();
        }
        kafkaMeters.close();
        producer.close(Duration.ofSeconds(10));
        sendThread.shutdown();
        admin.close(Duration.ofSeconds(5));
    }

    public boolean isRoutingRunning() {
        return routing != null && routing.isRunning();
    }

    @Produces
    @Singleton
    StatusStore statusStore() {
        return new StatusStore(redis.async(), config.statusRetention().toSeconds(), config.maxTtl().toSeconds());
    }

    @Produces
    @Singleton
    MessageIntake intake(StatusStore statuses) {
        return new MessageIntake(producer, statuses, spans, metrics);
    }

    @Produces
    @Singleton
    PushAppCheck pushAppCheck() {
        return new PushAppCheck(redis.async(), config.requirePushApp());
    }

    @Produces
    @Singleton
    MessageRequests messageRequests() {
        return new MessageRequests(config.defaultTtl(), config.maxTtl(), config.maxPayloadBytes());
    }

    private static KafkaProducer<String, byte[]> producer(KafkaConfig kafka) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tether-fanout");
        // 202 promises durability: all in-sync replicas, no reordering or duplicates on retry.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putAll(kafka.producer());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaConfig kafka) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tether-fanout-routing");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Range assignment gives one member partition p of every subscribed topic: all records of a device.
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        ConsumerDefaults.groupMember(props);
        props.putAll(kafka.consumer());
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
