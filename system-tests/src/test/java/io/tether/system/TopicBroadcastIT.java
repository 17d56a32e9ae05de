package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages to a topic reach exactly the devices that subscribed to it and whose grants (their own or their user's)
 * allow it, with a status per device; messages to an app reach every device of the app.
 */
class TopicBroadcastIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    private static void grantDevice(String deviceId, String filter) {
        api.registry(TetherStack.API_KEY).body(List.of(Map.of("filter", filter, "actions", List.of("subscribe"))))
                .put("/v1/devices/" + deviceId + "/grants").then().statusCode(200);
    }

    private static Set<String> devicesOf(String messageId) {
        return new TreeSet<>(api.fanout(TetherStack.API_KEY).get("/v1/messages/" + messageId).then().statusCode(200)
                .extract().jsonPath().getList("devices.deviceId", String.class));
    }

    private static String send(Map<String, Object> to, String payload) {
        return api.send(Map.of("to", to, "payload", payload));
    }

    @Test
    void aTopicMessageReachesExactlyTheSubscribedAndGrantedDevices() throws Exception {
        String prefix = "news" + System.nanoTime();
        String topic = prefix + "/sports";
        String user = "fan-" + System.nanoTime();
        api.registry(TetherStack.API_KEY).body(List.of(Map.of("filter", prefix + "/+", "actions", List.of("subscribe"))))
                .put("/v1/users/" + user + "/grants").then().statusCode(200);
        Api.Device subscribed = api.register("ios");
        Api.Device notSubscribed = api.register("ios");
        Api.Device notGranted = api.register("ios");
        Api.Device viaUser = api.register(Map.of("platform", "ios", "appId", "com.example.app", "userId", user));
        Api.Device revoked = api.register("ios");
        Api.Device offline = api.register("tvos");
        for (Api.Device device : List.of(subscribed, notSubscribed, revoked, offline)) {
            grantDevice(device.id(), prefix + "/#");
        }
        int port = stack.gateway().mqttPort();
        try (TestDevice a = TestDevice.connect(subscribed, port); TestDevice b = TestDevice.connect(notSubscribed, port);
                TestDevice c = TestDevice.connect(notGranted, port); TestDevice d = TestDevice.connect(viaUser, port);
                TestDevice e = TestDevice.connect(revoked, port)) {
            assertTrue(a.subscribe(topic));
            assertFalse(c.subscribe(topic), "no grant, no subscription");
            assertTrue(d.subscribe(prefix + "/+"));
            assertTrue(e.subscribe(prefix + "/#"));
            try (TestDevice f = TestDevice.connect(offline, port)) {
                assertTrue(f.subscribe(topic));
            }
            api.registry(TetherStack.API_KEY).delete("/v1/devices/" + revoked.id() + "/grants").then().statusCode(204);

            String messageId = send(Map.of("topic", topic), "goal!");

            // The list is recorded when routing expands the topic, just after the 202, in one step: wait for it, then
            // it must be exactly these.
            await().atMost(DEADLINE).until(() -> !devicesOf(messageId).isEmpty());
            assertEquals(new TreeSet<>(Set.of(subscribed.id(), viaUser.id(), offline.id())), devicesOf(messageId),
                    "subscribed and granted: by its own grant, by its user's, and one that is offline now");
            for (TestDevice device : List.of(a, d)) {
                Mqtt5Publish got = device.next(DEADLINE).orElseThrow(() -> new AssertionError(device.id() + " got nothing"));
                assertEquals(topic, got.getTopic().toString(), "delivered on the topic itself");
                assertEquals("goal!", TestDevice.text(got));
                assertEquals(messageId, TestDevice.userProperty(got, "tether-message-id").orElseThrow());
            }
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, subscribed.id()))
                    && "delivered".equals(api.status(messageId, viaUser.id())));
            assertEquals("queued", api.status(messageId, offline.id()));
            // Nothing came to the others: a message to their own namespace arrives first.
            for (TestDevice device : List.of(b, c, e)) {
                api.sendToDevice(device.id(), "marker");
                assertEquals("marker", TestDevice.text(device.next(DEADLINE).orElseThrow()), device.id());
            }
            // The offline one gets it from its inbox when it is back and subscribed.
            try (TestDevice f = TestDevice.connect(offline, port)) {
                assertTrue(f.subscribe(topic));
                assertEquals("goal!", TestDevice.text(f.next(DEADLINE).orElseThrow()));
                await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, offline.id())));
            }
        }
    }

    @Test
    void anAppMessageReachesEveryDeviceOfTheAppAndNoOther() throws Exception {
        String app = "com.example.broadcast" + System.nanoTime();
        Api.Device first = api.registerInApp("ios", app);
        Api.Device second = api.registerInApp("macos", app);
        Api.Device offline = api.registerInApp("tvos", app);
        Api.Device otherApp = api.register("ios");
        int port = stack.gateway().mqttPort();
        try (TestDevice one = TestDevice.connect(first, port); TestDevice two = TestDevice.connect(second, port);
                TestDevice other = TestDevice.connect(otherApp, port)) {
            await().atMost(DEADLINE).until(() -> List.of(first, second).stream()
                    .allMatch(device -> Boolean.TRUE.equals(api.presence(device.id()).get("receiving"))));
            String messageId = send(Map.of("app", app), "release notes");

            await().atMost(DEADLINE).until(() -> !devicesOf(messageId).isEmpty()); // recorded when routing expands it
            assertEquals(new TreeSet<>(Set.of(first.id(), second.id(), offline.id())), devicesOf(messageId));
            for (TestDevice device : List.of(one, two)) {
                Mqtt5Publish got = device.next(DEADLINE).orElseThrow();
                assertEquals("devices/" + device.id() + "/messages", got.getTopic().toString());
                assertEquals("release notes", TestDevice.text(got));
            }
            api.sendToDevice(otherApp.id(), "marker");
            assertEquals("marker", TestDevice.text(other.next(DEADLINE).orElseThrow()), "another app's device got nothing");
        }
    }
}
