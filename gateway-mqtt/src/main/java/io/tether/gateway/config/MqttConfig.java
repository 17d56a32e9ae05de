package io.tether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The MQTT listener devices connect to. */
@ConfigMapping(prefix = "tether.mqtt")
public interface MqttConfig {

    /** Address to bind. Default 0.0.0.0. */
    @WithDefault("0.0.0.0")
    String host();

    /** Plain MQTT port. Default 1883. */
    @WithDefault("1883")
    int port();

    /** Largest MQTT packet accepted, in bytes. Default 256 KiB. */
    @WithDefault("262144")
    int maxMessageSize();

    /** Seconds a new socket may take to send CONNECT. Default 10. */
    @WithDefault("10")
    int connectTimeoutSeconds();
}
