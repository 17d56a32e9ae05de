package io.tether.testkit;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The one Quarkus test resource of every service module: points the service at the JVM's shared real
 * Redis and Kafka. Use it with the same arguments everywhere: each distinct resource set re-boots Quarkus.
 */
public class TetherInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TetherInfra infra = TetherInfra.shared();
        return Map.of(
                "tether.redis.uri", infra.redis().uri(),
                "tether.kafka.bootstrap-servers", infra.kafka().bootstrapServers(),
                "tether.kafka.topics.partitions", Integer.toString(KafkaBroker.PARTITIONS),
                // For a service that also uses Quarkus's own Kafka config; it also keeps Kafka Dev Services
                // (which need Docker) from starting.
                "kafka.bootstrap.servers", infra.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // Nothing: the next test class reuses Redis and Kafka; the JVM's shutdown hook stops them.
    }
}
