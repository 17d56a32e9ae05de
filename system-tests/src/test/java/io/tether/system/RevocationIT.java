package io.tether.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.tether.testkit.Ports;
import io.tether.testkit.TestCertificates;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revocation that holds: a revoked or deleted device loses its connections on every gateway within 2 s (the bound
 * Tether states), whether it authenticated with a password or a client certificate, and is refused when it comes back;
 * a revocation announced while the gateways' subscription was down still takes effect once it is back.
 */
class RevocationIT {
    /** The stated bound, from the registry's answer to the connection's end. */
    private static final Duration BOUND = Duration.ofSeconds(2);
    /**
     * The logins that check a refusal come from a loopback address of their own: the connect guard counts refusals per
     * address across all gateways, and ten on 127.0.0.1 would hold back the new devices of every later IT.
     */
    private static final String LOGINS_FROM = "127.0.0.8";
    private static TetherStack stack;
    private static Api api;
    private static Path certs;
    private static TestCertificates.Issued server;
    private static TestCertificates.Issued deviceCa;
    private static Gateway one;
    private static Gateway two;
    private static final Map<String, TestCertificates.Issued> CLIENT_CERTIFICATES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A gateway with a plain and a TLS port; TLS asks for client certificates issued by the device CA. */
    private record Gateway(TetherStack.Gateway process, int tlsPort) {
        int plainPort() {
            return process.mqttPort();
        }
    }

    /** A connected client and what ended its connection. */
    private record Connected(Api.Device device, Mqtt5AsyncClient client, List<Throwable> ends) {
        boolean closed() {
            return !ends.isEmpty();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        stack = TetherStack.shared();
        api = new Api(stack);
        certs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "revocation-certs");
        server = TestCertificates.server(certs, "mqtt.tether.test");
        deviceCa = TestCertificates.authority(certs, "revocation-device-ca");
        // Both side by side, as pods start.
        int tlsOne = Ports.free();
        int tlsTwo = Ports.free();
        Map<String, TetherStack.Gateway> started = stack.startGateways(
                Map.of("gw-rev-1", tlsConfig(tlsOne), "gw-rev-2", tlsConfig(tlsTwo)));
        one = new Gateway(started.get("gw-rev-1"), tlsOne);
        two = new Gateway(started.get("gw-rev-2"), tlsTwo);
    }

    /** A plain port and a TLS one that asks for client certificates issued by the device CA. */
    private static Map<String, String> tlsConfig(int tlsPort) {
        return Map.of(
                "tether.mqtt.tls.port", Integer.toString(tlsPort),
                "tether.mqtt.tls.certificates[0].cert", server.certPem().toString(),
                "tether.mqtt.tls.certificates[0].key", server.keyPem().toString(),
                "tether.mqtt.tls.client-auth", "REQUEST",
                "tether.mqtt.tls.client-ca", deviceCa.certPem().toString());
    }

    @AfterAll
    static void stop() {
        one.process().process().stop();
        two.process().process().stop();
    }

    @Test
    void revokedDevicesLoseTheirConnectionsOnEveryGatewayWithinTheBoundAndAreRefusedAfter() throws Exception {
        Connected passwordOnOne = withPassword(one);
        Connected passwordOnTwo = withPassword(two);
        Connected certificateOnOne = withCertificate(one);
        Connected certificateOnTwo = withCertificate(two);
        double closedBefore = closedForCredentials();

        for (Connected connected : List.of(passwordOnOne, passwordOnTwo, certificateOnOne, certificateOnTwo)) {
            revoke(connected.device());
            await().atMost(BOUND).until(connected::closed);
            assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, Doors.disconnectReason(connected.ends().get(0)));
        }

