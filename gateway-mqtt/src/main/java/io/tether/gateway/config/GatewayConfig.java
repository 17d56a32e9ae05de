package io.tether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The gateway instance. */
@ConfigMapping(prefix = "tether.gateway")
public interface GatewayConfig {

    /** Instance id; names its delivery topic. Default: {@code gw-} and random hex, new at every start. */
    Optional<String> id();

    /** How long a delivered QoS 1 PUBLISH may wait for its PUBACK before the device counts as deaf. Default 5 s. */
    @WithDefault("5s")
    Duration ackTimeout();

    /**
     * Time to live of this instance's heartbeat in Redis. When it lapses (process killed), fanout treats the
     * devices connected here as offline. Refreshed every third of it. Default 10 s.
     */
    @WithDefault("10s")
    Duration heartbeatTtl();

    /** How many deliveries may await PUBACK on one connection. Default 32. */
    @WithDefault("32")
    int maxInflight();
}
