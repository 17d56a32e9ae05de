package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.PushRecipient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The push side of the pump (lib.lua's push_candidates) and push-confirm.lua through {@link DeviceInbox}, against a
 * real redis-server: which platform in which presence is reached by push (DESIGN.md §5, README "Presence and
 * routing"), that candidates are recorded only once confirmed, and that each entry is pushed once.
 */
class PushFallbackIT extends InboxFixture {
    private static final long EPOCH = 3;

    // ---- per platform and presence ------------------------------------------------------------------------------

    /** {@code reason} "-" means no push at all. {@code listening} false: nobody listens on the gateway's channel. */
    @ParameterizedTest(name = "{0} {1} (gateway listening {2}) -> {3}")
    @CsvSource({
            "ios,      LIVE,       true,  -",
            "ios,      BACKGROUND, true,  signal",
            "ios,      SUSPECT,    true,  deaf",
            "ios,      OFFLINE,    true,  offline",
            "ios,      LIVE,       false, offline",
            "ios,      NEVER,      false, offline",
            "ipados,   LIVE,       true,  -",
            "ipados,   BACKGROUND, true,  signal",
            "ipados,   SUSPECT,    true,  deaf",
            "ipados,   OFFLINE,    true,  offline",
            "watchos,  LIVE,       true,  -",
            "watchos,  BACKGROUND, true,  signal",
            "watchos,  SUSPECT,    true,  deaf",
            "watchos,  OFFLINE,    true,  offline",
            "macos,    LIVE,       true,  -",
            "macos,    BACKGROUND, true,  -",
            "macos,    SUSPECT,    true,  -",
            "macos,    OFFLINE,    true,  offline",
            "macos,    LIVE,       false, offline",
            "macos,    BACKGROUND, false, offline",
            "macos,    NEVER,      false, offline",
            "tvos,     LIVE,       true,  -",
            "tvos,     BACKGROUND, true,  -",
            "tvos,     SUSPECT,    true,  -",
            "tvos,     OFFLINE,    true,  -",
            "tvos,     LIVE,       false, -",
            // a platform the policy does not name gets its default row
            "visionos, LIVE,       true,  -",
            "visionos, BACKGROUND, true,  signal",
            "visionos, OFFLINE,    true,  offline",
    })
    void eachPlatformIsPushedOnlyInThePresenceItsRoutingAsksFor(String platform, String state, boolean listening, String reason) {
        register(platform, Devices.TOKEN);
        if (!listening) {
            channels.leave(GW_B);
        }
        reach(state, EPOCH, listening ? GW_A : GW_B);

        Pump pump = route(Entries.alert(DEVICE, "m1")).pump();

        if (reason.equals("-")) {
            assertFalse(pump instanceof Pump.Push, describe(pump));
        } else {
            Pump.Push push = assertInstanceOf(Pump.Push.class, pump);
            assertEquals(reason, push.reason());
            assertEquals(List.of("m1"), Entries.ids(push.entries()));
        }
        assertNull(meta("pushCursor"), "nothing counts as pushed before the push requests are confirmed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ios", "ipados", "watchos", "macos"})
    void aDeviceWithoutAPushTokenIsReachedThroughItsInboxOnly(String platform) {
        register(platform, null);
        reach("OFFLINE", EPOCH, GW_A);

        assertEquals(new Pump.Hold("no-push-token"), route(Entries.alert(DEVICE, "m1")).pump());

        assertEquals(List.of("m1"), queued());
    }

    @Test
    void pushCandidatesAreRecordedOnlyOnceConfirmedAndStayInTheInbox() {
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);

        Pump.Push push = push(route(Entries.alert(DEVICE, "m1")));

        assertEquals("0", push.previousCursor());
        assertEquals(Entries.ALERT, push.entries().get(0).push());
        assertEquals(new PushRecipient(Devices.TOKEN, "sandbox", "com.example.app", "ios", Devices.CREATED_AT, Entries.T0),
                push.recipient(), "the device record's token as the script read it, and when (the inbox's clock)");
        assertEquals("inbox", status("m1").get("route"));
        assertNull(status("m1").get("pushRequestedAt"));
        assertNull(meta("pushCursor"));

        clock.set(Entries.T0 + 3);
        assertTrue(join(inbox.confirmPush(DEVICE, push)));

        Map<String, String> status = status("m1");
        assertEquals("push", status.get("route"));
        assertEquals(Long.toString(Entries.T0 + 3), status.get("pushRequestedAt"));
        assertEquals("queued", status.get("status"), "queued until APNs accepts it");
        assertEquals(List.of("m1"), queued());
        assertEquals(push.cursor(), meta("pushCursor"));
    }

    // ---- each entry once, nudges, expiry ------------------------------------------------------------------------

    @Test
    void aConfirmationForADeviceDeletedMeanwhileWritesNothing() {
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);
        Pump.Push push = push(route(Entries.alert(DEVICE, "m1")));
        redis.sync().del(KEYS.record()); // the registry deleted it while the push went out; its inbox stays to expire
        Map<String, String> meta = redis.sync().hgetall(KEYS.inboxMeta());
        Map<String, String> status = status("m1");

        assertFalse(join(inbox.confirmPush(DEVICE, push)));

        assertEquals(meta, redis.sync().hgetall(KEYS.inboxMeta()));
        assertEquals(status, status("m1"));
    }

    @Test
    void aConfirmationForAnInboxThatIsGoneDoesNotRecreateIt() {
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);
        Pump.Push push = push(route(Entries.alert(DEVICE, "m1")));
        redis.sync().del(KEYS.inbox(), KEYS.inboxData(), KEYS.inboxMeta()); // expired since, as a deleted device's does

        assertFalse(join(inbox.confirmPush(DEVICE, push)));

        assertEquals(0L, redis.sync().exists(KEYS.inboxMeta()), "no meta hash without an inbox (it would never expire)");
    }

    @Test
    void eachEntryIsConsideredForPushOnlyOnce() {
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);
        confirm(push(route(Entries.alert(DEVICE, "m1"))));

        Pump.Push next = push(route(Entries.alert(DEVICE, "m2")));

        assertEquals(List.of("m2"), Entries.ids(next.entries()));
        assertEquals("1", next.previousCursor());
        confirm(next);
        assertEquals(new Pump.Hold("nothing-to-push"), join(inbox.pump(DEVICE)));
    }

    @Test
    void anEntryPushedInTheBackgroundIsNotPushedAgainWhenTheDeviceGoesOffline() {
        register("ios", Devices.TOKEN);
        reach("BACKGROUND", EPOCH, GW_A);
        Pump.Push push = push(route(Entries.alert(DEVICE, "m1")));
        assertEquals("signal", push.reason());
        confirm(push);

        DeviceInbox.PresenceChange offline = presence(Kind.DISCONNECTED, EPOCH, GW_A);

        assertEquals(new Pump.Hold("nothing-to-push"), offline.pump());
    }

    @Test
    void dataOnlyMessagesShareOneNudgePerIntervalWhileAlertsEachGetTheirOwnPush() {
        // GIVEN messages queued while the device was connected but not subscribed yet
        register("ios", Devices.TOKEN);
        presence(Kind.CONNECTED, EPOCH, GW_A);
        routeData("d1", "d2");
        route(Entries.alert(DEVICE, "a3"));
        routeData("d4");

        // WHEN it goes offline
        Pump.Push first = push(presence(Kind.DISCONNECTED, EPOCH, GW_A).pump());

        // THEN the first data-only message nudges for all four, the alert gets its own push
        assertEquals(List.of("d1", "a3"), Entries.ids(first.entries()));
        assertEquals(4, first.considered());
        confirm(first);

        // within the interval another data-only message gets no nudge of its own
        clock.set(Entries.T0 + NUDGE_INTERVAL - 1);
        Pump.Push within = push(route(Entries.data(DEVICE, "d5")));
        assertEquals(List.of(), Entries.ids(within.entries()));
        confirm(within);
        assertNull(status("d5").get("pushRequestedAt"));

        // once the interval has passed the next one does, and the one after it shares it
        clock.set(Entries.T0 + NUDGE_INTERVAL);
        routeData("d6");
        Pump.Push after = push(route(Entries.data(DEVICE, "d7")));
        assertEquals(List.of("d6"), Entries.ids(after.entries()));
        confirm(after);
        assertEquals(Long.toString(Entries.T0 + NUDGE_INTERVAL), meta("lastNudgeAt"));
        assertNull(status("d7").get("pushRequestedAt"));
    }

    @Test
    void anExpiredEntryIsNotPushed() {
        register("ios", Devices.TOKEN);
        presence(Kind.CONNECTED, EPOCH, GW_A);
        route(Entries.entry(DEVICE, "old", "x", Entries.T0 + 1_000, Entries.ALERT));
        route(Entries.alert(DEVICE, "fresh"));
        clock.set(Entries.T0 + 1_000);

        Pump.Push push = push(presence(Kind.DISCONNECTED, EPOCH, GW_A).pump());

        assertEquals(List.of("fresh"), Entries.ids(push.entries()));
        confirm(push);
        assertNull(status("old").get("pushRequestedAt"));
    }

    // ---- nothing confirmed, overtaken confirmations, batches ------------------------------------------------------

    @Test
    void whenNothingWasConfirmedTheSameCandidatesAreOfferedAgain() {
        // GIVEN the push requests for m1 could not be written to Kafka, so they were never confirmed
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);
        push(route(Entries.alert(DEVICE, "m1")));

        // WHEN the inbox moves along again
        Pump.Push again = push(route(Entries.alert(DEVICE, "m2")));

        // THEN m1 is a candidate again, with everything behind it
        assertEquals(List.of("m1", "m2"), Entries.ids(again.entries()));
        assertEquals("0", again.previousCursor());
        assertNull(status("m1").get("pushRequestedAt"));
        assertEquals(List.of("m1", "m2"), Entries.ids(push(join(inbox.pump(DEVICE))).entries()));
        confirm(again);
        assertEquals(new Pump.Hold("nothing-to-push"), join(inbox.pump(DEVICE)));
    }

    @Test
    void anUnconfirmedNudgeIsOfferedAgainWhenTheRecordIsRetried() {
        // GIVEN an offline device whose data-only message was picked for a nudge
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);
        assertEquals(List.of("d1"), Entries.ids(push(route(Entries.data(DEVICE, "d1"))).entries()));

        // WHEN the push request could not be written to Kafka, and the record is consumed again
        DeviceInbox.Routed retry = route(Entries.data(DEVICE, "d1"));

        // THEN it is not queued again, and the nudge is offered again: none was sent, so none counts against the interval
        assertFalse(retry.queuedNow());
        assertEquals(List.of("d1"), Entries.ids(push(retry).entries()));
        assertNull(meta("lastNudgeAt"));
    }

    @Test
    void aConfirmationThatWasOvertakenChangesNothing() {
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);
        Pump.Push first = push(route(Entries.alert(DEVICE, "m1")));
        Pump.Push second = push(join(inbox.pump(DEVICE)));
        assertTrue(join(inbox.confirmPush(DEVICE, second)));
        Pump.Push third = push(route(Entries.alert(DEVICE, "m2")));

        assertFalse(join(inbox.confirmPush(DEVICE, first)));

        assertEquals("1", meta("pushCursor"));
        assertTrue(join(inbox.confirmPush(DEVICE, third)));
        assertEquals("2", meta("pushCursor"));
    }

    @Test
    void aPushThatStoppedAtTheBatchLimitSaysMoreEntriesAreWaiting() {
        // GIVEN an offline device with 200 data-only messages followed by an alert, none of their pushes confirmed yet
        register("ios", Devices.TOKEN);
        inbox = inbox(1_000, 10_000_000, 10);
        reach("OFFLINE", EPOCH, GW_A);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < InboxSettings.PUSH_BATCH; i++) {
            ids.add("d" + i);
        }
        routeData(ids.toArray(String[]::new));

        // WHEN the alert's route considers a batch (200 entries) and takes one nudge
        Pump.Push first = push(route(Entries.alert(DEVICE, "alert")));
        assertEquals(List.of("d0"), Entries.ids(first.entries()));
        assertEquals(InboxSettings.PUSH_BATCH, first.considered());

        // THEN it tells the router to look again (it does only when isFullBatch()), else the alert is never pushed
        assertTrue(first.isFullBatch(), "200 entries were considered and 1 more is waiting");
        confirm(first);
        Pump.Push next = push(join(inbox.pump(DEVICE)));
        assertEquals(List.of("alert"), Entries.ids(next.entries()));
        assertFalse(next.isFullBatch());
    }

    @Test
    void aPushThatConsideredEverythingSaysNothingIsWaiting() {
        register("ios", Devices.TOKEN);
        reach("OFFLINE", EPOCH, GW_A);

        assertFalse(push(route(Entries.alert(DEVICE, "m1"))).isFullBatch());
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static Pump.Push push(DeviceInbox.Routed routed) {
        return push(routed.pump());
    }

    private static Pump.Push push(Pump pump) {
        return assertInstanceOf(Pump.Push.class, pump);
    }

    private void confirm(Pump.Push push) {
        assertTrue(join(inbox.confirmPush(DEVICE, push)), "confirmed");
    }
}
