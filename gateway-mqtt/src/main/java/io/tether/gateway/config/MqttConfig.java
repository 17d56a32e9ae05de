package io.tether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The MQTT listeners devices connect to: plain TCP, TLS, and WebSocket (plain and TLS) at {@code /mqtt}. */
@ConfigMapping(prefix = "tether.mqtt")
public interface MqttConfig {

    /** Address to bind. Default 0.0.0.0. */
    @WithDefault("0.0.0.0")
    String host();

    /** Plain MQTT port; 0 turns it off. Default 1883. */
    @WithDefault("1883")
    int port();

    /** Largest MQTT packet the decoder accepts, in bytes. Default 1 MiB (payloads are bounded by {@link Limits}). */
    @WithDefault("1048576")
    int maxMessageSize();

    /** Seconds a new socket may take to send CONNECT. Default 10. */
    @WithDefault("10")
    int connectTimeoutSeconds();

    Tls tls();

    WebSocket websocket();

    Limits limits();

    /** TLS listener (MQTT over TLS, and WebSocket over TLS). */
    interface Tls {
        /** TLS MQTT port; 0 (the default) turns TLS off. Production: 8883. */
        @WithDefault("0")
        int port();

        /**
         * Server certificates, each a PEM certificate chain and its PEM private key. With several, the one whose
         * names match the client's SNI host name is chosen; without SNI (or no match) the first.
         */
        Optional<List<KeyPair>> certificates();

        /** Client certificates: NONE, REQUEST or REQUIRED. With one, a certificate whose CN is the device id authenticates the device. */
        @WithDefault("NONE")
        String clientAuth();

        /** PEM file of the CAs that issue device client certificates. */
        Optional<String> clientCa();

        /** TLS versions. Default TLSv1.2 and TLSv1.3. */
        @WithDefault("TLSv1.2,TLSv1.3")
        List<String> protocols();
    }

    /** A certificate chain and its key, as PEM file paths. */
    interface KeyPair {
        String cert();

        String key();
    }

    /** MQTT over WebSocket at the path {@code /mqtt}. */
    interface WebSocket {
        /** Plain WebSocket port; 0 turns it off. Default 8084. */
        @WithDefault("8084")
        int port();

        /** WebSocket over TLS port (uses {@code tls.certificates}); 0 (the default) turns it off. */
        @WithDefault("0")
        int tlsPort();
    }

    /** Per-device limits. */
    interface Limits {
        /** Largest PUBLISH payload a device may send, in bytes. Default 128 KiB. */
        @WithDefault("131072")
        int maxPayloadBytes();

        /** Sustained PUBLISH rate per connection, per second. Default 100. */
        @WithDefault("100")
        int publishPerSecond();

        /** Burst of PUBLISHes above the rate. Default 200. */
        @WithDefault("200")
        int publishBurst();
    }
}
