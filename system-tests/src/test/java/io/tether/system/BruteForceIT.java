package io.tether.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guessing is slowed down and counted on every door, with the shipped defaults, across instances: 1,000 wrong passwords
 * for one device over two gateways are mostly refused unheard (0x97, then 0x8A) while the device itself still connects;
 * failed REST authentications hold their address back on the registry and fanout alike. Attackers and devices use their
 * own loopback addresses (all of 127.0.0.0/8 is this host), so the other ITs on 127.0.0.1 are never held back.
 */
class BruteForceIT {
    private static final String DEVICE_ADDRESS = "127.0.0.2";
    private static final String ATTACKER = "127.0.0.3";
    private static final String DEVICE_ELSEWHERE = "127.0.0.4";
    private static final String OLD_CLIENT_ATTACKER = "127.0.0.5";
    private static final String REST_ATTACKER = "127.0.0.6";
    private static TetherStack stack;
    private static Api api;
    private static TetherStack.Gateway a;
    private static TetherStack.Gateway b;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
        a = stack.gateway();
        b = stack.startGateway("gw-brute", Map.of());
    }

    @AfterAll
    static void stop() {
        b.process().stop();
        for (String address : List.of(ATTACKER, DEVICE_ELSEWHERE, OLD_CLIENT_ATTACKER)) {
            stack.redis("DEL", "tether:{af:mqtt:" + address + "}");
        }
        stack.redis("DEL", "tether:{af:rest:" + REST_ATTACKER + "}");
    }

    @Test
    void aThousandWrongPasswordsAreSlowedAndCountedWhileTheDeviceStillConnects() {
        Api.Device device = api.register("ios");
        // The device has connected from its address before: that address is its own from now on.
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, once(a, device.id(), device.password(), DEVICE_ADDRESS));
        double checkedBefore = badCredentials();
        double throttledBefore = throttled();

        Map<Mqtt5ConnAckReasonCode, Integer> answers = new EnumMap<>(Mqtt5ConnAckReasonCode.class);
        for (int i = 0; i < 1000; i++) {
            TetherStack.Gateway gateway = i % 2 == 0 ? a : b;
            answers.merge(once(gateway, device.id(), "guess-" + i, ATTACKER), 1, Integer::sum);
            if (i == 500) {
                assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, once(b, device.id(), device.password(), DEVICE_ADDRESS),
                        "the device still connects in the middle of the attack");
            }
        }

        int checked = answers.getOrDefault(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, 0);
        int waiting = answers.getOrDefault(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED, 0);
        int banned = answers.getOrDefault(Mqtt5ConnAckReasonCode.BANNED, 0);
        assertEquals(1000, checked + waiting + banned, answers.toString());
        assertTrue(checked >= 5 && checked <= 10, "only the free failures of the client id (5) and few more are checked: " + answers);
        assertTrue(waiting > 0, answers.toString());
        assertTrue(banned >= 900, "the address is banned after 50 failures (its refused attempts count): " + answers);
        // Counted on both gateways: every checked guess as a failed authentication, every other one as throttled.
        assertEquals(checkedBefore + checked, badCredentials());
        assertEquals(throttledBefore + waiting + banned, throttled());
        assertTrue(Long.parseLong((String) stack.redis("HGET", "tether:{af:mqtt:" + ATTACKER + "}", "bannedUntil")) > System.currentTimeMillis());

        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, once(a, device.id(), device.password(), DEVICE_ADDRESS), "and after it");
        // From an address new to it the device waits like anyone else while its id is under attack.
        assertEquals(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED, once(b, device.id(), device.password(), DEVICE_ELSEWHERE));
        // MQTT 3.1.1 has no such reason codes: 0x03 server unavailable for a wait, 0x05 not authorised for a ban.
        assertEquals(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, once311(a, device.id(), "guess", OLD_CLIENT_ATTACKER));
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, once311(b, api.register("ios").id(), "guess", ATTACKER));
    }

    @Test
    void failedRestAuthenticationsHoldTheAddressBackOnTheRegistryAndFanoutAlike() throws IOException {
        List<Integer> statuses = new ArrayList<>();
        double refusedBefore = restMetric("refused");
        double throttledBefore = restMetric("throttled");
        for (int i = 0; i < 20; i++) { // the free failures, counted together by both services
            statuses.add(guess(i, "tk_guess_" + i));
        }
        assertEquals(List.of(401), statuses.stream().distinct().toList());
        // Each service learns the shared count at the address's next failure there, then answers 429 unheard.
        for (int i = 0; i < 10; i++) {
            statuses.add(guess(i, "tk_more_" + i));
        }
        assertTrue(statuses.subList(20, 30).stream().filter(status -> status == 401).count() <= 2, statuses.toString());
        assertEquals(List.of(429, 429), statuses.subList(28, 30), statuses.toString());
        // Even the right key is not heard from this address now, on either service; other addresses are.
        assertEquals(429, get(stack.registryUrl(), "/v1/devices?limit=1", TetherStack.API_KEY));
        assertEquals(429, get(stack.fanoutUrl(), "/v1/messages/msg_none", TetherStack.API_KEY));
        api.register("ios"); // from 127.0.0.1, answered 201
        long refused = statuses.stream().filter(status -> status == 401).count();
        assertEquals(refusedBefore + refused, restMetric("refused"));
        assertEquals(throttledBefore + (30 - refused) + 2, restMetric("throttled"));
    }

    /** A wrong key, to the registry and fanout in turn. */
    private static int guess(int i, String key) throws IOException {
        return i % 2 == 0 ? get(stack.registryUrl(), "/v1/devices?limit=1", key) : get(stack.fanoutUrl(), "/v1/messages/msg_none", key);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Mqtt5ConnAckReasonCode once(TetherStack.Gateway gateway, String clientId, String password, String from) {
        Mqtt5AsyncClient client = Doors.mqtt5(clientId, gateway.mqttPort(), from).buildAsync();
        Mqtt5ConnAckReasonCode code = Doors.connect(client, clientId, password);
        if (code == Mqtt5ConnAckReasonCode.SUCCESS) {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).join();
        }
        return code;
    }

    private static Mqtt3ConnAckReturnCode once311(TetherStack.Gateway gateway, String clientId, String password, String from) {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .transportConfig().serverHost("127.0.0.1").serverPort(gateway.mqttPort()).localAddress(from).applyTransportConfig()
                .buildAsync();
        try {
            return client.connectWith().simpleAuth().username(clientId).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .send().orTimeout(10, TimeUnit.SECONDS).join().getReturnCode();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Mqtt3ConnAckException refused) {
                return refused.getMqttMessage().getReturnCode();
            }
            throw e;
        }
    }

    private static double badCredentials() {
        return Doors.metric(a.process(), "tether_gateway_auth_failures_total", "reason=\"bad-credentials\"")
                + Doors.metric(b.process(), "tether_gateway_auth_failures_total", "reason=\"bad-credentials\"");
    }

    private static double throttled() {
        return Doors.metric(a.process(), "tether_gateway_connect_throttled_total") + Doors.metric(b.process(), "tether_gateway_connect_throttled_total");
    }

    private static double restMetric(String outcome) {
        return Doors.metric(stack.registry(), "tether_api_auth_failures_total", "outcome=\"" + outcome + "\"")
                + Doors.metric(stack.fanout(), "tether_api_auth_failures_total", "outcome=\"" + outcome + "\"");
    }

    /** GET with a bearer key from the REST attacker's address, over a plain socket bound to it; the status code. */
    private static int get(String baseUrl, String path, String key) throws IOException {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(REST_ATTACKER, 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer " + key
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            return Integer.parseInt(statusLine.toString().split(" ")[1]);
        }
    }
}
