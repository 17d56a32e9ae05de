package io.tether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The device HTTPS endpoint: fetch of pending messages, signed downloads of attachments and the public keys (JWKS).
 * It serves with the MQTT TLS listener's certificates ({@code tether.mqtt.tls.certificates}, chosen by SNI).
 */
@ConfigMapping(prefix = "tether.device-http")
public interface DeviceHttpConfig {

    /** Port; 0 (the default) turns the endpoint off. Production: 8444 behind the gateway's Service port 443 (the Helm chart's default). */
    @WithDefault("0")
    int port();

    /**
     * Serve HTTPS with the MQTT TLS certificates. False serves plain HTTP, only for a TLS-terminating Ingress or load
     * balancer in front (devices must reach it by HTTPS). Default true.
     */
    @WithDefault("true")
    boolean tls();

    /** Most messages one fetch returns. Default 100. */
    @WithDefault("100")
    int maxFetch();
}
