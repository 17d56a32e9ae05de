package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A message answered with 202 survives a crash or restart of any one process. */
class DurabilityIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    @Test
    void inboxSurvivesAFanoutRestartAndARedisRestart() throws Exception {
        Api.Device tv = api.register("tvos");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(api.sendToDevice(tv.id(), "queued " + i));
        }
        await().atMost(DEADLINE).until(() -> "queued".equals(api.status(ids.get(19), tv.id())));

        stack.fanout().restart();
        stack.restartRedis();

        try (TestDevice device = TestDevice.connect(tv, stack.gateway().mqttPort())) {
            for (int i = 0; i < 20; i++) {
                assertEquals("queued " + i, TestDevice.text(device.next(DEADLINE).orElseThrow(() -> new AssertionError("inbox lost"))));
            }
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(ids.get(19), tv.id())));
        }
    }

    @Test
    void killingFanoutWhileItRoutesLosesNoAcceptedMessage() throws Exception {
        Api.Device device = api.register("ios");
        int total = 300;
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                ids.add(api.sendToDevice(device.id(), Integer.toString(i)));
            }
            stack.fanout().kill(); // kill -9 while the tail of those messages is still being routed
            stack.fanout().restart();

            Set<String> distinct = new LinkedHashSet<>();
            while (distinct.size() < total) {
                Mqtt5Publish next = phone.next(DEADLINE).orElseThrow(() -> new AssertionError("lost after " + distinct.size()));
                distinct.add(TestDevice.text(next));
            }
            await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id -> "delivered".equals(api.status(id, device.id()))));
        }
    }
}
