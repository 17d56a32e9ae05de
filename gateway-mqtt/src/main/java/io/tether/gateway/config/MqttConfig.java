package io.tether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    /**
     * Largest MQTT packet the decoder accepts, in bytes, announced to MQTT 5 clients as Maximum Packet Size; a larger one
     * ends the connection (MQTT 5: DISCONNECT 0x95). Default 1 MiB (payloads are bounded by {@link Limits}).
     */
    @WithDefault("1048576")
    int maxMessageSize();

    /** Seconds a new socket may take to send CONNECT. Default 10. */
    @WithDefault("10")
    int connectTimeoutSeconds();

    /**
     * Longest keepalive an MQTT 5 client gets, in seconds: a client asking for more, or for none (0), is given this one
     * as Server Keep Alive in CONNACK, and the gateway closes the connection when nothing came for 1.5 × it. MQTT 3.1.1
     * cannot be told, so its keepalive is taken as asked. Default 300.
     */
    @WithDefault("300")
    int maxKeepaliveSeconds();

    Session session();

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

        /** TLS versions: TLSv1.2 and TLSv1.3 only (anything older is refused at start). Default both. */
        @WithDefault("TLSv1.2,TLSv1.3")
        List<String> protocols();

        /**
         * Cipher suites. Default: forward-secret AEAD suites only, TLS 1.3's three and TLS 1.2's ECDHE with AES-GCM or
         * ChaCha20-Poly1305 (ECDSA and RSA certificates); see {@code Listeners.DEFAULT_CIPHER_SUITES}.
         */
        Optional<List<String>> cipherSuites();
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

    /** MQTT sessions that outlive a connection (stored in Redis, resumed on any gateway). */
    interface Session {
        /**
         * Longest a session is kept after its connection ends: an MQTT 5 Session Expiry Interval above it (or 0xFFFFFFFF,
         * never) is capped to it and CONNACK says so; MQTT 3.1.1 clients connecting with clean session off get it. Default
         * 7 days.
         */
        @WithDefault("7d")
        java.time.Duration maxExpiry();

        /**
         * How long a session stays in Redis while a connection holds it, renewed at every subscription change. It bounds
         * what a gateway that dies without ending its sessions leaves behind; keep it above max-expiry. Default 30 days.
         */
        @WithDefault("30d")
        java.time.Duration heldTtl();
    }

    /** Per-device limits. */
    interface Limits {
        /**
         * Largest PUBLISH payload a device may send, in bytes; beyond, MQTT 5 gets PUBACK 0x97 (QoS 0 is dropped) and MQTT
         * 3.1.1 a closed connection. Default 128 KiB.
         */
        @WithDefault("131072")
        int maxPayloadBytes();

        /** Sustained PUBLISH rate per connection, per second. Default 100. */
        @WithDefault("100")
        int publishPerSecond();

        /** Burst of PUBLISHes above the rate. Default 200. */
        @WithDefault("200")
        int publishBurst();

        /** Topic filters one connection may be subscribed to at once; beyond, SUBACK 0x97 (quota exceeded). Default 32. */
        @WithDefault("32")
        int maxSubscriptions();

        /**
         * Longest topic name or filter a device may use (PUBLISH, SUBSCRIBE, will), in UTF-8 bytes; beyond, 0x90 topic
         * name invalid (PUBLISH, will) or 0x8F topic filter invalid (SUBSCRIBE). Default 256.
         */
        @WithDefault("256")
        int maxTopicBytes();

        /** Most levels ({@code a/b/c} has 3) in a topic name or filter; beyond, as for {@link #maxTopicBytes}. Default 8. */
        @WithDefault("8")
        int maxTopicLevels();

        /**
         * Payload bytes of one connection's PUBLISHes on their way to Kafka at once; beyond, the PUBLISH is refused with
         * 0x97 (quota exceeded). Together with the Receive Maximum CONNACK announces ({@code tether.gateway.max-inflight}
         * QoS 1 PUBLISHes awaiting PUBACK; beyond, DISCONNECT 0x93), it bounds what one device holds in the gateway. MQTT
         * 3.1.1 clients, which cannot be told a Receive Maximum, are not refused but held back: their socket is not read
         * while either limit is reached. Default 1 MiB.
         */
        @WithDefault("1048576")
        int maxQueuedBytes();

        /** Failed CONNECTs, counted across every gateway in Redis. */
        ConnectFailures connectFailures();
    }

    /**
     * Failed CONNECTs (wrong or missing credentials) slow down their source: per source address (an IPv6 address by its
     * /64), and per client id. Beyond a few free failures the source must wait, the wait doubling up to a maximum, and a
     * CONNECT that comes too early is refused unheard with 0x97 (quota exceeded; MQTT 3.1.1: 0x03 server unavailable);
     * an address that keeps failing is banned: 0x8A (MQTT 3.1.1: 0x05 not authorised). A device connecting from an
     * address it authenticated from before is never held back, so an attack on its id does not lock it out.
     */
    interface ConnectFailures {
        /** Default true. */
        @WithDefault("true")
        boolean enabled();

        /** How long failures are remembered after the last one. Default 10 min. */
        @WithDefault("10m")
        Duration window();

        /** The wait after the first failure beyond the free ones; it doubles with each failure. Default 1 s. */
        @WithDefault("1s")
        Duration firstWait();

        /** The longest wait. Default 60 s. */
        @WithDefault("60s")
        Duration maxWait();

        /** Failures of one address before it must wait. Default 10. */
        @WithDefault("10")
        int freePerAddress();

        /** Failures (and refused attempts) of one address after which it is banned. Default 50. */
        @WithDefault("50")
        int banAfter();

        /** How long a ban lasts. Default 15 min. */
        @WithDefault("15m")
        Duration ban();

        /** Failures with one client id before it must wait (never banned: that would lock the device out). Default 5. */
        @WithDefault("5")
        int freePerClientId();

        /** How long an address a device authenticated from stays known as its own. Default 30 days. */
        @WithDefault("P30D")
        Duration knownOriginTtl();
    }
}
