package io.tether.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.tether.testkit.Ports;
import io.tether.testkit.RawMqtt;
import io.tether.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Limits on every door of the gateway, each answered with its reason code and counted, and TLS 1.2+ with AEAD suites only. */
class DeviceLimitsIT {
    private static TetherStack stack;
    private static Api api;
    private static TetherStack.Gateway gateway;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        stack = TetherStack.shared();
        api = new Api(stack);
        Path certs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "limits-certs");
        TestCertificates.Issued server = TestCertificates.server(certs, "limits.tether.test");
        tlsPort = Ports.free();
        gateway = stack.startGateway("gw-limits", Map.of(
                "tether.mqtt.limits.max-subscriptions", "3",
                "tether.mqtt.limits.max-topic-bytes", "64",
                "tether.mqtt.limits.max-topic-levels", "4",
                "tether.mqtt.limits.max-payload-bytes", "1024",
                "tether.mqtt.limits.max-queued-bytes", "3000",
                "tether.gateway.max-inflight", "8",
                "tether.mqtt.tls.port", Integer.toString(tlsPort),
                "tether.mqtt.tls.certificates[0].cert", server.certPem().toString(),
                "tether.mqtt.tls.certificates[0].key", server.keyPem().toString()));
    }

    @AfterAll
    static void stop() {
        gateway.process().stop();
    }

    @Test
    void aSubscriptionBeyondTheLimitIsQuotaExceeded() {
        Api.Device device = api.register("ios");
        double before = refusals("subscriptions");
        Mqtt5AsyncClient client = connected(device);
        for (String sub : List.of("a", "b", "c")) {
            subscribe(client, "devices/" + device.id() + "/" + sub);
        }
        Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class, () -> unwrap(() -> subscribe(client, "devices/" + device.id() + "/d")));
        assertEquals(List.of(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED), refused.getMqttMessage().getReasonCodes());
        subscribe(client, "devices/" + device.id() + "/a"); // subscribing again adds nothing
        client.unsubscribeWith().topicFilter("devices/" + device.id() + "/a").send().orTimeout(10, TimeUnit.SECONDS).join();
        subscribe(client, "devices/" + device.id() + "/d"); // room again
        client.disconnect().join();

        // MQTT 3.1.1 knows one failure code.
        Mqtt3BlockingClient old = MqttClient.builder().useMqttVersion3().identifier(device.id()).serverHost("127.0.0.1")
                .serverPort(gateway.mqttPort()).buildBlocking();
        old.connectWith().simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        for (String sub : List.of("a", "b", "c")) {
            old.subscribeWith().topicFilter("devices/" + device.id() + "/" + sub).qos(MqttQos.AT_LEAST_ONCE).send();
        }
        Mqtt3SubAckException old4 = assertThrows(Mqtt3SubAckException.class,
                () -> old.subscribeWith().topicFilter("devices/" + device.id() + "/d").qos(MqttQos.AT_LEAST_ONCE).send());
        assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE), old4.getMqttMessage().getReturnCodes());
        old.disconnect();
        assertEquals(before + 2, refusals("subscriptions"));
    }

    @Test
    void topicsBeyondTheLengthOrDepthLimitAreInvalid() {
        Api.Device device = api.register("ios");
        double before = refusals("topic");
        Mqtt5AsyncClient client = connected(device);
        String own = "devices/" + device.id() + "/";

        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, pubAck(client, own + "a"));
        assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, pubAck(client, own + "a/b/c"), "5 levels, 4 allowed");
        assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, pubAck(client, own + "x".repeat(64 - own.length() + 1)), "65 bytes");
        Mqtt5SubAckException deep = assertThrows(Mqtt5SubAckException.class, () -> unwrap(() -> subscribe(client, own + "a/b/#")));
        assertEquals(List.of(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID), deep.getMqttMessage().getReasonCodes());
        client.disconnect().join();
        assertEquals(before + 3, refusals("topic"));
    }

    @Test
    void aWillBeyondThePayloadOrTopicLimitsIsRefusedAtConnect() {
        Api.Device device = api.register("ios");
        double before = refusals("will-payload");
        String own = "devices/" + device.id() + "/";
        assertEquals(Mqtt5ConnAckReasonCode.PACKET_TOO_LARGE, connectWithWill(device, own + "will", 1025));
        assertEquals(Mqtt5ConnAckReasonCode.TOPIC_NAME_INVALID, connectWithWill(device, own + "a/b/c", 10));
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connectWithWill(device, own + "will", 1024));

        Mqtt3BlockingClient old = MqttClient.builder().useMqttVersion3().identifier(device.id()).serverHost("127.0.0.1")
                .serverPort(gateway.mqttPort()).buildBlocking();
        Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class, () -> old.connectWith()
                .simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .willPublish().topic(own + "will").payload(new byte[2048]).applyWillPublish().send());
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, refused.getMqttMessage().getReturnCode());
        assertEquals(before + 2, refusals("will-payload"));
    }

    @Test
    void morePublishesInFlightThanTheReceiveMaximumEndTheConnection() throws Exception {
        Api.Device device = api.register("ios");
        double before = refusals("inflight");
        try (RawMqtt raw = RawMqtt.connect(gateway.mqttPort(), device.id(), device.password())) {
            byte[][] nine = new byte[9][];
            for (int i = 0; i < 9; i++) {
                nine[i] = RawMqtt.publish("devices/" + device.id() + "/telemetry", i + 1, new byte[] {(byte) i});
            }
            raw.write(nine); // CONNACK announced Receive Maximum 8
            RawMqtt.Packet packet = raw.read();
            while (packet.type() == RawMqtt.Packet.PUBACK) {
                packet = raw.read();
            }
            assertEquals(RawMqtt.Packet.DISCONNECT, packet.type());
            assertEquals(0x93, packet.reasonCode(), "Receive Maximum exceeded");
        }
        assertEquals(before + 1, refusals("inflight"));
    }

    @Test
    void morePayloadOnItsWayToKafkaThanTheLimitIsQuotaExceeded() throws Exception {
        Api.Device device = api.register("ios");
        double before = refusals("queued-bytes");
        try (RawMqtt raw = RawMqtt.connect(gateway.mqttPort(), device.id(), device.password())) {
            byte[][] four = new byte[4][];
            for (int i = 0; i < 4; i++) {
                four[i] = RawMqtt.publish("devices/" + device.id() + "/telemetry", i + 1, new byte[1000]);
            }
            raw.write(four); // 1000, 2000, 3000 bytes fit the 3000 allowed; the fourth does not
            Map<Integer, Integer> codes = new HashMap<>();
            while (codes.size() < 4) {
                RawMqtt.Packet ack = raw.read();
                assertEquals(RawMqtt.Packet.PUBACK, ack.type());
                codes.put(ack.packetId(), ack.reasonCode());
            }
            assertEquals(Map.of(1, 0, 2, 0, 3, 0, 4, 0x97), codes);
        }
        assertEquals(before + 1, refusals("queued-bytes"));
    }

    @Test
    void tlsTakesVersion12Or13WithForwardSecretAeadSuitesOnly() throws Exception {
        assertEquals("TLSv1.3", handshake("TLSv1.3", null));
        assertEquals("TLSv1.2", handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertEquals("TLSv1.2", handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
        for (String weak : List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256")) {
            assertThrows(SSLException.class, () -> handshake("TLSv1.2", weak), weak);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static double refusals(String limit) {
        return Doors.metric(gateway.process(), "tether_gateway_limit_refusals_total", "limit=\"" + limit + "\"");
    }

    private static Mqtt5AsyncClient connected(Api.Device device) {
        Mqtt5AsyncClient client = Doors.mqtt5(device.id(), gateway.mqttPort(), "127.0.0.1").buildAsync();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, Doors.connect(client, device.id(), device.password()));
        return client;
    }

    private static void subscribe(Mqtt5AsyncClient client, String filter) {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).callback(p -> { }).send().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Mqtt5PubAckReasonCode pubAck(Mqtt5AsyncClient client, String topic) {
        try {
            return ((com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result) client.publishWith().topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send().orTimeout(10, TimeUnit.SECONDS).join()).getPubAck().getReasonCode();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    private static Mqtt5ConnAckReasonCode connectWithWill(Api.Device device, String topic, int payloadSize) {
        Mqtt5AsyncClient client = Doors.mqtt5(device.id(), gateway.mqttPort(), "127.0.0.1").buildAsync();
        try {
            Mqtt5ConnAckReasonCode code = client.connectWith()
                    .simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .willPublish().topic(topic).payload(new byte[payloadSize]).qos(MqttQos.AT_LEAST_ONCE).applyWillPublish()
                    .send().orTimeout(10, TimeUnit.SECONDS).join().getReasonCode();
            client.disconnect().join();
            return code;
        } catch (CompletionException e) {
            if (e.getCause() instanceof Mqtt5ConnAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    /** Runs {@code action}, rethrowing what a failed future failed with. */
    private static void unwrap(Runnable action) throws Throwable {
        try {
            action.run();
        } catch (CompletionException e) {
            throw e.getCause();
        }
    }

    /** The protocol a TLS handshake with the gateway settled on, offering only {@code protocol} and {@code suite}. */
    private static String handshake(String protocol, String suite) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            socket.setEnabledProtocols(new String[] {protocol});
            if (suite != null) {
                socket.setEnabledCipherSuites(new String[] {suite});
            }
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }
}
