package io.tether.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tether.sim.SimMain;
import io.tether.testkit.Ports;
import io.tether.testkit.TetherRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local run as a developer starts it ({@code deploy/local/up --detach}, ports and TETHER_HOME of its own): it
 * serves MQTT over TLS and WebSocket over TLS with a certificate it made once, and says how to trust it. A client that
 * trusts only that CA connects with TLS 1.3, naming the host by SNI and checking the certificate against that name (as a
 * phone does), and the simulator plays a device over it.
 */
class LocalRunIT {
    private static final Path HOME = TetherRoot.path().resolve("system-tests/target/local-run");
    private static final Map<String, String> ENV = new HashMap<>();
    /** The key the local run made and keeps in TETHER_HOME/api-key (none is given). */
    private static String apiKey;

    @BeforeAll
    static void up() throws Exception {
        deleteRecursively(HOME);
        ENV.put("TETHER_HOME", HOME.toString());
        for (String port : List.of("TETHER_MQTT_PORT", "TETHER_MQTT_WS_PORT", "TETHER_MQTT_TLS_PORT", "TETHER_MQTT_WSS_PORT",
                "TETHER_FANOUT_PORT", "TETHER_REGISTRY_PORT", "TETHER_PUSH_PORT", "TETHER_GATEWAY_HTTP_PORT", "TETHER_KAFKA_PORT",
                "TETHER_KAFKA_CONTROLLER_PORT", "TETHER_REDIS_PORT", "TETHER_APNS_PORT", "TETHER_WEBHOOK_PORT", "TETHER_DEVICE_HTTPS_PORT",
                "TETHER_S3_PORT")) {
            ENV.put(port, Integer.toString(Ports.free()));
        }
        assertEquals(0, script("up", "--detach"), "deploy/local/up failed; see " + HOME.resolve("up.out"));
        apiKey = Files.readString(HOME.resolve("api-key")).trim();
    }

    @AfterAll
    static void down() throws Exception {
        script("down");
    }

