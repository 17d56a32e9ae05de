package io.tether.runtime.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.runtime.kafka.TopicLayout;
import java.util.Map;
import java.util.Optional;

/** The Kafka cluster and topic layout, one configuration for every service ({@code TETHER_KAFKA_*}). */
@ConfigMapping(prefix = "tether.kafka")
public interface KafkaSettings {

    /** Bootstrap servers. Default 127.0.0.1:19092 (the local runner's broker). */
    @WithDefault("127.0.0.1:19092")
    String bootstrapServers();

    /** Settings for every Kafka client, passed through as they are (security.protocol, sasl.*, ssl.*). */
    Map<String, String> client();

    /** Extra producer settings passed through (acks and idempotence are fixed: the guarantees need them). */
    Map<String, String> producer();

    /** Extra consumer settings passed through (commits are always manual). */
    Map<String, String> consumer();

    /** Consumer group of the service's consumer; each service has its own default. */
    Optional<String> groupId();

    /**
     * A name this process keeps across restarts (the pod name; Helm sets it). With it, consumers use Kafka's static
     * group membership: one restarted after a crash gets its partitions back at once, instead of after the dead
     * member's session timeout (10 s); a process that stops leaves its groups at once all the same (a pod replaced by
     * a rollout never comes back under its name). Two live processes must never share it. Default: none.
     */
    Optional<String> instanceId();

    /** How Tether's topics are laid out; checked at start against the topics that exist. */
    Topics topics();

    interface Topics {
        /** Partitions of every Tether topic. Default 8. */
        @WithDefault("8")
        int partitions();

        /** Replicas of every partition. Default 1 (one local broker); 3 in production. */
        @WithDefault("1")
        short replicationFactor();

        /** In-sync replicas a write needs before acks=all answers. Default 1; 2 in production. */
        @WithDefault("1")
        int minInsyncReplicas();
    }

    default KafkaClients clients() {
        return new KafkaClients(bootstrapServers(), client(), producer(), consumer(), instanceId().orElse(null));
    }

    default TopicLayout layout() {
        return new TopicLayout(topics().partitions(), topics().replicationFactor(), topics().minInsyncReplicas());
    }
}
