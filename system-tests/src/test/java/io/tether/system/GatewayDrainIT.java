package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart as devices see it: a gateway holding 500 MQTT 5 connections gets SIGTERM. It must turn
 * them away paced over its drain window, each with a DISCONNECT saying why, reporting each device offline before
 * its socket closes, and refuse new connections meanwhile; a message sent during the drain must reach its device
 * through push and inbox, or live after the device reconnected to another gateway. Nothing may be lost.
 */
class GatewayDrainIT {
    private static final int DEVICES = 500;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int PARALLEL_REST = 16;
    private static final int PARALLEL_CONNECTS = 64;
    /** Devices of each kind (moves to the other gateway / stays offline) × (already gone / still connected) that get a message. */
    private static final int SAMPLE = 15;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Map<String, Object> ALERT = Map.of("alert", Map.of("title", "New message", "body", "Open the app"));

    /** A device of the test: its MQTT 5 client and what happened to it. */
    private static final class Phone {
        final Api.Device device;
        /** Reconnects to the other gateway once disconnected (a client that follows the load balancer); else stays away. */
        final boolean moves;
        final int refugePort;
        final Mqtt5AsyncClient client;
        final LinkedBlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
        volatile long disconnectedAt;
        volatile Throwable cause;
        volatile MqttDisconnectSource source;
        final List<String> history = Collections.synchronizedList(new ArrayList<>());

        Phone(Api.Device device, boolean moves, int drainingPort, int refugePort) {
            this.device = device;
            this.moves = moves;
            this.refugePort = refugePort;
            this.client = MqttClient.builder().useMqttVersion5()
                    .identifier(device.id())
                    .serverHost("127.0.0.1")
                    .serverPort(drainingPort)
                    // On the client, not the CONNECT: the automatic reconnect sends it again.
                    .simpleAuth().username(device.username()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .addDisconnectedListener(this::onDisconnected)
                    .buildAsync();
        }

        String id() {
            return device.id();
        }

        CompletableFuture<Void> connect() {
            return client.connectWith()
                    .cleanStart(true)
                    .keepAlive(60)
                    .send()
                    .thenCompose(ack -> client.subscribeWith()
                            .topicFilter("devices/" + device.id() + "/#")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .callback(received::add)
                            .send())
                    .thenApply(subAck -> (Void) null)
                    .orTimeout(20, TimeUnit.SECONDS);
        }

        /** The first disconnect is the drain's; a mover then reconnects to the other gateway, as behind a load balancer. */
        private void onDisconnected(MqttClientDisconnectedContext context) {
            history.add(context.getSource() + ": " + context.getCause());
            if (disconnectedAt == 0) {
                cause = context.getCause();
                source = context.getSource();
                disconnectedAt = System.currentTimeMillis();
            }
            // The test's own disconnect at the end does not send a mover anywhere.
            if (moves && context.getSource() != MqttDisconnectSource.USER && history.size() <= 5) {
                context.getReconnector()
                        .reconnect(true)
                        .transportConfig(MqttClientTransportConfig.builder().serverHost("127.0.0.1").serverPort(refugePort).build())
                        .delay(50, TimeUnit.MILLISECONDS);
            }
        }

        boolean gone() {
            return disconnectedAt != 0;
        }

        boolean got(String payload) {
            return received.stream().anyMatch(p -> payload.equals(TestDevice.text(p)));
        }
    }

