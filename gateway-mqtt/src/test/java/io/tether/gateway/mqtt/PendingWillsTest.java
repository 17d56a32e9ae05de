package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.gateway.testing.FakeVertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PendingWillsTest {
    private final FakeVertx vertx = new FakeVertx();
    private final PendingWills wills = new PendingWills(vertx.vertx());
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Test
    void aDeviceThatDropsAgainHoldsOneWillTheNewestNotOnePerDrop() {
        vertx.onLoop(() -> {
            for (int drop = 1; drop <= 1000; drop++) {
                String will = "will " + drop;
                wills.hold("dev1", 60_000, due -> sent.add(will));
            }
        });

        assertEquals(1, wills.size());
        assertEquals(List.of(60_000L), vertx.armedDelays(), "the replaced timers are cancelled");
        vertx.fireAll();
        assertEquals(List.of("will 1000"), sent);
        assertEquals(0, wills.size());
    }

    @Test
    void aConnectionAcceptedHereDropsTheDevicesWaitingWillAndNoOtherDevicesWill() {
        vertx.onLoop(() -> {
            wills.hold("dev1", 5_000, due -> sent.add("dev1"));
            wills.hold("dev2", 5_000, due -> sent.add("dev2"));
            wills.cancel("dev1");
        });

        vertx.fireAll();
        assertEquals(List.of("dev2"), sent);
        assertEquals(0, wills.size());
    }
}
