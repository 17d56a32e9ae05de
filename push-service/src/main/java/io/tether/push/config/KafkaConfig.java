package io.tether.push.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/** Kafka connection of push-service. */
@ConfigMapping(prefix = "tether.kafka")
public interface KafkaConfig {

    /** Bootstrap servers. Default 127.0.0.1:19092 (the local runner's broker). */
    @WithDefault("127.0.0.1:19092")
    String bootstrapServers();

    /** Consumer group of the push consumer. Default tether-push. */
    @WithDefault("tether-push")
    String groupId();

    /** Extra Kafka producer settings passed through as they are. */
    Map<String, String> producer();

    /** Extra Kafka consumer settings passed through as they are. */
    Map<String, String> consumer();
}
