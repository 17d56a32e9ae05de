package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.tether.testkit.Ports;
import io.tether.testkit.TestCertificates;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's entry points are closed by default: TLS with per-host-name certificates (SNI), client
 * certificates, WebSocket, credential revocation, topic ACLs with registry grants, and per-device limits.
 */
class GatewaySecurityIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60); // fanout may still be routing the drain test's backlog
    private static TetherStack stack;
    private static Api api;
    private static TetherStack.Gateway gateway;
    private static TestCertificates.Issued hostA;
    private static TestCertificates.Issued hostB;
    private static TestCertificates.Issued deviceCa;
    private static Path certs;
    private static int tlsPort;
    private static int wsPort;
    private static int wssPort;

    @BeforeAll
    static void start() throws Exception {
        stack = TetherStack.shared();
        api = new Api(stack);
        certs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "certs");
        hostA = TestCertificates.server(certs, "a.tether.test");
        hostB = TestCertificates.server(certs, "b.tether.test");
        deviceCa = TestCertificates.authority(certs, "device-ca");
        tlsPort = Ports.free();
        wsPort = Ports.free();
        wssPort = Ports.free();
        gateway = stack.startGateway("gw-sec", Map.ofEntries(
                Map.entry("tether.mqtt.tls.port", Integer.toString(tlsPort)),
                Map.entry("tether.mqtt.tls.certificates[0].cert", hostA.certPem().toString()),
                Map.entry("tether.mqtt.tls.certificates[0].key", hostA.keyPem().toString()),
                Map.entry("tether.mqtt.tls.certificates[1].cert", hostB.certPem().toString()),
                Map.entry("tether.mqtt.tls.certificates[1].key", hostB.keyPem().toString()),
                Map.entry("tether.mqtt.tls.client-auth", "REQUEST"),
                Map.entry("tether.mqtt.tls.client-ca", deviceCa.certPem().toString()),
                Map.entry("tether.mqtt.websocket.port", Integer.toString(wsPort)),
                Map.entry("tether.mqtt.websocket.tls-port", Integer.toString(wssPort)),
                Map.entry("tether.mqtt.limits.max-payload-bytes", "1024"),
                Map.entry("tether.mqtt.limits.publish-per-second", "2"),
                Map.entry("tether.mqtt.limits.publish-burst", "5")));
    }

    @AfterAll
    static void stop() {
        gateway.process().stop();
    }

    @Test
    void tlsPicksTheCertificateOfTheRequestedHostName() throws Exception {
        assertEquals("CN=b.tether.test", handshake("b.tether.test").getSubjectX500Principal().getName());
        assertEquals("CN=a.tether.test", handshake("a.tether.test").getSubjectX500Principal().getName());
        // A device that connects to an IP with a forced SNI still gets the right one.
        assertEquals("CN=b.tether.test", handshake("b.tether.test").getSubjectX500Principal().getName());
    }

    @Test
    void deviceConnectsOverTlsAndReceivesMessages() throws Exception {
        Api.Device device = api.register("ios");
        List<X509Certificate> seen = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(device.id())
                .serverHost("127.0.0.1").serverPort(tlsPort)
                .sslConfig().trustManagerFactory(recordingTrust(seen)).hostnameVerifier((host, session) -> true)
                .protocols(List.of("TLSv1.3")).applySslConfig()
                .buildAsync();
        connectAndReceive(client, device, "over TLS");
        assertEquals("CN=a.tether.test", seen.get(0).getSubjectX500Principal().getName(), "no SNI: the first certificate");
    }

    @Test
    void deviceConnectsOverWebSocketAndOverWebSocketWithTls() throws Exception {
        Api.Device plain = api.register("ios");
        connectAndReceive(MqttClient.builder().useMqttVersion5().identifier(plain.id())
                .serverHost("127.0.0.1").serverPort(wsPort)
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildAsync(), plain, "over WebSocket");

        Api.Device secure = api.register("ios");
        connectAndReceive(MqttClient.builder().useMqttVersion5().identifier(secure.id())
                .serverHost("127.0.0.1").serverPort(wssPort)
                .sslConfig().trustManagerFactory(recordingTrust(new ArrayList<>())).hostnameVerifier((h, s) -> true).applySslConfig()
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildAsync(), secure, "over secure WebSocket");
    }

    @Test
    void clientCertificateNamingTheDeviceAuthenticatesItAndAnotherDevicesDoesNot() throws Exception {
        Api.Device device = api.register("macos");
        TestCertificates.Issued own = TestCertificates.client(certs, deviceCa, device.id());
        Mqtt5AsyncClient withCert = tlsClient(device.id(), own).buildAsync();
        withCert.connectWith().send().orTimeout(10, TimeUnit.SECONDS).join(); // no password at all
        assertTrue(withCert.getState().isConnected());
        withCert.disconnect().join();

        Api.Device other = api.register("macos");
        Mqtt5AsyncClient wrongCert = tlsClient(other.id(), own).buildAsync();
        Throwable refused = assertThrows(Exception.class, () -> wrongCert.connectWith().send().orTimeout(10, TimeUnit.SECONDS).join());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, ((Mqtt5ConnAckException) refused.getCause()).getMqttMessage().getReasonCode());
    }

    @Test
    void revokedCredentialsDisconnectTheDeviceAndAreRefusedAtOnce() {
        Api.Device device = api.register("ios");
        List<Throwable> disconnects = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = plainClient(device.id()).addDisconnectedListener(ctx -> disconnects.add(ctx.getCause())).buildAsync();
        connect(client, device);

        io.restassured.RestAssured.given().baseUri(stack.registryUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY)
                .post("/v1/devices/" + device.id() + "/credentials/revoke").then().statusCode(204);

        await().atMost(DEADLINE).until(() -> !disconnects.isEmpty());
        assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED,
                ((Mqtt5DisconnectException) disconnects.get(0)).getMqttMessage().getReasonCode());
        Mqtt5AsyncClient again = plainClient(device.id()).buildAsync();
        Throwable refused = assertThrows(Exception.class, () -> connect(again, device));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, ((Mqtt5ConnAckException) refused.getCause()).getMqttMessage().getReasonCode());
    }

    @Test
    void deviceCannotSubscribeOrPublishToAnotherDevicesTopics() {
        Api.Device me = api.register("ios");
        Api.Device victim = api.register("ios");
        Mqtt5AsyncClient client = plainClient(me.id()).buildAsync();
        connect(client, me);

        Throwable subscribe = assertThrows(Exception.class, () -> client.subscribeWith()
                .topicFilter("devices/" + victim.id() + "/#").qos(MqttQos.AT_LEAST_ONCE).callback(p -> { }).send().join());
        assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED),
                ((Mqtt5SubAckException) subscribe.getCause()).getMqttMessage().getReasonCodes());
        assertThrows(Exception.class, () -> client.subscribeWith()
                .topicFilter("devices/+/messages").qos(MqttQos.AT_LEAST_ONCE).callback(p -> { }).send().join());

        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, pubAck(client, "devices/" + victim.id() + "/messages", 10));
        client.disconnect().join();

        // MQTT 3.1.1 has no reason codes: SUBACK 0x80, and a refused PUBLISH closes the connection.
        Mqtt3BlockingClient old = MqttClient.builder().useMqttVersion3().identifier(me.id())
                .serverHost("127.0.0.1").serverPort(gateway.mqttPort()).buildBlocking();
        old.connectWith().simpleAuth().username(me.id()).password(me.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        Mqtt3SubAckException refused = assertThrows(Mqtt3SubAckException.class, () -> old.subscribeWith()
                .topicFilter("devices/" + victim.id() + "/#").qos(MqttQos.AT_LEAST_ONCE).send());
        assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE), refused.getMqttMessage().getReturnCodes());
        old.toAsync().publishWith().topic("devices/" + victim.id() + "/messages").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        await().atMost(DEADLINE).until(() -> !old.getState().isConnected());
    }

    @Test
    void grantedTopicCanBeUsed() {
        Api.Device device = api.register("ios");
        stack.redis("HSET", "tether:{d:" + device.id() + "}:grants", "chat/room1/#", "subscribe,publish");
        Mqtt5AsyncClient client = plainClient(device.id()).buildAsync();
        connect(client, device);
        client.subscribeWith().topicFilter("chat/room1/#").qos(MqttQos.AT_LEAST_ONCE).callback(p -> { }).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, pubAck(client, "chat/room1/hello", 10));
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, pubAck(client, "chat/room2/hello", 10));
        client.disconnect().join();
    }

    @Test
    void publishRateAboveTheLimitIsAnsweredWithQuotaExceeded() {
        Api.Device device = api.register("ios");
        Mqtt5AsyncClient client = plainClient(device.id()).buildAsync();
        connect(client, device);
        List<CompletableFuture<Mqtt5PublishResult>> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sent.add(client.publishWith().topic("devices/" + device.id() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {(byte) i}).send());
        }
        List<Mqtt5PubAckReasonCode> codes = sent.stream().map(GatewaySecurityIT::reasonCode).toList();
        assertTrue(codes.contains(Mqtt5PubAckReasonCode.SUCCESS), codes.toString());
        assertTrue(codes.contains(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED), codes.toString());
        client.disconnect().join();
    }

    @Test
    void payloadAboveTheLimitIsRefusedWithQuotaExceededAndTheConnectionStays() {
        Api.Device device = api.register("ios");
        List<Throwable> disconnects = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = plainClient(device.id()).addDisconnectedListener(ctx -> disconnects.add(ctx.getCause())).buildAsync();
        connect(client, device);
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, reasonCode(client.publishWith().topic("devices/" + device.id() + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE).payload(new byte[2048]).send()));
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, reasonCode(client.publishWith().topic("devices/" + device.id() + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE).payload(new byte[16]).send()));
        assertTrue(disconnects.isEmpty(), disconnects.toString());
        client.disconnect().join();
    }

    @Test
    void deviceReportsItsPushTokenOverMqtt() {
        Api.Device device = api.register("ios");
        Mqtt5AsyncClient client = plainClient(device.id()).buildAsync();
        connect(client, device);
        String token = "ab".repeat(32);
        client.publishWith().topic("$tether/push-token").qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"token\":\"" + token + "\",\"environment\":\"sandbox\"}").getBytes(StandardCharsets.UTF_8))
                .send().orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(token, stack.redis("HGET", "tether:{d:" + device.id() + "}:device", "pushToken"));
        assertEquals("sandbox", stack.redis("HGET", "tether:{d:" + device.id() + "}:device", "pushEnvironment"));
        assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, pubAck(client, "$tether/push-token", 10));
        client.disconnect().join();
    }

    @Test
    void deviceReportsItsVoipAndLiveActivityTokensOverMqtt() {
        Api.Device device = api.register("ios");
        Mqtt5AsyncClient client = plainClient(device.id()).buildAsync();
        connect(client, device);
        String voip = "cd".repeat(32);
        String activity = "ef".repeat(32);
        for (String report : new String[] {"{\"kind\":\"voip\",\"token\":\"" + voip + "\"}",
                "{\"kind\":\"liveActivity\",\"activityId\":\"order-7\",\"activityType\":\"DeliveryAttributes\",\"token\":\"" + activity + "\"}"}) {
            client.publishWith().topic("$tether/push-token").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(report.getBytes(StandardCharsets.UTF_8)).send().orTimeout(10, TimeUnit.SECONDS).join();
        }
        String tokens = "tether:{d:" + device.id() + "}:push-tokens";
        assertTrue(String.valueOf(stack.redis("HGET", tokens, "voip")).contains("\"token\":\"" + voip + "\""));
        assertTrue(String.valueOf(stack.redis("HGET", tokens, "liveActivity:order-7")).contains("\"token\":\"" + activity + "\""));
        assertNull(stack.redis("HGET", "tether:{d:" + device.id() + "}:device", "pushToken"), "the standard token is another kind");
        client.disconnect().join();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Mqtt5ClientBuilder plainClient(String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(gateway.mqttPort());
    }

    private static Mqtt5ClientBuilder tlsClient(String id, TestCertificates.Issued clientCert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientCert.keyStore())) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestCertificates.PASSWORD.toCharArray());
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(tlsPort)
                .sslConfig().keyManagerFactory(keys).trustManagerFactory(recordingTrust(new ArrayList<>()))
                .hostnameVerifier((h, s) -> true).applySslConfig();
    }

    private static void connect(Mqtt5AsyncClient client, Api.Device device) {
        client.connectWith().simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static void connectAndReceive(Mqtt5AsyncClient client, Api.Device device, String text) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        connect(client, device);
        client.subscribeWith().topicFilter("devices/" + device.id() + "/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
        api.sendToDevice(device.id(), text);
        assertEquals(text, received.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        client.disconnect().join();
    }

    private static Mqtt5PubAckReasonCode pubAck(Mqtt5AsyncClient client, String topic, int payloadSize) {
        return reasonCode(client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[payloadSize]).send());
    }

    /** The PUBACK reason code; the client fails the future with the PUBACK when the code is an error. */
    private static Mqtt5PubAckReasonCode reasonCode(CompletableFuture<Mqtt5PublishResult> sent) {
        try {
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) sent.orTimeout(10, TimeUnit.SECONDS).join()).getPubAck().getReasonCode();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    /** The certificate the server presents for an SNI host name, over a raw TLS handshake to 127.0.0.1. */
    private static X509Certificate handshake(String sniHost) throws Exception {
        List<X509Certificate> seen = new ArrayList<>();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recording(seen)}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(sniHost)));
            socket.setSSLParameters(params);
            socket.startHandshake();
        }
        return seen.get(0);
    }

    /** Trusts the two test server certificates and records what it was shown. */
    private static TrustManagerFactory recordingTrust(List<X509Certificate> seen) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (TestCertificates.Issued host : List.of(hostA, hostB)) {
            try (InputStream in = Files.newInputStream(host.certPem())) {
                trusted.setCertificateEntry(host.alias(), factory.generateCertificate(in));
            }
        }
        TrustManagerFactory real = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        real.init(trusted);
        X509TrustManager delegate = (X509TrustManager) real.getTrustManagers()[0];
        return new RecordingTrustManagerFactory(delegate, seen);
    }

    private static X509TrustManager recording(List<X509Certificate> seen) {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.add(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
