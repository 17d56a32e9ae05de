package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tether.contract.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 Will Delay Interval (§3.1.3.2.2) with a real client: the will of a connection that ends without DISCONNECT
 * reaches Kafka only once its delay has passed; not at all when the first connection of the device after it resumes the
 * session before that, even on another gateway [MQTT-3.1.3-9]; and at once when that first connection begins a new
 * session (Clean Start 1), which ends the will's (§3.1.2.5). Only the first connection counts: what a second one does
 * changes nothing. The connection ends abnormally by closing a relay between client and gateway, so the gateway sees
 * its socket end with no DISCONNECT.
 */
class MqttWillDelayIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    @Test
    void aDelayedWillReachesKafkaOnlyAfterItsDelay() {
        Api.Device device = api.register("ios");
        try (KafkaConsumer<String, byte[]> upstream = stack.upstreamConsumer();
                FreezableProxy relay = new FreezableProxy(stack.gateway().mqttPort())) {
            connectWithWill(device, relay.port(), 2);

            long closedAt = System.currentTimeMillis();
            relay.close(); // the gateway sees the socket end, no DISCONNECT

            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            ConsumerRecord<String, byte[]> will = awaitRecord(upstream, records, device, willTopic(device));
            assertEquals("gone", new String(will.value(), StandardCharsets.UTF_8));
            // The record's time is when the gateway sent it to Kafka, on this machine's clock.
            assertTrue(will.timestamp() - closedAt >= 2_000, "the will went out " + (will.timestamp() - closedAt)
                    + " ms after the connection ended; its delay is 2 s");
        }
    }

    @Test
    void aReconnectOnAnotherGatewayWithinTheDelayCancelsTheWill() {
        Api.Device back = api.register("ios");
        Api.Device gone = api.register("ios"); // ends a little later with a longer delay: its will tells when back's was due
        try (KafkaConsumer<String, byte[]> upstream = stack.upstreamConsumer();
                FreezableProxy backRelay = new FreezableProxy(stack.gateway().mqttPort());
                FreezableProxy goneRelay = new FreezableProxy(stack.gateway().mqttPort())) {
            connectWithWill(back, backRelay.port(), 5);
            connectWithWill(gone, goneRelay.port(), 6);

            backRelay.close();
            // Offline once the gateway handled the end (and armed the will's timer): then the device comes back elsewhere.
            await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(back.id()).get("state")));
            goneRelay.close();
            Mqtt5AsyncClient again = client(back, stack.second().mqttPort());
            assertTrue(MqttSessionsIT.connect(again, back, false, 60).isSessionPresent(), "resumed: the same fact that drops the will");

            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            // gone's will is due at least 1 s after back's would have been: back's timer has fired by now.
            awaitRecord(upstream, records, gone, willTopic(gone));
            // A marker from back after that: on back's partition (its key), behind anything back's will could have written.
            String marker = "devices/" + back.id() + "/marker";
            again.publishWith().topic(marker).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send()
                    .orTimeout(10, TimeUnit.SECONDS).join();
            awaitRecord(upstream, records, back, marker);

            List<String> backTopics = records.stream().filter(r -> back.id().equals(r.key())).map(MqttWillDelayIT::topic).toList();
            assertEquals(List.of(marker), backTopics, "no will: the device connected again before its delay passed");
            again.disconnect().join();
        }
    }

    @Test
    void aReconnectWithCleanStartWithinTheDelaySendsTheWillAtOnceHereAndOnAnotherGateway() {
        Api.Device here = api.register("ios"); // back on the gateway that holds its will
        Api.Device elsewhere = api.register("ios"); // back on the other gateway, which tells the first one
        try (KafkaConsumer<String, byte[]> upstream = stack.upstreamConsumer();
                FreezableProxy hereRelay = new FreezableProxy(stack.gateway().mqttPort());
                FreezableProxy elsewhereRelay = new FreezableProxy(stack.gateway().mqttPort())) {
            connectWithWill(here, hereRelay.port(), 600);
            connectWithWill(elsewhere, elsewhereRelay.port(), 600);
            hereRelay.close();
            elsewhereRelay.close();
            await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(here.id()).get("state"))
                    && "OFFLINE".equals(stack.presence(elsewhere.id()).get("state")));

            // Clean start: a new session, which ends the one the will belongs to (§3.1.2.5), not a return to it.
            Mqtt5AsyncClient hereAgain = client(here, stack.gateway().mqttPort());
            assertFalse(MqttSessionsIT.connect(hereAgain, here, true, 60).isSessionPresent());
            Mqtt5AsyncClient elsewhereAgain = client(elsewhere, stack.second().mqttPort());
            assertFalse(MqttSessionsIT.connect(elsewhereAgain, elsewhere, true, 60).isSessionPresent());
            // A resume after that resumes the new session, not the will's: it changes nothing.
            elsewhereAgain.disconnect().join();
            Mqtt5AsyncClient elsewhereThird = client(elsewhere, stack.gateway().mqttPort());
            assertTrue(MqttSessionsIT.connect(elsewhereThird, elsewhere, false, 60).isSessionPresent());

            // Within the deadline (20 s), so far before their delay of 10 minutes.
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            assertEquals("gone", new String(awaitRecord(upstream, records, here, willTopic(here)).value(), StandardCharsets.UTF_8));
            assertEquals("gone", new String(awaitRecord(upstream, records, elsewhere, willTopic(elsewhere)).value(),
                    StandardCharsets.UTF_8));
            hereAgain.disconnect().join();
            elsewhereThird.disconnect().join();
        }
    }

    @Test
    void aResumeThenACleanStartWithinTheDelaySendsNoWill() {
        Api.Device back = api.register("ios");
        Api.Device gone = api.register("ios"); // ends a little later with a longer delay: its will tells when back's was due
        try (KafkaConsumer<String, byte[]> upstream = stack.upstreamConsumer();
                FreezableProxy backRelay = new FreezableProxy(stack.gateway().mqttPort());
                FreezableProxy goneRelay = new FreezableProxy(stack.gateway().mqttPort())) {
            connectWithWill(back, backRelay.port(), 5);
            connectWithWill(gone, goneRelay.port(), 6);

            backRelay.close();
            await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(back.id()).get("state")));
            goneRelay.close();
            // The first connection after the will's resumes its session (on another gateway), and ends normally...
            Mqtt5AsyncClient resumed = client(back, stack.second().mqttPort());
            assertTrue(MqttSessionsIT.connect(resumed, back, false, 60).isSessionPresent());
            resumed.disconnect().join();
            // ...then a clean start ends that session: not the will's any more, which stays unsent.
            Mqtt5AsyncClient clean = client(back, stack.gateway().mqttPort());
            assertFalse(MqttSessionsIT.connect(clean, back, true, 60).isSessionPresent());

            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            awaitRecord(upstream, records, gone, willTopic(gone)); // back's will was due at least 1 s before
            String marker = "devices/" + back.id() + "/marker";
            clean.publishWith().topic(marker).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send()
                    .orTimeout(10, TimeUnit.SECONDS).join();
            awaitRecord(upstream, records, back, marker);

            List<String> backTopics = records.stream().filter(r -> back.id().equals(r.key())).map(MqttWillDelayIT::topic).toList();
            assertEquals(List.of(marker), backTopics, "no will: the first connection after it resumed its session");
            clean.disconnect().join();
        }
    }

    private static String willTopic(Api.Device device) {
        return "devices/" + device.id() + "/status";
    }

    private static Mqtt5AsyncClient client(Api.Device device, int port) {
        return MqttClient.builder().useMqttVersion5().identifier(device.id()).serverHost("127.0.0.1").serverPort(port).buildAsync();
    }

    /** Connected with a session kept 60 s and a will on its own status topic that waits {@code delaySeconds}. */
    private static void connectWithWill(Api.Device device, int port, long delaySeconds) {
        client(device, port).connectWith().cleanStart(true).sessionExpiryInterval(60)
                .simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .willPublish().topic(willTopic(device)).payload("gone".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE)
                .delayInterval(delaySeconds).applyWillPublish()
                .send().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Polls into {@code seen} until a record of {@code device} on {@code mqttTopic} arrives, within the deadline. */
    private static ConsumerRecord<String, byte[]> awaitRecord(KafkaConsumer<String, byte[]> upstream, List<ConsumerRecord<String, byte[]>> seen,
            Api.Device device, String mqttTopic) {
        await().atMost(DEADLINE).until(() -> {
            upstream.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().anyMatch(r -> device.id().equals(r.key()) && mqttTopic.equals(topic(r)));
        });
        return seen.stream().filter(r -> device.id().equals(r.key()) && mqttTopic.equals(topic(r))).findFirst().orElseThrow();
    }

    private static String topic(ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(Headers.MQTT_TOPIC);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
