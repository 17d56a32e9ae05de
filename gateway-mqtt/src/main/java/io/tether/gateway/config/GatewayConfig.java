package io.tether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The gateway instance. */
@ConfigMapping(prefix = "tether.gateway")
public interface GatewayConfig {

    /** Instance id; names its delivery channel. Default: {@code gw-} and random hex, new at every start. */
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

    /**
     * How long a verified device password is trusted by the device HTTPS endpoint without asking Redis again (CONNECT
     * never uses a cache). Rotation, revocation and deletion end it at once (Redis pub/sub), a lost subscription ends
     * every entry when it comes back; this bounds the rest. Default 10 s.
     */
    @WithDefault("10s")
    Duration credentialCacheTtl();

    /**
     * How often every connection held here is checked against Redis (device deleted, credentials revoked or rotated,
     * a newer connection of the device on another gateway). Revocations and takeovers arrive at once over pub/sub, and
     * every connection is also checked whenever that subscription comes back after a loss; this audit bounds what any
     * other loss could leave open. One small script per connection per interval. Default 5 min.
     */
    @WithDefault("5m")
    Duration sessionAuditInterval();

    /** How many deliveries may await PUBACK on one connection. Default 32. */
    @WithDefault("32")
    int maxInflight();

    /**
     * Graceful drain at shutdown (SIGTERM): the connections held are disconnected evenly over this window, so that
     * devices reconnect to other instances as a trickle. Keep it below the pod's termination grace period (the
     * Helm chart derives one from it). 0 disconnects all at once. Default 20 s.
     */
    @WithDefault("20s")
    Duration drainWindow();

    /**
     * Server Reference sent to MQTT 5 devices when draining ({@code host[:port]}, or several separated by spaces):
     * with it, they get DISCONNECT 0x9C (use another server) instead of 0x8B (server shutting down). Default: none.
     */
    Optional<String> drainServerReference();
}