    private static int script(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(TetherRoot.path().resolve("deploy/local/" + name).toString()));
        command.addAll(List.of(args));
        Files.createDirectories(HOME);
        ProcessBuilder builder = new ProcessBuilder(command).directory(TetherRoot.path().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(HOME.resolve(name + ".out").toFile()));
        builder.environment().remove("TETHER_API_KEY");
        builder.environment().putAll(ENV);
        Process process = builder.start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deploy/local/" + name + " did not finish within 240 s");
        }
        return process.exitValue();
    }

    private static int port(String name) {
        return Integer.parseInt(ENV.get(name));
    }

    private static Path ca() {
        return HOME.resolve("tls/tether-local-ca.crt");
    }

    private static TrustManagerFactory trustOnlyTheLocalCa() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(ca())) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return trust;
    }

    private static JsonPath register() {
        return given().baseUri("http://127.0.0.1:" + port("TETHER_REGISTRY_PORT")).header("Authorization", "Bearer " + apiKey)
                .contentType(ContentType.JSON).body(Map.of("platform", "ios", "appId", "com.example.app"))
                .post("/v1/devices").then().statusCode(201).extract().jsonPath();
    }

    private static void send(String deviceId, String text) {
        given().baseUri("http://127.0.0.1:" + port("TETHER_FANOUT_PORT")).header("Authorization", "Bearer " + apiKey)
                .contentType(ContentType.JSON).body(Map.of("to", Map.of("device", deviceId), "payload", text))
                .post("/v1/messages").then().statusCode(202);
    }

    @Test
    void theSummarySaysWhereTheCaIsAndHowAPhoneTrustsIt() throws IOException {
        String summary = Files.readString(HOME.resolve("summary.txt"));

        assertTrue(summary.contains("mqtts://127.0.0.1:" + port("TETHER_MQTT_TLS_PORT")), summary);
        assertTrue(summary.contains("wss://127.0.0.1:" + port("TETHER_MQTT_WSS_PORT") + "/mqtt"), summary);
        assertTrue(summary.contains(ca().toString()), summary);
        assertTrue(summary.contains("Certificate Trust Settings"), summary);
    }

    @Test
    void pahoConnectsWithTls13NamingTheHostBySniAndCheckingTheCertificateAgainstIt() throws Exception {
        JsonPath device = register();
        String id = device.getString("id");
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, trustOnlyTheLocalCa().getTrustManagers(), null);
        String hostName = "localhost";
        CompletableFuture<String> protocol = new CompletableFuture<>();
        CompletableFuture<X509Certificate> presented = new CompletableFuture<>();
        SSLSocketFactory tls13 = new Tls13SocketFactory(tls.getSocketFactory(), session -> {
            protocol.complete(session.getProtocol());
            try {
                presented.complete((X509Certificate) session.getPeerCertificates()[0]);
            } catch (IOException e) {
                presented.completeExceptionally(e);
            }
        });
        // Paho sends the URI's host by SNI and, with HTTPS hostname verification (on by default), has the JDK check the
        // certificate against it: what a phone connecting to the laptop by name does.
        PahoV5 client = PahoV5.connect("ssl://" + hostName + ":" + port("TETHER_MQTT_TLS_PORT"),
                new Api.Device(id, id, device.getString("mqtt.password")), options -> options.setSocketFactory(tls13));
        client.client().subscribe("devices/" + id + "/#", 1);

        send(id, "over TLS 1.3");

        assertEquals("over TLS 1.3", client.received().poll(20, TimeUnit.SECONDS));
        assertEquals("TLSv1.3", protocol.get(5, TimeUnit.SECONDS));
        assertTrue(presented.get().getSubjectAlternativeNames().stream().anyMatch(san -> hostName.equals(san.get(1))));
        client.close();
    }

    @Test
    void hiveMqConnectsOverWebSocketWithTlsTrustingTheLocalCa() throws Exception {
        JsonPath device = register();
        String id = device.getString("id");
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(port("TETHER_MQTT_WSS_PORT"))
                .sslConfig().trustManagerFactory(trustOnlyTheLocalCa()).protocols(List.of("TLSv1.3")).applySslConfig()
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildAsync();
        LinkedBlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
        client.publishes(MqttGlobalPublishFilter.ALL, received::add);
        client.connectWith().simpleAuth().username(id).password(device.getString("mqtt.password").getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send().orTimeout(20, TimeUnit.SECONDS).join();
        client.subscribeWith().topicFilter("devices/" + id + "/#").qos(MqttQos.AT_LEAST_ONCE).send().join();

        send(id, "over WSS");

        Mqtt5Publish publish = received.poll(20, TimeUnit.SECONDS);
        assertEquals("over WSS", publish == null ? null : new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
        client.disconnect().join();
    }

    @Test
    void theSimulatorPlaysADeviceOverTlsAgainstTheLocalRunWithItsDefaults() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(ENV); // the API key is read from TETHER_HOME/api-key, as after deploy/local/up

        int code = SimMain.run(new String[] {"cases", "foreground", "defunct-fin", "--mqtt", "mqtts://localhost:" + port("TETHER_MQTT_TLS_PORT")},
                env, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, code, output);
    }

    /** Opens TLS sockets that offer TLS 1.3 only and report the session their handshake made. */
    private static final class Tls13SocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final java.util.function.Consumer<javax.net.ssl.SSLSession> handshook;

        Tls13SocketFactory(SSLSocketFactory delegate, java.util.function.Consumer<javax.net.ssl.SSLSession> handshook) {
            this.delegate = delegate;
            this.handshook = handshook;
        }

        private Socket configure(Socket socket) {
            SSLSocket tls = (SSLSocket) socket;
            tls.setEnabledProtocols(new String[] {"TLSv1.3"});
            tls.addHandshakeCompletedListener(event -> handshook.accept(event.getSession()));
            return tls;
        }

        @Override
        public Socket createSocket() throws IOException {
            return configure(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return configure(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configure(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return configure(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
