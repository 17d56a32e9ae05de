package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceEvent.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ack.lua (what a gateway runs on PUBACK: settle, then the next hand-over to the same connection), resync.lua and
 * pushed.lua through {@link DeviceInbox}, against a real redis-server.
 */
class AcknowledgeIT extends InboxFixture {

    // ---- settling -----------------------------------------------------------------------------------------------

    @Test
    void aDeliveredAckTakesTheMessageOutOfTheInboxAndRecordsWhen() {
        register("ios", null);
        routeData("m1");
        clock.set(Entries.T0 + 5);

        assertTrue(ack("m1", 7, GW_A).changed());

        Map<String, String> status = status("m1");
        assertEquals("delivered", status.get("status"));
        assertEquals("live", status.get("route"));
        assertEquals(Long.toString(Entries.T0 + 5), status.get("deliveredAt"));
        assertNull(status.get("reason"));
        assertEquals(List.of(), queued());
        assertEquals(0L, redis.sync().hlen(KEYS.inboxData()));
        assertEquals("0", meta("bytes"));
        long ttl = redis.sync().ttl(KEYS.status("m1"));
        assertTrue(ttl > 0 && ttl <= FINAL_TTL, "final status kept for the final ttl, was " + ttl);
    }

    @Test
    void aRefusedDeliveryIsSettledAsFailedWithItsReason() {
        register("ios", null);
        routeData("m1");

        assertTrue(join(inbox.acknowledge(DEVICE, "m1", "failed", "puback-0x87", 7, GW_A)).changed());

        assertEquals("failed", status("m1").get("status"));
        assertEquals("puback-0x87", status("m1").get("reason"));
        assertEquals(List.of(), queued());
    }

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource({
            "delivered, expired",
            "delivered, failed",
            "expired,   delivered",
            "expired,   failed",
            "failed,    delivered",
            "failed,    expired",
            "delivered, delivered",
    })
    void aFinalStatusIsNeverOverwritten(String first, String second) {
        register("ios", null);
        routeData("m1");
        assertTrue(join(inbox.acknowledge(DEVICE, "m1", first, first.equals("failed") ? "why" : null, 7, GW_A)).changed());
        Map<String, String> before = status("m1");

        assertFalse(join(inbox.acknowledge(DEVICE, "m1", second, "other", 7, GW_A)).changed());
        assertFalse(join(inbox.pushed(DEVICE, "m1", "apns-1")));
        join(inbox.pushFailed(DEVICE, "m1", "TooManyRequests"));

        assertEquals(before, status("m1"));
    }

    @Test
    void aPushedMessageIsDeliveredWhenTheDeviceAcknowledgesItLater() {
        register("ios", null);
        routeData("m1");
        assertTrue(join(inbox.pushed(DEVICE, "m1", "apns-1")));

        assertTrue(ack("m1", 7, GW_A).changed());

        assertEquals("delivered", status("m1").get("status"));
        assertEquals("apns-1", status("m1").get("apnsId"));
    }

    // ---- the next hand-over -------------------------------------------------------------------------------------