    @Test
    void sigtermDrainsFiveHundredDevicesPacedOverTheWindowAndLosesNoMessage() throws Exception {
        TetherStack stack = TetherStack.shared();
        Api api = new Api(stack);
        TetherStack.Gateway refuge = stack.gateway();
        TetherStack.Gateway draining = stack.startGateway("gw-drain", Map.of("tether.gateway.drain-window", WINDOW.toMillis() + "ms"));
        ExecutorService rest = Executors.newFixedThreadPool(PARALLEL_REST);
        List<Phone> phones = new ArrayList<>();
        try (PushTopicWatcher pushes = new PushTopicWatcher(stack.kafkaBootstrap());
                ShutdownEvents presence = new ShutdownEvents(stack.kafkaBootstrap(), draining.id())) {
            // GIVEN 500 iPhones with push tokens, connected over MQTT 5 to the gateway that is about to stop,
            // half of which reconnect to the other gateway when told to go
            long setupStart = System.currentTimeMillis();
            List<Api.Device> devices = inParallel(rest, DEVICES + 1, i -> api.registerWithPushToken("ios"));
            Api.Device latecomer = devices.remove(DEVICES);
            long registeredAt = System.currentTimeMillis();
            for (int i = 0; i < DEVICES; i++) {
                phones.add(new Phone(devices.get(i), i % 2 == 0, draining.mqttPort(), refuge.mqttPort()));
            }
            connectAll(phones);
            long connectedAt = System.currentTimeMillis();
            awaitAllReceiving(stack, phones);
            System.out.printf("drain IT: %d devices registered in %d ms, connected in %d ms, all receiving after %d ms more%n",
                    DEVICES, registeredAt - setupStart, connectedAt - registeredAt, System.currentTimeMillis() - connectedAt);

            // WHEN the gateway gets SIGTERM
            long sigtermAt = System.currentTimeMillis();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> draining.process().stop());

            // ... and, once the drain is under way, a new device tries to connect and backends send messages
            await().atMost(WINDOW.plus(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(20))
                    .until(() -> phones.stream().filter(Phone::gone).count() >= DEVICES / 5);
            Mqtt5ConnAckReasonCode refused = refusedCode(latecomer, draining.mqttPort());
            int readiness = readiness(draining.process().baseUrl());
            List<Phone> sample = sample(phones);
            Set<String> goneWhenSent = ConcurrentHashMap.newKeySet();
            sample.stream().filter(Phone::gone).forEach(p -> goneWhenSent.add(p.id()));
            long sendAt = System.currentTimeMillis();
            List<String> messageIds = inParallel(rest, sample.size(), i -> api.send(Map.of(
                    "to", Map.of("device", sample.get(i).id()), "payload", "during the drain " + i, "push", ALERT)));
            long sentAt = System.currentTimeMillis();
            long stillConnectedAfterSending = phones.stream().filter(p -> !p.gone()).count();

            await().atMost(WINDOW.plus(DEADLINE)).pollInterval(Duration.ofMillis(50)).until(() -> phones.stream().allMatch(Phone::gone));
            stopped.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            long exitedAt = System.currentTimeMillis();

            // THEN every device was told, with DISCONNECT 0x8B (server shutting down), before its socket closed
            for (Phone phone : phones) {
                assertEquals(MqttDisconnectSource.SERVER, phone.source, phone.id() + " was disconnected by " + phone.source);
                Mqtt5DisconnectException disconnect = assertInstanceOf(Mqtt5DisconnectException.class, phone.cause,
                        phone.id() + ": the socket closed without a DISCONNECT: " + phone.cause);
                assertEquals(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN, disconnect.getMqttMessage().getReasonCode(), phone.id());
            }
            assertEquals(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE, refused, "a CONNECT during the drain is refused");
            assertTrue(readiness != 200, "a draining gateway must not report ready (got " + readiness + ")");

            // ... paced over the window, not in one burst
            List<Long> times = phones.stream().map(p -> p.disconnectedAt - sigtermAt).sorted().toList();
            long first = times.get(0);
            long last = times.get(times.size() - 1);
            int burst = maxWithin(times, 500);
            System.out.printf("drain IT: window %d ms; disconnects from %d to %d ms after SIGTERM (spread %d ms); "
                            + "at most %d of %d within any 500 ms (even pacing: %d); readiness during the drain: %d; "
                            + "process exited %d ms after SIGTERM%n",
                    WINDOW.toMillis(), first, last, last - first, burst, DEVICES, DEVICES * 500 / WINDOW.toMillis(), readiness,
                    exitedAt - sigtermAt);
            assertTrue(last - first >= WINDOW.toMillis() / 2, "disconnects spread over only " + (last - first) + " ms");
            assertTrue(burst <= DEVICES / 4, burst + " disconnects within 500 ms: a burst, not a paced drain");
            assertTrue(last <= WINDOW.toMillis() + 5_000, "the last disconnect came " + last + " ms after SIGTERM");

            // ... and each was reported offline, once, before its socket closed
            await().atMost(DEADLINE).untilAsserted(() -> {
                List<String> notOnce = phones.stream().filter(p -> presence.shutdownOf(p.id()).size() != 1)
                        .map(p -> p.id() + ": " + presence.shutdownOf(p.id()).size()).toList();
                assertTrue(notOnce.isEmpty(), notOnce.size() + " devices without exactly one DISCONNECTED (shutdown), e.g. "
                        + notOnce.subList(0, Math.min(5, notOnce.size())));
            });
            for (Phone phone : phones) {
                PresenceEvent event = presence.shutdownOf(phone.id()).get(0);
                assertTrue(event.at() <= phone.disconnectedAt, phone.id() + ": DISCONNECTED reported after the socket closed");
            }

            // ... and no message sent during the drain (from " + sendAt + ") is lost: movers get it live from the
            // other gateway, the others through push and their inbox, which they drain when they come back
            System.out.printf("drain IT: %d messages sent %d..%d ms after SIGTERM to %d devices already gone and %d still connected; "
                            + "%d devices were still connected when the last was sent%n",
                    messageIds.size(), sendAt - sigtermAt, sentAt - sigtermAt, goneWhenSent.size(), sample.size() - goneWhenSent.size(),
                    stillConnectedAfterSending);
            for (int i = 0; i < sample.size(); i++) {
                Phone phone = sample.get(i);
                String messageId = messageIds.get(i);
                String payload = "during the drain " + i;
                if (phone.moves) {
                    await().atMost(DEADLINE).untilAsserted(() -> assertTrue(phone.got(payload),
                            () -> "a mover did not get its message: " + describe(stack, api, phone, messageId)));
                    await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, phone.id())));
                } else {
                    await().atMost(DEADLINE).until(() -> pushes.find(messageId).isPresent() || "delivered".equals(api.status(messageId, phone.id())));
                    if (!"delivered".equals(api.status(messageId, phone.id()))) {
                        assertEquals("offline", pushes.find(messageId).get().request().reason(), phone.id());
                        String status = api.status(messageId, phone.id());
                        assertTrue(Set.of("queued", "pushed").contains(status), "push requested, kept in the inbox: " + status);
                        try (TestDevice back = TestDevice.connect(phone.device, refuge.mqttPort())) {
                            await().atMost(DEADLINE).until(() -> back.drain().stream().anyMatch(p -> payload.equals(TestDevice.text(p))));
                            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, phone.id())));
                        }
                    }
                }
            }
            long movedBack = phones.stream().filter(p -> p.moves && p.client.getState().isConnected()).count();
            System.out.printf("drain IT: all %d messages delivered; %d of %d movers connected to %s%n",
                    messageIds.size(), movedBack, DEVICES / 2, refuge.id());
        } finally {
            rest.shutdownNow();
            phones.forEach(p -> p.client.disconnect().exceptionally(e -> null));
            draining.process().stop();
        }
    }

    private static String describe(TetherStack stack, Api api, Phone phone, String messageId) {
        return phone.id() + " client " + phone.client.getState() + ", disconnects " + phone.history + ", received " + phone.received.size()
                + ", presence " + stack.presence(phone.id()) + ", status " + api.statusEntry(messageId, phone.id());
    }

    /** Registers or sends with a bounded number of requests in flight; results in index order. */
    private static <T> List<T> inParallel(ExecutorService pool, int count, Function<Integer, T> call) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> call.apply(index)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> future : futures) {
            out.add(future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        }
        return out;
    }

    private static void connectAll(List<Phone> phones) throws Exception {
        Semaphore inFlight = new Semaphore(PARALLEL_CONNECTS);
        List<CompletableFuture<Void>> connects = new ArrayList<>();
        for (Phone phone : phones) {
            inFlight.acquire();
            connects.add(phone.connect().whenComplete((ok, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Fanout hands live messages only to connections that subscribed; wait until it knows all of them. */
    private static void awaitAllReceiving(TetherStack stack, List<Phone> phones) {
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        phones.forEach(p -> waiting.add(p.id()));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            waiting.removeIf(id -> "1".equals(stack.presence(id).get("receiving")));
            return waiting.isEmpty();
        });
    }

    /** HTTP status of /q/health/ready, or -1 when nothing answers. */
    private static int readiness(String baseUrl) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A CONNECT while the gateway drains; returns the CONNACK reason code it was refused with. */
    private static Mqtt5ConnAckReasonCode refusedCode(Api.Device device, int port) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(device.id())
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        try {
            client.connectWith()
                    .simpleAuth().username(device.username()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .send().orTimeout(10, TimeUnit.SECONDS).join();
            client.disconnect();
            throw new AssertionError("a new connection was accepted during the drain");
        } catch (CompletionException e) {
            return assertInstanceOf(Mqtt5ConnAckException.class, e.getCause(), "refused how? " + e.getCause())
                    .getMqttMessage().getReasonCode();
        }
    }

    /** SAMPLE devices of each kind: moving or staying away, already disconnected or still connected. */
    private static List<Phone> sample(List<Phone> phones) {
        List<Phone> shuffled = new ArrayList<>(phones);
        Collections.shuffle(shuffled);
        List<Phone> out = new ArrayList<>();
        for (boolean moves : new boolean[] {true, false}) {
            for (boolean gone : new boolean[] {true, false}) {
                shuffled.stream().filter(p -> p.moves == moves && p.gone() == gone).limit(SAMPLE).forEach(out::add);
            }
        }
        return out;
    }

    /** The most timestamps (sorted) that fall within any span of {@code spanMillis}. */
    private static int maxWithin(List<Long> sorted, long spanMillis) {
        int max = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (sorted.get(end) - sorted.get(start) > spanMillis) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    /** Reads {@code tether.presence} in the background and keeps the DISCONNECTED events a gateway gave for shutdown. */
    private static final class ShutdownEvents implements AutoCloseable {
        private final Map<String, List<PresenceEvent>> byDevice = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        ShutdownEvents(String bootstrapServers, String gatewayId) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "presence-watcher-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.PRESENCE));
            thread = new Thread(() -> {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                        PresenceEvent event;
                        try {
                            event = Json.fromBytes(record.value(), PresenceEvent.class);
                        } catch (RuntimeException e) {
                            return; // not a presence event of a device; other tests may write anything
                        }
                        if (event.kind() == PresenceEvent.Kind.DISCONNECTED && gatewayId.equals(event.gatewayId())) {
                            byDevice.computeIfAbsent(event.deviceId(), id -> Collections.synchronizedList(new ArrayList<>())).add(event);
                        }
                    });
                }
                consumer.close();
            }, "presence-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        /** The DISCONNECTED events of the device from this gateway; all must say "shutdown". */
        List<PresenceEvent> shutdownOf(String deviceId) {
            List<PresenceEvent> events = byDevice.getOrDefault(deviceId, List.of());
            synchronized (events) {
                events.forEach(e -> assertEquals("shutdown", e.reason(), deviceId + " went for another reason"));
                return List.copyOf(events);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
