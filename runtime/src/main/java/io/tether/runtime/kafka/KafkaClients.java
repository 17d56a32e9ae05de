package io.tether.runtime.kafka;

import java.util.HashMap;
import java.util.Map;
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

/**
 * Builds every Kafka client of every service with the defaults Tether's guarantees rely on. Operators' settings
 * are applied on top: {@code common} to every client (security.protocol, sasl.*, ssl.*), {@code producer} and
 * {@code consumer} to their kind. Settings a guarantee depends on (acks, idempotence, manual commits) are applied
 * last and cannot be overridden.
 */
public final class KafkaClients {
    private final String bootstrapServers;
    private final Map<String, String> common;
    private final Map<String, String> producer;
    private final Map<String, String> consumer;
    private final String instanceId;

    public KafkaClients(String bootstrapServers, Map<String, String> common, Map<String, String> producer,
            Map<String, String> consumer) {
        this(bootstrapServers, common, producer, consumer, null);
    }

    /**
     * @param instanceId a name this process keeps across restarts (the pod name), or null: group members then use static
     *                   membership, so a consumer restarted after a crash gets its partitions back at once instead of
     *                   after the dead member's session timeout; a stopped one still leaves the group at once
     *                   ({@link KeyedConsumer})
     */
    public KafkaClients(String bootstrapServers, Map<String, String> common, Map<String, String> producer,
            Map<String, String> consumer, String instanceId) {
        this.bootstrapServers = bootstrapServers;
        this.common = Map.copyOf(common);
        this.producer = Map.copyOf(producer);
        this.consumer = Map.copyOf(consumer);
        this.instanceId = instanceId;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * How long a durable producer waits to fill a request. Every request wakes the broker, its purgatory, the
     * consumers' fetches and, downstream of them, Redis and the gateways, once per request rather than per record:
     * at 1 ms nearly every message was a request of its own at 1,000 msg/s, and the whole system's CPU per message
     * followed the number of requests (the A/B in the README's benchmark section). 5 ms adds at most that to a 202 or
     * a PUBACK. fanout's producer waits longer (its {@code FanoutApp.LINGER}).
     */
    public static final java.time.Duration LINGER = java.time.Duration.ofMillis(5);

    /**
     * A producer whose acknowledgement means durable: all in-sync replicas, no reordering or duplicates on retry;
     * {@code linger.ms} {@link #LINGER} unless the operator's producer settings say otherwise.
     */
    public KafkaProducer<String, byte[]> durableProducer(String clientId) {
        return durableProducer(clientId, LINGER);
    }

    /**
     * A durable producer that waits up to {@code linger} to fill a request: for records nobody waits for (status
     * events for backends), where a few milliseconds cost nothing and one request per record would cost the broker
     * and this process a wake-up each.
     */
    public KafkaProducer<String, byte[]> durableProducer(String clientId, java.time.Duration linger) {
        return new KafkaProducer<>(durableSettings(clientId, linger), new StringSerializer(), new ByteArraySerializer());
    }

    /** The settings of {@link #durableProducer(String, java.time.Duration)}: operators' on top, the guarantees last. */
    Map<String, Object> durableSettings(String clientId, java.time.Duration linger) {
        Map<String, Object> props = base();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        // send() is called on event loops: while Kafka is away and the buffer is full it must fail fast (the caller
        // answers 503 or refuses the PUBLISH), not stall every connection of the loop. Topics are warmed up at start
        // (warmUp), so metadata never makes it wait.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 100);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putAll(producer);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    /**
     * A member of {@code groupId} that commits by hand. A crashed member keeps its partitions until its session
     * times out, and Kafka's default 45 s would hold every record of those partitions that long after a kill -9 (a
     * stopped one leaves at once: {@link KeyedConsumer}). 10 s still lets a container restarted in its pod rejoin as
     * the same static member, without a rebalance.
     */
    public KafkaConsumer<String, byte[]> groupConsumer(String groupId, String clientId, int maxPollRecords) {
        Map<String, Object> props = consumerBase(clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        props.putAll(consumer);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        if (instanceId != null && !instanceId.isBlank()) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "." + clientId);
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords); // flow control relies on it
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A group member that gets the same partition numbers of every topic it subscribes to (range assignment):
     * with co-partitioned topics, everything about one key reaches one member, in order per topic.
     */
    public KafkaConsumer<String, byte[]> coPartitionedConsumer(String groupId, String clientId, int maxPollRecords) {
        Map<String, String> withRange = new HashMap<>(consumer);
        withRange.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        return new KafkaClients(bootstrapServers, common, producer, withRange, instanceId).groupConsumer(groupId, clientId, maxPollRecords);
    }

    /** A consumer of partitions it assigns itself: no group, no commits. */
    public KafkaConsumer<String, byte[]> assignedConsumer(String clientId) {
        Map<String, Object> props = consumerBase(clientId);
        props.putAll(consumer);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Fetches the topics' metadata before the first send, waiting up to {@code timeout} for the cluster (at start-up). */
    public static void warmUp(org.apache.kafka.clients.producer.Producer<?, ?> producer, java.util.Collection<String> topics,
            java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String topic : topics) {
            while (true) {
                try {
                    producer.partitionsFor(topic);
                    break;
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no metadata for Kafka topic " + topic + " within " + timeout, e);
                    }
                }
            }
        }
    }

    public Admin admin() {
        Map<String, Object> props = base();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tether-admin");
        return Admin.create(props);
    }

    /**
     * The broker answers a fetch as soon as one byte is there (fetch.min.bytes=1), so the wait only bounds empty
     * fetches: a short one costs latency nothing but turns every idle consumer into ~100 fetches/s of broker CPU.
     */
    private Map<String, Object> consumerBase(String clientId) {
        Map<String, Object> props = base();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        return props;
    }

    private Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>(common);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }
}