        for (Gateway gateway : List.of(one, two)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, passwordLogin(gateway, passwordOnOne.device()));
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, certificateLogin(gateway, certificateOnOne.device()));
        }
        assertEquals(closedBefore + 4, closedForCredentials(), "tether_gateway_sessions_closed_total{reason=credentials}");

        // A rotation ends the revocation: the certificate works again, the new password too.
        String password = given().baseUri(stack.registryUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY)
                .post("/v1/devices/" + certificateOnTwo.device().id() + "/credentials/rotate").then().statusCode(200)
                .extract().path("mqtt.password");
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, certificateLogin(two, certificateOnTwo.device()));
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, passwordLogin(one,
                new Api.Device(certificateOnTwo.device().id(), certificateOnTwo.device().id(), password)));
    }

    @Test
    void deletedDevicesLoseTheirConnectionsWithinTheBoundAndAreRefusedAfter() throws Exception {
        Connected password = withPassword(one);
        Connected certificate = withCertificate(two);

        for (Connected connected : List.of(password, certificate)) {
            given().baseUri(stack.registryUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY)
                    .delete("/v1/devices/" + connected.device().id()).then().statusCode(204);
            await().atMost(BOUND).until(connected::closed);
            assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, Doors.disconnectReason(connected.ends().get(0)));
        }
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, passwordLogin(two, password.device()));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, certificateLogin(one, certificate.device()));
    }

    @Test
    void aRevocationAnnouncedWhileTheSubscriptionWasDownTakesEffectOnceItIsBack() throws Exception {
        Connected password = withPassword(one);
        Connected certificate = withCertificate(two);

        // What the registry's revocation writes, without its announcement: as if the gateways' pub/sub connection was
        // down when it was published (Redis pub/sub delivers nothing to a connection that is not there).
        for (Connected connected : List.of(password, certificate)) {
            String record = "tether:{d:" + connected.device().id() + "}:device";
            stack.redis("HDEL", record, "secretHash");
            stack.redis("HSET", record, "credentialsRevoked", "1");
            stack.redis("HINCRBY", record, "credentialVersion", "1");
        }
        assertTrue(!password.closed() && !certificate.closed(), "nothing announced: both still connected");
        // The subscriptions drop and come back (Lettuce reconnects): every connection held is checked then.
        stack.redis("CLIENT", "KILL", "TYPE", "pubsub");

        await().atMost(BOUND).until(() -> password.closed() && certificate.closed());
        assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, Doors.disconnectReason(password.ends().get(0)));
        assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, Doors.disconnectReason(certificate.ends().get(0)));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void revoke(Api.Device device) {
        given().baseUri(stack.registryUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY)
                .post("/v1/devices/" + device.id() + "/credentials/revoke").then().statusCode(204);
    }

    private static double closedForCredentials() {
        return Doors.metric(one.process().process(), "tether_gateway_sessions_closed_total", "reason=\"credentials\"")
                + Doors.metric(two.process().process(), "tether_gateway_sessions_closed_total", "reason=\"credentials\"");
    }

    private static Connected withPassword(Gateway gateway) {
        Api.Device device = api.register("ios");
        List<Throwable> ends = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = Doors.mqtt5(device.id(), gateway.plainPort(), "127.0.0.1")
                .addDisconnectedListener(context -> ends.add(context.getCause())).buildAsync();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, Doors.connect(client, device.id(), device.password()));
        return new Connected(device, client, ends);
    }

    private static Connected withCertificate(Gateway gateway) throws Exception {
        Api.Device device = api.register("macos");
        List<Throwable> ends = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = tls(device, gateway, "127.0.0.1").addDisconnectedListener(context -> ends.add(context.getCause())).buildAsync();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, client.connectWith().send().orTimeout(10, TimeUnit.SECONDS).join().getReasonCode());
        return new Connected(device, client, ends);
    }

    private static Mqtt5ConnAckReasonCode passwordLogin(Gateway gateway, Api.Device device) {
        Mqtt5AsyncClient client = Doors.mqtt5(device.id(), gateway.plainPort(), LOGINS_FROM).buildAsync();
        Mqtt5ConnAckReasonCode code = Doors.connect(client, device.id(), device.password());
        client.disconnect().exceptionally(e -> null);
        return code;
    }

    /** A CONNECT with the device's client certificate and no password at all. */
    private static Mqtt5ConnAckReasonCode certificateLogin(Gateway gateway, Api.Device device) throws Exception {
        Mqtt5AsyncClient client = tls(device, gateway, LOGINS_FROM).buildAsync();
        try {
            return client.connectWith().send().orTimeout(10, TimeUnit.SECONDS).join().getReasonCode();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        } finally {
            client.disconnect().exceptionally(e -> null);
        }
    }

    /** TLS with a client certificate whose CN is the device id, issued by the device CA the gateways trust. */
    private static Mqtt5ClientBuilder tls(Api.Device device, Gateway gateway, String from) throws Exception {
        TestCertificates.Issued issued = CLIENT_CERTIFICATES.computeIfAbsent(device.id(),
                id -> TestCertificates.client(certs, deviceCa, id));
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(issued.keyStore())) {
            keyStore.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, TestCertificates.PASSWORD.toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(server.certPem())) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        // TLS inside the transport config: a client-level sslConfig() after an applied transportConfig() is dropped,
        // and the client then speaks plain MQTT to the TLS port.
        return MqttClient.builder().useMqttVersion5().identifier(device.id())
                .transportConfig().serverHost("127.0.0.1").serverPort(gateway.tlsPort()).localAddress(from)
                .sslConfig().keyManagerFactory(keys).trustManagerFactory(trust).hostnameVerifier((host, session) -> true).applySslConfig()
                .applyTransportConfig();
    }
}
