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
                wills.hold("dev1", 60_000, due -> sent.add(will), () -> sent.add(will + " at once"));
            }
        });

        assertEquals(1, wills.size());
        assertEquals(List.of(60_000L), vertx.armedDelays(), "the replaced timers are cancelled");
        vertx.fireAll();
        assertEquals(List.of("will 1000"), sent);
        assertEquals(0, wills.size());
    }

    @Test
    void aConnectionThatResumedTheSessionHereDropsTheDevicesWaitingWillAndNoOtherDevicesWill() {
        vertx.onLoop(() -> {
            wills.hold("dev1", 5_000, due -> sent.add("dev1"), () -> sent.add("dev1 at once"));
            wills.hold("dev2", 5_000, due -> sent.add("dev2"), () -> sent.add("dev2 at once"));
            wills.resumed("dev1");
        });

        vertx.fireAll();
        assertEquals(List.of("dev2"), sent);
        assertEquals(0, wills.size());
    }

    @Test
    void aConnectionWithANewSessionHereSendsTheDevicesWaitingWillAtOnceAndOnlyOnce() {
        vertx.onLoop(() -> {
            wills.hold("dev1", 5_000, due -> sent.add("dev1"), () -> sent.add("dev1 at once"));
            wills.hold("dev2", 5_000, due -> sent.add("dev2"), () -> sent.add("dev2 at once"));
            wills.sessionEnded("dev1");
        });
        assertEquals(List.of("dev1 at once"), sent, "sent before its delay passed");

        vertx.fireAll();
        assertEquals(List.of("dev1 at once", "dev2"), sent, "its timer cancelled; the other device's will at its delay");
        vertx.onLoop(() -> wills.sessionEnded("dev1"));
        assertEquals(2, sent.size(), "nothing held any more");
        assertEquals(0, wills.size());
    }
}
