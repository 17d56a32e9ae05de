package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceFields;
import io.tether.contract.PresenceEvent.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * route.lua through {@link DeviceInbox#route}, against a real redis-server: queueing, the inbox bound, re-consumed
 * records, and the live hand-over in the same script (PUBLISH on the gateway's delivery channel, listened to here).
 */
class DeviceInboxIT extends InboxFixture {

    // ---- queueing ---------------------------------------------------------------------------------------------

    @Test
    void aMessageForAKnownDeviceIsQueuedInItsInboxWithItsStatus() {
        register("ios", null);
        InboxEntry entry = Entries.data(DEVICE, "m1");

        DeviceInbox.Routed routed = route(entry);

        assertEquals(new DeviceInbox.Routed("queued", 1, null, entry.expiresAt(), List.of(), false, new Pump.Hold("no-push-token")), routed);
        assertEquals(List.of("m1"), queued());
        String stored = redis.sync().hget(KEYS.inboxData(), "m1");
        String header = "v1|" + entry.expiresAt() + "|" + entry.size() + "|0|";
        assertTrue(stored.startsWith(header), "stored behind the header the scripts read: " + stored);
        InboxEntry decoded = InboxEntry.fromJson(stored.substring(header.length()));
        assertEquals(entry.messageId(), decoded.messageId());
        assertArrayEquals(entry.payload(), decoded.payload());
        assertEquals(Long.toString(entry.size()), meta("bytes"));
        Map<String, String> status = status("m1");
        assertEquals("queued", status.get("status"));
        assertEquals("inbox", status.get("route"));
        assertEquals("0", status.get("attempts"));
        assertEquals(Long.toString(Entries.T0), status.get("queuedAt"));
        long ttl = redis.sync().ttl(KEYS.status("m1"));
        assertTrue(ttl > 0 && ttl <= STATUS_TTL, "status expires with the given ttl, was " + ttl);
    }

    @Test
    void routeTellsTheInboxDepthWhenItQueuesAndNothingWhenTheMessageIsKnown() {
        register("ios", null);
        inbox = inbox(2, 1_000_000, 10);
        assertEquals(1, route(Entries.data(DEVICE, "m1")).depth());
        assertEquals(2, route(Entries.data(DEVICE, "m2")).depth());

        // A re-consumed record: neither queued nor failed by this call.
        DeviceInbox.Routed again = route(Entries.data(DEVICE, "m2"));
        assertEquals("queued", again.status());
        assertEquals(-1, again.depth());
        assertNull(again.failure());
        assertFalse(again.queuedNow());
    }

    @Test
    void aReConsumedMessageIsNeitherQueuedNorHandedOverTwice() {
        register("ios", null);
        liveAndReceiving(7, GW_A);
        assertEquals(new Pump.Live(1, 0), route(Entries.data(DEVICE, "m1")).pump());
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));

        DeviceInbox.Routed again = route(Entries.data(DEVICE, "m1"));

        assertEquals(new DeviceInbox.Routed("queued", -1, null, Entries.T0 + Entries.HOUR, List.of(), false, new Pump.Live(0, 0)), again);
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7), "m1 is in flight already");
        assertEquals(List.of("m1"), queued());
        assertEquals("1", meta("seq"));
        assertEquals("1", status("m1").get("attempts"));

        // Once delivered, a re-consumed record answers the final status and changes nothing.
        assertTrue(ack("m1", 7, GW_A).changed());
        DeviceInbox.Routed afterDelivery = route(Entries.data(DEVICE, "m1"));
        assertEquals("delivered", afterDelivery.status());
        assertEquals(new Pump.Hold("unchanged"), afterDelivery.pump());
        assertEquals(List.of(), queued());
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));
    }

    @Test
    void aMessageForAnUnknownDeviceFailsWithUnknownDevice() {
        DeviceInbox.Routed routed = route(Entries.data(DEVICE, "m1"));

        assertEquals(new DeviceInbox.Routed("failed", -1, "unknown-device", 0, List.of(), false, new Pump.Hold("unchanged")), routed);
        assertEquals("unknown-device", status("m1").get("reason"));
        assertEquals(List.of(), queued());
        assertTrue(redis.sync().ttl(KEYS.status("m1")) > 0);
        // a failed message stays failed when its record is consumed again, and this call did not fail it
        DeviceInbox.Routed again = route(Entries.data(DEVICE, "m1"));
        assertEquals("failed", again.status());
        assertNull(again.failure());
    }

    // ---- the inbox bound: the oldest entry not in flight gives way --------------------------------------------

    @Test
    void atTheCountBoundTheOldestEntryGivesWayToTheNewOne() {
        register("ios", null);
        inbox = inbox(2, 1_000_000, 10);
        routeData("m1", "m2");

        DeviceInbox.Routed routed = route(Entries.data(DEVICE, "m3"));

        assertEquals("queued", routed.status());
        assertEquals(2, routed.depth());
        assertEquals(List.of("m1"), routed.overflowed());
        assertEquals(List.of("m2", "m3"), queued());
        assertEquals("failed", status("m1").get("status"));
        assertEquals("inbox-overflow", status("m1").get("reason"));
        assertFalse(redis.sync().hexists(KEYS.inboxData(), "m1"));
        assertEquals(Long.toString("data-m2".length() + "data-m3".length()), meta("bytes"));
        // an overflowed message stays failed when its record is consumed again
        assertEquals("failed", route(Entries.data(DEVICE, "m1")).status());
        assertEquals(List.of("m2", "m3"), queued());
    }

    @Test
    void atTheByteBoundTheOldestEntriesGiveWayUntilTheNewOneFitsAndSettlingFreesTheirBytes() {
        register("ios", null);
        inbox = inbox(100, 10, 10);

        assertEquals(List.of(), route(Entries.entry(DEVICE, "m1", "123456", Entries.T0 + Entries.HOUR, null)).overflowed());
        // exactly at the bound is still accepted
        assertEquals(List.of(), route(Entries.entry(DEVICE, "m2", "1234", Entries.T0 + Entries.HOUR, null)).overflowed());
        assertEquals("10", meta("bytes"));

        DeviceInbox.Routed m3 = route(Entries.entry(DEVICE, "m3", "12345", Entries.T0 + Entries.HOUR, null));

        assertEquals("queued", m3.status());
        assertEquals(List.of("m1"), m3.overflowed());
        assertEquals(List.of("m2", "m3"), queued());
        assertEquals("9", meta("bytes"));

        assertTrue(ack("m2", 1, GW_A).changed());
        assertEquals("5", meta("bytes"));
    }

    @Test
    void entriesInFlightNeverGiveWay() {
        register("ios", null);
        inbox = inbox(3, 1_000_000, 2);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2", "m3");
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, 7));

        DeviceInbox.Routed m4 = route(Entries.data(DEVICE, "m4"));

        assertEquals(List.of("m3"), m4.overflowed(), "m1 and m2 are in flight: the oldest waiting entry gives way");
        assertEquals(List.of("m1", "m2", "m4"), queued());
    }

    @Test
    void whenEverythingQueuedIsInFlightANewMessageIsRefused() {
        register("ios", null);
        inbox = inbox(2, 1_000_000, 10);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, 7));

        DeviceInbox.Routed m3 = route(Entries.data(DEVICE, "m3"));

        assertEquals(new DeviceInbox.Routed("failed", -1, "inbox-full", 0, List.of(), false, new Pump.Hold("unchanged")), m3);
        assertEquals("inbox-full", status("m3").get("reason"));
        assertEquals(List.of("m1", "m2"), queued());
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));
    }

    @Test
    void aMessageThatCannotFitEvenIfEverythingWaitingGaveWayIsRefusedAndNothingGivesWayForIt() {
        register("ios", null);
        inbox = inbox(100, 10, 1);
        liveAndReceiving(7, GW_A);
        route(Entries.entry(DEVICE, "m1", "123456", Entries.T0 + Entries.HOUR, null));
        route(Entries.entry(DEVICE, "m2", "123", Entries.T0 + Entries.HOUR, null));
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7), "window 1: m1 in flight, m2 waits");

        // 6 bytes in flight + 5 > 10, whatever gives way
        DeviceInbox.Routed m3 = route(Entries.entry(DEVICE, "m3", "12345", Entries.T0 + Entries.HOUR, null));
        // larger than the whole bound
        DeviceInbox.Routed m4 = route(Entries.entry(DEVICE, "m4", "12345678901", Entries.T0 + Entries.HOUR, null));

        assertEquals("inbox-full", m3.failure());
        assertEquals(List.of(), m3.overflowed());
        assertEquals("inbox-full", m4.failure());
        assertEquals(List.of(), m4.overflowed());
        assertEquals(List.of("m1", "m2"), queued());
        assertEquals("queued", status("m2").get("status"));
        assertEquals("9", meta("bytes"));
    }

    // ---- live hand-over in the same script --------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "offline ios,                 ios,     OFFLINE,            push offline",
            "live ios not yet subscribed, ios,     CONNECTED,          hold not-receiving",
            "background ios,              ios,     BACKGROUND,         push signal",
            "suspect ios,                 ios,     SUSPECT,            push deaf",
            "suspect macos,               macos,   SUSPECT,            hold policy",
            "offline macos,               macos,   OFFLINE,            push offline",
            "background tvos,             tvos,    BACKGROUND,         hold policy",
            "background watchos,          watchos, BACKGROUND,         push signal",
            "never connected,             ios,     NEVER,              push offline",
    })
    void nothingIsHandedOverUnlessTheDeviceIsLiveAndReceiving(String name, String platform, String presence, String pump) {
        register(platform, Devices.TOKEN);
        reach(presence, 7, GW_A);

        DeviceInbox.Routed routed = route(Entries.data(DEVICE, "m1"));

        assertEquals(pump, describe(routed.pump()));
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(List.of("m1"), queued());
        assertEquals("inbox", status("m1").get("route"));
        assertEquals("0", status("m1").get("attempts"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ios", "ipados", "macos", "tvos", "watchos"})
    void aLiveReceivingDeviceOfAnyPlatformIsHandedItsMessagesOnItsGatewaysChannel(String platform) {
        register(platform, Devices.TOKEN);
        liveAndReceiving(7, GW_A);

        DeviceInbox.Routed routed = route(Entries.data(DEVICE, "m1"));

        assertEquals(new Pump.Live(1, 0), routed.pump());
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(List.of(), channels.takeIds(GW_B, DEVICE, 7));
        Map<String, String> status = status("m1");
        assertEquals("live", status.get("route"));
        assertEquals("1", status.get("attempts"));
        assertEquals("queued", status.get("status"), "queued until the device acknowledges it");
        assertEquals(List.of("m1"), queued(), "it stays in the inbox until acknowledged");
    }

    @Test
    void aMacDeviceInTheBackgroundIsStillHandedItsMessagesLive() {
        register("macos", Devices.TOKEN);
        liveAndReceiving(7, GW_A);
        presence(Kind.BACKGROUND, 7, GW_A);

        assertEquals(new Pump.Live(1, 0), route(Entries.data(DEVICE, "m1")).pump());
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 7));
    }

    /** The gateway is gone when nobody listens on its channel: the script falls back as for an OFFLINE device. */
    @ParameterizedTest(name = "{0} with token {1} -> {2}")
    @CsvSource({
            "ios,   true,  push offline",
            "macos, true,  push offline",
            "ios,   false, hold no-push-token",
            "tvos,  true,  hold policy",
    })
    void whenNobodyListensOnTheGatewaysChannelNothingIsMarkedSentAndTheDeviceCountsAsOffline(String platform, boolean token,
            String pump) {
        register(platform, token ? Devices.TOKEN : null);
        liveAndReceiving(7, GW_B);
        channels.leave(GW_B);

        DeviceInbox.Routed routed = route(Entries.alert(DEVICE, "m1"));

        assertEquals(pump, describe(routed.pump()));
        assertEquals("inbox", status("m1").get("route"));
        assertEquals("0", status("m1").get("attempts"));
        assertEquals("0", meta("cursor"), "nothing counts as handed over");
        assertEquals("LIVE", presenceRecord().get("state"), "presence is the gateways' to change");

        // once the gateway listens again, nothing was lost or skipped
        channels.listen(GW_B);
        assertEquals(new Pump.Live(2, 0), route(Entries.alert(DEVICE, "m2")).pump());
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_B, DEVICE, 7));
    }

    @Test
    void whenNobodyListensAnEntryExpiredOnTheWayIsLeftForTheSweepWhichNamesIt() {
        // Settled here, its id would be in no reply (a push or hold reply has no place for it) and no event would tell.
        register("ios", null);
        liveAndReceiving(7, GW_B);
        channels.leave(GW_B);
        route(Entries.entry(DEVICE, "short", "abc", Entries.T0 + 1_000, null));
        clock.set(Entries.T0 + 1_000);

        assertEquals("hold no-push-token", describe(route(Entries.data(DEVICE, "m2")).pump()));
        assertEquals("queued", status("short").get("status"));
        assertEquals(List.of("short", "m2"), queued());

        assertEquals(List.of("short"), join(inbox.expire(DEVICE)).expiredIds());
        assertEquals("expired", status("short").get("status"));
    }

    @Test
    void messagesGoOutInTheOrderTheyWereQueuedNotByTheirIds() {
        register("ios", null);
        presence(Kind.CONNECTED, 7, GW_A);
        routeData("m-c", "m-a", "m-d", "m-b");

        DeviceInbox.PresenceChange receiving = presence(Kind.RECEIVING, 7, GW_A);

        assertEquals(new Pump.Live(4, 0), receiving.pump());
        List<HandOver> handOvers = channels.take(GW_A);
        assertEquals(1, handOvers.size(), "one hand-over for everything that fits the window");
        assertEquals(List.of("m-c", "m-a", "m-d", "m-b"), Entries.ids(handOvers.get(0).entries()));
    }

    @Test
    void atMostAWindowOfDeliveriesAwaitsAcknowledgementAndEachAckMakesRoomForTheNext() {
        register("ios", null);
        inbox = inbox(100, 1_000_000, 2);
        presence(Kind.CONNECTED, 7, GW_A);
        routeData("m1", "m2", "m3", "m4");

        assertEquals(new Pump.Live(2, 0), presence(Kind.RECEIVING, 7, GW_A).pump());
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(new Pump.Live(0, 0), join(inbox.pump(DEVICE)), "window full: nothing more, but the device is still live");
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));

        assertEquals(new DeviceInbox.Acked(true, 1, 0), ack("m2", 7, GW_A));
        assertEquals(List.of("m3"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(new Pump.Live(0, 0), join(inbox.pump(DEVICE)));

        assertEquals(new DeviceInbox.Acked(true, 1, 0), ack("m1", 7, GW_A));
        assertEquals(List.of("m4"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(new DeviceInbox.Acked(true, 0, 0), ack("m3", 7, GW_A));
        assertEquals(new DeviceInbox.Acked(true, 0, 0), ack("m4", 7, GW_A));
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(List.of(), queued());
    }

    @Test
    void eachEntryIsHandedOverWithItsSequenceNumberAndHowOftenItWasHandedOverBefore() {
        register("ios", null);
        inbox = inbox(100, 1_000_000, 2);
        presence(Kind.CONNECTED, 7, GW_A);
        routeData("m1", "m2", "m3");
        presence(Kind.RECEIVING, 7, GW_A);
        HandOver first = channels.take(GW_A).get(0);
        assertEquals(List.of("m1", "m2"), Entries.ids(first.entries()));
        assertEquals(List.of(1L, 2L, 0L), List.of(first.sequence(0), first.sequence(1), first.sequence(2)), "0: not told");
        assertEquals(List.of(0, 0), List.of(first.earlierAttempts(0), first.earlierAttempts(1)), "never handed over before");
        ack("m1", 7, GW_A);
        assertEquals(3L, channels.take(GW_A).get(0).sequence(0), "m3 keeps the number it was queued with");

        // The connection ends with m2 and m3 unacknowledged; the next one gets them again, numbered as before.
        presence(Kind.DISCONNECTED, 7, GW_A);
        presence(Kind.CONNECTED, 8, GW_B);
        presence(Kind.RECEIVING, 8, GW_B);
        HandOver again = channels.take(GW_B).get(0);
        assertEquals(List.of("m2", "m3"), Entries.ids(again.entries()));
        assertEquals(List.of(2L, 3L), List.of(again.sequence(0), again.sequence(1)));
        assertEquals(List.of(1, 1), List.of(again.earlierAttempts(0), again.earlierAttempts(1)), "each may have reached the device");
    }

    @Test
    void routeTellsWhetherItHandedOverTheMessageItselfNotOnlyOlderOnes() {
        register("ios", null);
        inbox = inbox(100, 1_000_000, 3);
        presence(Kind.CONNECTED, 7, GW_A);
        routeData("m1", "m2", "m3"); // connected, not yet receiving: they wait
        // The receiving flag set behind the scripts' back, so that the next route is the first pump to find it.
        redis.sync().hset(KEYS.presence(), PresenceFields.RECEIVING, "1");

        DeviceInbox.Routed m4 = route(Entries.data(DEVICE, "m4"));
        assertEquals(new Pump.Live(3, 0), m4.pump(), "the window of 3 takes the older three");
        assertFalse(m4.handedOver(), "m4 waits behind them");

        ack("m1", 7, GW_A);
        assertEquals(List.of("m1", "m2", "m3", "m4"), channels.takeIds(GW_A, DEVICE, 7));
        ack("m2", 7, GW_A);
        assertTrue(route(Entries.data(DEVICE, "m5")).handedOver(), "room in the window: m5 goes at once");
        assertEquals(List.of("m5"), channels.takeIds(GW_A, DEVICE, 7));
    }

    @Test
    void aMessageRoutedWhileOthersAreInFlightQueuesBehindThem() {
        register("ios", null);
        liveAndReceiving(7, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, 7));

        assertEquals(new Pump.Live(1, 0), route(Entries.data(DEVICE, "m3")).pump());

        assertEquals(List.of("m3"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals(List.of("m1", "m2", "m3"), queued());
    }

    @Test
    void anExpiredEntryIsSettledAsExpiredInsteadOfBeingHandedOver() {
        register("ios", null);
        presence(Kind.CONNECTED, 7, GW_A);
        route(Entries.entry(DEVICE, "old", "abc", Entries.T0 + 1_000, null));
        routeData("fresh");
        clock.set(Entries.T0 + 1_000);

        DeviceInbox.PresenceChange receiving = presence(Kind.RECEIVING, 7, GW_A);

        assertEquals(new Pump.Live(1, 1, List.of("old")), receiving.pump(), "it tells which it expired, for tether_messages_status_total and tether.events");
        assertEquals(List.of("fresh"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals("expired", status("old").get("status"));
        assertEquals("ttl", status("old").get("reason"));
        assertEquals(List.of("fresh"), queued());
        assertFalse(redis.sync().hexists(KEYS.inboxData(), "old"));
        assertEquals(Long.toString("data-fresh".length()), meta("bytes"));
    }

    @Test
    void aWindowFullOfExpiredEntriesDoesNotHoldBackTheFreshOnesBehindIt() {
        register("ios", null);
        inbox = inbox(100, 1_000_000, 2);
        presence(Kind.CONNECTED, 7, GW_A);
        for (String id : List.of("old1", "old2", "old3")) {
            route(Entries.entry(DEVICE, id, "abc", Entries.T0 + 1_000, null));
        }
        routeData("fresh1", "fresh2", "fresh3");
        clock.set(Entries.T0 + 2_000);

        assertEquals(new Pump.Live(2, 3, List.of("old1", "old2", "old3")), presence(Kind.RECEIVING, 7, GW_A).pump());

        assertEquals(List.of("fresh1", "fresh2"), channels.takeIds(GW_A, DEVICE, 7));
        assertEquals("expired", status("old3").get("status"));
    }

    @Test
    void theEntryHandedOverIsTheEntryThatWasQueued() {
        register("ios", null);
        liveAndReceiving(7, GW_A);
        InboxEntry entry = new InboxEntry("m1", "devices/" + DEVICE + "/chat/7", new byte[] {0, 1, 2, (byte) 0xff},
                "application/octet-stream", 100, Entries.T0 + Entries.HOUR, 4, "chat-7", Entries.ALERT,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        route(entry);

        List<HandOver> handOvers = channels.take(GW_A);
        assertEquals(1, handOvers.size());
        assertEquals(DEVICE, handOvers.get(0).deviceId());
        assertEquals(7, handOvers.get(0).epoch());
        InboxEntry sent = handOvers.get(0).entries().get(0);
        assertEquals(entry.messageId(), sent.messageId());
        assertEquals(entry.mqttTopic(), sent.mqttTopic());
        assertArrayEquals(entry.payload(), sent.payload());
        assertEquals(entry.contentType(), sent.contentType());
        assertEquals(entry.acceptedAt(), sent.acceptedAt());
        assertEquals(entry.expiresAt(), sent.expiresAt());
        assertEquals(entry.size(), sent.size());
        assertEquals(entry.collapseKey(), sent.collapseKey());
        assertEquals(entry.push(), sent.push());
        assertEquals(entry.traceparent(), sent.traceparent());
    }
}
