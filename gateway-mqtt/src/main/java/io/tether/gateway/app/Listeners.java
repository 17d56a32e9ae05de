package io.tether.gateway.app;

import io.tether.gateway.config.DeviceHttpConfig;
import io.tether.gateway.config.MqttConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The MQTT listeners {@link MqttConfig} asks for: TCP, TLS, WebSocket and WebSocket over TLS. */
final class Listeners {
    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    /** Forward-secret AEAD suites only: TLS 1.3's, then TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305. */
    static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    /** An MQTT fixed header's most bytes (type, and 4 of Remaining Length): the decoder's limit counts the packet after it. */
    private static final int MAX_FIXED_HEADER = 5;
    /**
     * Room in a WebSocket frame beside its largest packet: packets need not line up with frames [MQTT-6.0.0-2], and a
     * client may put a PINGREQ or a few small packets in the frame of a large PUBLISH. Vert.x's default frame limit.
     */
    static final int FRAME_SLACK = 65_536;

    private Listeners() {
    }

    /** One named set of server options per enabled listener. */
    record Listener(String name, MqttServerOptions options) {
    }

    static List<Listener> from(MqttConfig config) {
        List<Listener> out = new ArrayList<>();
        if (config.port() > 0) {
            out.add(new Listener("mqtt", base(config, config.port())));
        }
        if (config.websocket().port() > 0) {
            out.add(new Listener("ws", webSocket(base(config, config.websocket().port()))));
        }
        if (config.tls().port() > 0) {
            out.add(new Listener("mqtts", tls(base(config, config.tls().port()), config.tls())));
        }
        if (config.websocket().tlsPort() > 0) {
            out.add(new Listener("wss", webSocket(tls(base(config, config.websocket().tlsPort()), config.tls()))));
        }
        return out;
    }

    private static MqttServerOptions base(MqttConfig config, int port) {
        return new MqttServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setMaxMessageSize(config.maxMessageSize())
                .setTimeoutOnConnect(config.connectTimeoutSeconds())
                // An empty client id stays empty, to be refused as no device id (0x02, 0x85): a UUID Vert.x made up for it
                // was refused as unknown credentials (0x05, 0x87) and counted as a failed authentication.
                .setAutoClientId(false);
    }

    /**
     * MQTT over WebSocket at {@code /mqtt}. A frame may carry any packet the decoder takes and {@link #FRAME_SLACK} more:
     * Vert.x's default limit (64 KiB) ended the connection for larger packets, below the Maximum Packet Size CONNACK
     * announces.
     */
    private static MqttServerOptions webSocket(MqttServerOptions options) {
        options.setWebSocketMaxFrameSize(options.getMaxMessageSize() + MAX_FIXED_HEADER + FRAME_SLACK);
        return options.setUseWebSocket(true);
    }

    /**
     * The device HTTPS endpoint: same address and server certificates (SNI) as the MQTT TLS listener, but no client
     * certificates: a background URLSession cannot present one.
     */
    static HttpServerOptions deviceHttp(MqttConfig mqtt, DeviceHttpConfig http) {
        HttpServerOptions options = new HttpServerOptions().setHost(mqtt.host()).setPort(http.port());
        if (http.tls()) {
            certificates(options, mqtt.tls());
        }
        return options;
    }

    /** SNI picks among the certificates by host name, so one listener serves several domains. */
    private static void certificates(NetServerOptions options, MqttConfig.Tls tls) {
        List<MqttConfig.KeyPair> pairs = tls.certificates().orElse(List.of());
        if (pairs.isEmpty()) {
            throw new IllegalStateException("a TLS listener needs tether.mqtt.tls.certificates[0].cert and .key");
        }
        PemKeyCertOptions certs = new PemKeyCertOptions();
        for (MqttConfig.KeyPair pair : pairs) {
            certs.addCertPath(pair.cert()).addKeyPath(pair.key());
        }
        options.setSsl(true).setSni(pairs.size() > 1).setKeyCertOptions(certs);
        options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(protocols(tls.protocols())));
        // Forward-secret AEAD suites only (MqttConfig.Tls#cipherSuites): a client that offers none of them is refused.
        tls.cipherSuites().orElse(DEFAULT_CIPHER_SUITES).forEach(options::addEnabledCipherSuite);
    }

    private static MqttServerOptions tls(MqttServerOptions options, MqttConfig.Tls tls) {
        certificates(options, tls);
        ClientAuth clientAuth = ClientAuth.valueOf(tls.clientAuth());
        options.setClientAuth(clientAuth);
        tls.clientCa().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca)));
        if (clientAuth != ClientAuth.NONE && tls.clientCa().isEmpty()) {
            throw new IllegalStateException("client certificates need tether.mqtt.tls.client-ca");
        }
        return options;
    }

    /** TLS 1.2 and 1.3 only: an older version asked for is a configuration error, not something to serve. */
    static List<String> protocols(List<String> asked) {
        for (String protocol : asked) {
            if (!ALLOWED_PROTOCOLS.contains(protocol)) {
                throw new IllegalStateException("tether.mqtt.tls.protocols: " + protocol + " is not allowed (TLSv1.2, TLSv1.3)");
            }
        }
        return asked;
    }
}