    @Test
    void anAckHandsTheNextEntriesToTheSameConnection() {
        register("ios", null);
        inbox = inbox(100, 1_000_000, 1);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2", "m3");
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));

        assertEquals(new DeviceInbox.Acked(true, 1, 0), ack("m1", 7, GW_A));

        assertEquals(List.of("m2"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals("1", status("m2").get("attempts"));
        assertEquals("0", status("m3").get("attempts"));
    }

    @Test
    void anAckSkipsAndCountsEntriesThatExpiredOnTheWay() {
        register("ios", null);
        inbox = inbox(100, 1_000_000, 1);
        liveAndReceiving(7, GW_A);
        routeData("m1");
        route(Entries.entry(DEVICE, "short", "abc", Entries.T0 + 1_000, null));
        routeData("m3");
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));
        clock.set(Entries.T0 + 1_000);

        assertEquals(new DeviceInbox.Acked(true, 1, 1, List.of("short")), ack("m1", 7, GW_A));

        assertEquals(List.of("m3"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals("expired", status("short").get("status"));
    }

    @Test
    void aLateAckOfAnOlderConnectionSettlesButHandsNothingOver() {
        // GIVEN m1 was handed to epoch 7 on gw-a, then the device reconnected as epoch 8 on gw-b and got m1 again
        register("ios", null);
        inbox = inbox(100, 1_000_000, 1);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));
        liveAndReceiving(8, GW_B);
        assertEquals(List.of("m1"), channels.takeIds(GW_B, DEVICE, 8));

        // WHEN gw-a's connection acknowledges m1 late
        DeviceInbox.Acked late = ack("m1", 7, GW_A);

        // THEN m1 is delivered, but nothing goes to either connection on the old one's account
        assertEquals(new DeviceInbox.Acked(true, 0, 0), late);
        assertEquals("delivered", status("m1").get("status"));
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(List.of(), channels.takeIds(GW_B, DEVICE, 8));
        // AND the current connection's own ack (of a message settled already) moves its inbox along
        assertEquals(new DeviceInbox.Acked(false, 1, 0), ack("m1", 8, GW_B));
        assertEquals(List.of("m2"), channels.takeIds(GW_B, DEVICE, 8));
    }

    @Test
    void anAckOfTheSameEpochFromAnotherGatewayOrWithoutOneHandsNothingOver() {
        register("ios", null);
        inbox = inbox(100, 1_000_000, 1);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2", "m3");
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));

        assertEquals(new DeviceInbox.Acked(true, 0, 0), ack("m1", 7, GW_B));
        // receipts of gateways before the live hand-over carry no gateway id
        assertEquals(new DeviceInbox.Acked(true, 0, 0), ack("m2", 7, ""));

        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(List.of(), channels.takeIds(GW_B, DEVICE, 7));
    }

    @Test
    void anAckWhileTheAppIsInTheBackgroundHandsNothingOverAndRecordsNoPush() {
        register("ios", Devices.TOKEN);
        liveAndReceiving(7, GW_A);
        routeData("m1");
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));
        presence(Kind.BACKGROUND, 7, GW_A);
        route(Entries.alert(DEVICE, "m2"));

        assertEquals(new DeviceInbox.Acked(true, 0, 0), ack("m1", 7, GW_A));

        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));
        assertNull(meta("pushCursor"), "push candidates are for the router to write and confirm");
        assertEquals("inbox", status("m2").get("route"));
    }

    // ---- resync.lua -----------------------------------------------------------------------------------------------

    @Test
    void resyncHandsEverythingUnacknowledgedToTheConnectionAgain() {
        register("ios", null);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2", "m3");
        assertEquals(List.of("m1", "m2", "m3"), channels.takeIds(GW_A, DEVICE, 7));
        ack("m2", 7, GW_A);

        assertEquals(new Pump.Live(2, 0), join(inbox.resync(DEVICE, 7, GW_A)));

        assertEquals(List.of("m1", "m3"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals("2", status("m1").get("attempts"));
        assertEquals("1", status("m2").get("attempts"));
    }

    @Test
    void resyncSettlesAndNamesTheEntriesThatExpiredOnTheWay() {
        // The gateway reports each as expired (tether.events), as it does for an ack's.
        register("ios", null);
        liveAndReceiving(7, GW_A);
        route(Entries.entry(DEVICE, "short", "abc", Entries.T0 + 1_000, null));
        routeData("m2");
        assertEquals(List.of("short", "m2"), channels.takeIds(GW_A, DEVICE, 7));
        clock.set(Entries.T0 + 1_000);

        assertEquals(new Pump.Live(1, 1, List.of("short")), join(inbox.resync(DEVICE, 7, GW_A)));

        assertEquals(List.of("m2"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals("expired", status("short").get("status"));
    }

    @ParameterizedTest(name = "epoch {0} on {1}")
    @CsvSource({"6, gw-a", "8, gw-a", "7, gw-b"})
    void resyncForAnyOtherConnectionDoesNothing(long epoch, String gatewayId) {
        register("ios", null);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, 7));
        String cursor = meta("cursor");

        assertEquals(new Pump.Live(0, 0), join(inbox.resync(DEVICE, epoch, gatewayId)));

        assertEquals(cursor, meta("cursor"));
        assertEquals(List.of(), channels.take(GW_A));
        assertEquals(List.of(), channels.take(GW_B));
        assertEquals("1", status("m1").get("attempts"));
    }

    @Test
    void resyncOfAConnectionThatIsNotReceivingHandsNothingOver() {
        register("ios", null);
        presence(Kind.CONNECTED, 7, GW_A);
        routeData("m1");

        assertEquals(new Pump.Live(0, 0), join(inbox.resync(DEVICE, 7, GW_A)));

        assertEquals(List.of(), channels.take(GW_A));
    }

    // ---- pushed.lua -----------------------------------------------------------------------------------------------

    @Test
    void pushedRecordsApnsAcceptanceAndLeavesTheMessageInTheInbox() {
        register("ios", null);
        routeData("m1");
        clock.set(Entries.T0 + 9);

        assertTrue(join(inbox.pushed(DEVICE, "m1", "apns-1")));

        Map<String, String> status = status("m1");
        assertEquals("pushed", status.get("status"));
        assertEquals("apns-1", status.get("apnsId"));
        assertEquals(Long.toString(Entries.T0 + 9), status.get("pushedAt"));
        assertEquals(List.of("m1"), queued(), "the inbox still carries the data");
        long ttl = redis.sync().ttl(KEYS.status("m1"));
        assertTrue(ttl > STATUS_TTL && ttl <= OPEN_TTL, "an open status is kept for the open-status ttl, was " + ttl);
    }

    @Test
    void aPushFailureKeepsTheMessageQueuedWithAReasonThatALaterPushClears() {
        register("ios", null);
        routeData("m1");

        join(inbox.pushFailed(DEVICE, "m1", "TooManyRequests"));
        assertEquals("queued", status("m1").get("status"));
        assertEquals("push-failed: TooManyRequests", status("m1").get("reason"));
        assertEquals(List.of("m1"), queued());

        assertTrue(join(inbox.pushed(DEVICE, "m1", null)));
        assertEquals("pushed", status("m1").get("status"));
        assertNull(status("m1").get("reason"));
    }
}
