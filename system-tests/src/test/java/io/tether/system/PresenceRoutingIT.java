package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence and routing with every part real: a device that is live gets messages over MQTT; the moment it
 * is not (it said so, its socket went deaf or closed, its gateway died), they go to push and its inbox, and
 * reach it in order when it comes back. iOS's suspended sockets are imitated by {@link FreezableProxy}.
 */
class PresenceRoutingIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Map<String, Object> ALERT = Map.of("alert", Map.of("title", "New message", "body", "Open the app"));
    private static TetherStack stack;
    private static Api api;
    private static PushTopicWatcher pushes;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
        pushes = new PushTopicWatcher(stack.kafkaBootstrap());
    }

    @AfterAll
    static void stop() {
        pushes.close();
    }

    private static String sendWithAlert(String deviceId, String payload) {
        return api.send(Map.of("to", Map.of("device", deviceId), "payload", payload, "push", ALERT));
    }

    /** As a backend sees it: the registry's presence endpoint. */
    private static void awaitState(String deviceId, String state) {
        await().atMost(DEADLINE).until(() -> state.equals(api.presence(deviceId).get("state")));
    }

    private static void awaitReceiving(String deviceId) {
        await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(deviceId).get("receiving")));
    }

    private static void awaitStatus(String messageId, String deviceId, String status) {
        await().atMost(DEADLINE).until(() -> status.equals(api.status(messageId, deviceId)));
    }

    @Test
    void foregroundDeviceThatAcknowledgesGetsItLiveAndNothingIsPushed() throws Exception {
        Api.Device device = api.registerWithPushToken("ios");
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            awaitReceiving(device.id());
            String messageId = sendWithAlert(device.id(), "live one");
            assertEquals("live one", TestDevice.text(phone.next(DEADLINE).orElseThrow()));
            awaitStatus(messageId, device.id(), "delivered");
            assertEquals("live", api.statusEntry(messageId, device.id()).get("route"));
            // A later message to a backgrounded device is pushed; by then the watcher has read past the first.
            phone.lifecycle("background");
            String marker = sendWithAlert(device.id(), "marker");
            await().atMost(DEADLINE).until(() -> pushes.find(marker).isPresent());
            assertTrue(pushes.find(messageId).isEmpty(), "a message delivered live must not be pushed");
        }
    }

    @Test
    void backgroundSignalSendsTheNextMessageToPushAndInboxWithoutWaitingForATimeout() throws Exception {
        Api.Device device = api.registerWithPushToken("ios");
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            awaitReceiving(device.id());
            phone.lifecycle("background");
            awaitState(device.id(), "BACKGROUND");

            String messageId = sendWithAlert(device.id(), "while in background");
            await().atMost(DEADLINE).until(() -> pushes.find(messageId).isPresent());
            assertEquals("signal", pushes.find(messageId).get().request().reason(), "routed on the app's signal, not on a timeout");
            awaitStatus(messageId, device.id(), "pushed"); // APNs took the alert; the data waits in the inbox
            assertTrue(phone.drain().isEmpty(), "not sent live to a backgrounded iOS app");

            phone.lifecycle("foreground");
            assertEquals("while in background", TestDevice.text(phone.next(DEADLINE).orElseThrow()));
            awaitStatus(messageId, device.id(), "delivered");
        }
    }

    /** Also the push issue's end-to-end case: REST → deaf device → APNs accepts → pushed → reconnect → delivered. */
    @Test
    void deafDeviceBecomesSuspectWithinTheAckDeadlineAndGetsTheMessageFromItsInboxLater() throws Exception {
        Api.Device device = api.registerWithPushToken("ios");
        try (FreezableProxy socket = new FreezableProxy(stack.gateway().mqttPort());
                TestDevice suspended = TestDevice.connect(device, socket.port())) {
            awaitReceiving(device.id());
            socket.freeze(); // iOS suspended the app: the socket stays open, nothing is read or written

            long sentAt = System.currentTimeMillis();
            String messageId = sendWithAlert(device.id(), "into the void");
            awaitState(device.id(), "SUSPECT");
            await().atMost(DEADLINE).until(() -> pushes.find(messageId).isPresent());
            PushTopicWatcher.Seen push = pushes.find(messageId).get();
            assertEquals("deaf", push.request().reason());
            System.out.printf("fallback latency (accepted -> push request) %d ms with ack deadline %d ms%n",
                    push.seenAt() - sentAt, TetherStack.ACK_TIMEOUT.toMillis());
            awaitStatus(messageId, device.id(), "pushed");
            Map<String, Object> entry = api.statusEntry(messageId, device.id());
            Map<String, Object> notification = stack.apnsReceived().stream()
                    .filter(n -> String.valueOf(n.get("payload")).contains(messageId)).findFirst()
                    .orElseThrow(() -> new AssertionError("the local APNs never got the push"));
            assertEquals("com.example.app", notification.get("topic"));
            assertEquals("alert", notification.get("pushType"));
            assertEquals(10, ((Number) notification.get("priority")).intValue());
            assertTrue(String.valueOf(notification.get("payload")).contains("Open the app"));
            assertEquals("push", entry.get("route"));

            // The app comes back on a new connection and drains its inbox.
            try (TestDevice resumed = TestDevice.connect(device, stack.gateway().mqttPort())) {
                assertEquals("into the void", TestDevice.text(resumed.next(DEADLINE).orElseThrow()));
                awaitStatus(messageId, device.id(), "delivered");
                awaitState(device.id(), "LIVE");
            }
        }
    }

    @Test
    void socketClosedWithFinMakesTheDeviceOfflineAtOnce() {
        Api.Device device = api.registerWithPushToken("ios");
        try (FreezableProxy socket = new FreezableProxy(stack.gateway().mqttPort());
                TestDevice phone = TestDevice.connect(device, socket.port())) {
            awaitReceiving(device.id());
            socket.closeGatewaySide();
            awaitState(device.id(), "OFFLINE");
            String messageId = sendWithAlert(device.id(), "after the socket closed");
            await().atMost(DEADLINE).until(() -> pushes.find(messageId).isPresent());
            assertEquals("offline", pushes.find(messageId).get().request().reason());
        }
    }

    @Test
    void silentlyDefunctSocketIsDetectedByKeepaliveExpiry() {
        Api.Device device = api.registerWithPushToken("ios");
        try (FreezableProxy socket = new FreezableProxy(stack.gateway().mqttPort());
                TestDevice phone = TestDevice.connect(device, socket.port(), 2)) {
            awaitReceiving(device.id());
            socket.freeze(); // no FIN, no bytes: only the keepalive (1.5 x 2 s) can tell
            awaitState(device.id(), "OFFLINE");
        }
    }

    @Test
    void reconnectToASecondGatewayBeforeTheFirstNoticesKeepsTheDevicePresentThere() throws Exception {
        TetherStack.Gateway second = stack.second();
        Api.Device device = api.registerWithPushToken("ios");
        try (FreezableProxy oldSocket = new FreezableProxy(stack.gateway().mqttPort());
                TestDevice old = TestDevice.connect(device, oldSocket.port())) {
            awaitReceiving(device.id());
            oldSocket.freeze(); // the first gateway has not noticed anything yet

            try (TestDevice moved = TestDevice.connect(device, second.mqttPort())) {
                await().atMost(DEADLINE).until(() -> second.id().equals(stack.presence(device.id()).get("gatewayId"))
                        && "1".equals(stack.presence(device.id()).get("receiving")));
                String newEpoch = stack.presence(device.id()).get("epoch");

                oldSocket.closeGatewaySide(); // now the first gateway sees its connection end: a late DISCONNECTED
                String messageId = api.sendToDevice(device.id(), "via the second gateway");
                assertEquals("via the second gateway", TestDevice.text(moved.next(DEADLINE).orElseThrow()));
                awaitStatus(messageId, device.id(), "delivered");

                Map<String, String> presence = stack.presence(device.id());
                assertEquals("LIVE", presence.get("state"));
                assertEquals(second.id(), presence.get("gatewayId"));
                assertEquals(newEpoch, presence.get("epoch"));
                Map<String, Object> answered = api.presence(device.id());
                assertEquals(second.id(), answered.get("gatewayId"), "the API shows the newer connection");
                assertEquals(newEpoch, String.valueOf(answered.get("epoch")));
                assertEquals(true, answered.get("receiving"));
            }
        }
    }

    @Test
    void killedGatewayTakesItsDevicesOfflineWithinTheHeartbeatTtl() {
        TetherStack.Gateway doomed = stack.startGateway("gw-k", Map.of());
        Api.Device device = api.registerWithPushToken("ios");
        try (TestDevice phone = TestDevice.connect(device, doomed.mqttPort())) {
            awaitReceiving(device.id());
            doomed.process().kill(); // kill -9: no DISCONNECT, no presence event from the gateway

            await().atMost(TetherStack.HEARTBEAT_TTL.plus(Duration.ofSeconds(10)))
                    .until(() -> "OFFLINE".equals(stack.presence(device.id()).get("state")));
            String messageId = sendWithAlert(device.id(), "after the gateway died");
            await().atMost(DEADLINE).until(() -> pushes.find(messageId).isPresent());
            assertEquals("offline", pushes.find(messageId).get().request().reason());
            awaitStatus(messageId, device.id(), "pushed");
        }
    }

    @Test
    void offlineTvosDeviceGetsNoPushItsInboxOnReconnectAndExpiredAfterTtl() throws Exception {
        Api.Device tv = api.registerWithPushToken("tvos");
        String kept = api.sendToDevice(tv.id(), "kept for later");
        String shortLived = api.send(Map.of("to", Map.of("device", tv.id()), "payload", "gone soon", "ttl", 1, "push", ALERT));
        awaitStatus(shortLived, tv.id(), "expired");
        assertEquals("queued", api.status(kept, tv.id()));
        assertTrue(pushes.find(kept).isEmpty() && pushes.find(shortLived).isEmpty(), "tvOS has no push");

        try (TestDevice device = TestDevice.connect(tv, stack.gateway().mqttPort())) {
            assertEquals("kept for later", TestDevice.text(device.next(DEADLINE).orElseThrow()));
            awaitStatus(kept, tv.id(), "delivered");
            assertTrue(device.next(Duration.ofMillis(200)).isEmpty(), "an expired message is never delivered");
        }
    }

    @Test
    void macosAppInBackgroundStillGetsMessagesLive() throws Exception {
        Api.Device device = api.registerWithPushToken("macos");
        try (TestDevice mac = TestDevice.connect(device, stack.gateway().mqttPort())) {
            awaitReceiving(device.id());
            mac.lifecycle("background");
            awaitState(device.id(), "BACKGROUND");
            String messageId = sendWithAlert(device.id(), "macOS runs in the background");
            assertEquals("macOS runs in the background", TestDevice.text(mac.next(DEADLINE).orElseThrow()));
            awaitStatus(messageId, device.id(), "delivered");
            assertTrue(pushes.find(messageId).isEmpty());
        }
    }

    @Test
    void thousandMessagesAcrossLiveDeafAndReconnectArriveInOrderAndNoneIsLost() throws Exception {
        Api.Device device = api.registerWithPushToken("ios");
        int total = 1000;
        List<String> ids = new ArrayList<>();
        List<String> received = new ArrayList<>();
        try (FreezableProxy socket = new FreezableProxy(stack.gateway().mqttPort());
                TestDevice first = TestDevice.connect(device, socket.port())) {
            awaitReceiving(device.id());
            for (int i = 0; i < total / 2; i++) {
                ids.add(api.sendToDevice(device.id(), Integer.toString(i)));
            }
            // Take some live, then the socket goes deaf halfway through.
            while (received.size() < total / 4) {
                received.add(TestDevice.text(first.next(DEADLINE).orElseThrow()));
            }
            socket.freeze();
            for (int i = total / 2; i < total; i++) {
                ids.add(api.sendToDevice(device.id(), Integer.toString(i)));
            }
            awaitState(device.id(), "SUSPECT");
            first.drain().forEach(p -> received.add(TestDevice.text(p)));
        }
        try (TestDevice again = TestDevice.connect(device, stack.gateway().mqttPort())) {
            Set<String> distinct = new LinkedHashSet<>(received);
            while (distinct.size() < total) {
                Mqtt5Publish next = again.next(DEADLINE).orElseThrow(() -> new AssertionError("lost after " + distinct.size()));
                received.add(TestDevice.text(next));
                distinct.add(TestDevice.text(next));
            }
            for (String id : List.of(ids.get(0), ids.get(total / 2), ids.get(total - 1))) {
                awaitStatus(id, device.id(), "delivered");
            }
        }
        // In order: the first time each message shows up, it comes after all lower numbers.
        List<Integer> firstSeen = new ArrayList<>(new LinkedHashSet<>(received.stream().map(Integer::valueOf).toList()));
        for (int i = 0; i < total; i++) {
            assertEquals(i, firstSeen.get(i), "order broken at position " + i);
        }
        System.out.printf("1000 messages across live/deaf/reconnect: %d received, %d duplicates%n",
                received.size(), received.size() - total);
    }
}
