package io.tether.fanout.routing;

import static io.tether.fanout.routing.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.PresenceFields;
import io.tether.contract.PresenceState;
import io.tether.contract.RedisKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * presence.lua through {@link DeviceQueue#applyPresence}, against a real redis-server: every transition from every
 * state, and the epoch fence (DESIGN.md §4) in each of its cases.
 */
class PresenceStateMachineTest {
    private static final String DEVICE = "dev-presence";
    private static final long EPOCH = 5;

    @TempDir
    static Path dir;

    private static TestRedis redis;
    private static DeviceQueue queue;

    private final AtomicLong clock = new AtomicLong(1_000);

    @BeforeAll
    static void start() {
        redis = TestRedis.start(dir);
        queue = new DeviceQueue(redis.async(), new DeviceQueue.InboxLimits(100, 1_000_000, 10, 30_000));
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.flush();
        redis.registerDevice(DEVICE, "ios", "token-1");
    }

    // ---- every transition from every state ------------------------------------------------------------------

    /** {@code epochDelta} 1 means the event belongs to the next connection, 0 to the current one. */
    @ParameterizedTest(name = "{0} + {1} (epoch +{2}) -> applied={3}, {4}")
    @CsvSource({
            "LIVE,       CONNECTED,    1, true,  LIVE",
            "LIVE,       RECEIVING,    0, true,  LIVE",
            "LIVE,       BACKGROUND,   0, true,  BACKGROUND",
            "LIVE,       ACK_TIMEOUT,  0, true,  SUSPECT",
            "LIVE,       RESPONSIVE,   0, false, LIVE",
            "LIVE,       DISCONNECTED, 0, true,  OFFLINE",
            "BACKGROUND, CONNECTED,    1, true,  LIVE",
            "BACKGROUND, RECEIVING,    0, true,  BACKGROUND",
            "BACKGROUND, FOREGROUND,   0, true,  LIVE",
            "BACKGROUND, ACK_TIMEOUT,  0, true,  SUSPECT",
            "BACKGROUND, RESPONSIVE,   0, false, BACKGROUND",
            "BACKGROUND, DISCONNECTED, 0, true,  OFFLINE",
            "SUSPECT,    CONNECTED,    1, true,  LIVE",
            "SUSPECT,    RECEIVING,    0, true,  SUSPECT",
            "SUSPECT,    BACKGROUND,   0, true,  BACKGROUND",
            "SUSPECT,    FOREGROUND,   0, true,  LIVE",
            "SUSPECT,    ACK_TIMEOUT,  0, false, SUSPECT",
            "SUSPECT,    RESPONSIVE,   0, true,  LIVE",
            "SUSPECT,    DISCONNECTED, 0, true,  OFFLINE",
            "OFFLINE,    CONNECTED,    1, true,  LIVE",
            "OFFLINE,    RECEIVING,    0, false, OFFLINE",
            "OFFLINE,    BACKGROUND,   0, false, OFFLINE",
            "OFFLINE,    FOREGROUND,   0, false, OFFLINE",
            "OFFLINE,    ACK_TIMEOUT,  0, false, OFFLINE",
            "OFFLINE,    RESPONSIVE,   0, false, OFFLINE",
    })
    void eachEventMovesEachStateAsDesigned(PresenceState from, Kind kind, long epochDelta, boolean applied, PresenceState to) {
        reach(from);
        long epoch = EPOCH + epochDelta;
        long at = clock.incrementAndGet();

        assertEquals(applied, apply(kind, epoch, "gw-a", at), "applied");

        Map<String, String> p = presence();
        assertEquals(to.name(), p.get(PresenceFields.STATE));
        assertEquals(Long.toString(epoch > EPOCH && applied ? epoch : EPOCH), p.get(PresenceFields.EPOCH));
        if (applied && kind != Kind.RECEIVING) {
            assertEquals(Long.toString(at), p.get(PresenceFields.SINCE), "since is the event's time");
        }
    }

    @Test
    void aFirstConnectionMakesAnUnknownDeviceLiveInTheForegroundButNotYetReceiving() {
        assertTrue(apply(Kind.CONNECTED, 1, "gw-a", 42));

        assertEquals(Map.of(PresenceFields.STATE, "LIVE", PresenceFields.EPOCH, "1", PresenceFields.GATEWAY_ID, "gw-a",
                PresenceFields.APP_STATE, "foreground", PresenceFields.RECEIVING, "0", PresenceFields.SINCE, "42"), presence());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RECEIVING", "BACKGROUND", "FOREGROUND", "ACK_TIMEOUT", "RESPONSIVE"})
    void eventsOtherThanConnectedAndDisconnectedForANeverSeenDeviceChangeNothing(Kind kind) {
        assertFalse(apply(kind, 0, "gw-a", 1));
        assertFalse(apply(kind, 1, "gw-a", 2));

        assertEquals(Map.of(), presence());
    }

    @Test
    void receivingMarksTheConnectionAsReceivingWithoutChangingState() {
        reach(PresenceState.LIVE);

        assertTrue(apply(Kind.RECEIVING, EPOCH, "gw-a", 77));

        assertEquals("1", presence().get(PresenceFields.RECEIVING));
        assertEquals("LIVE", presence().get(PresenceFields.STATE));
    }

    @Test
    void backgroundAndForegroundRecordTheAppState() {
        reach(PresenceState.LIVE);

        apply(Kind.BACKGROUND, EPOCH, "gw-a", 10);
        assertEquals("background", presence().get(PresenceFields.APP_STATE));

        apply(Kind.FOREGROUND, EPOCH, "gw-a", 11);
        assertEquals("foreground", presence().get(PresenceFields.APP_STATE));
    }

    @Test
    void aRepeatedBackgroundSignalKeepsTheDeviceInBackground() {
        reach(PresenceState.BACKGROUND);

        apply(Kind.BACKGROUND, EPOCH, "gw-a", clock.incrementAndGet());

        assertEquals("BACKGROUND", presence().get(PresenceFields.STATE));
        assertEquals("background", presence().get(PresenceFields.APP_STATE));
    }

    @Test
    void aForegroundSignalWhileLiveKeepsTheDeviceLive() {
        reach(PresenceState.LIVE);

        apply(Kind.FOREGROUND, EPOCH, "gw-a", clock.incrementAndGet());

        assertEquals("LIVE", presence().get(PresenceFields.STATE));
        assertEquals("foreground", presence().get(PresenceFields.APP_STATE));
    }

    @Test
    void responsiveAfterADeafSpellInTheBackgroundReturnsToBackgroundNotLive() {
        reach(PresenceState.BACKGROUND);
        assertTrue(apply(Kind.ACK_TIMEOUT, EPOCH, "gw-a", 20));
        assertEquals("SUSPECT", presence().get(PresenceFields.STATE));

        assertTrue(apply(Kind.RESPONSIVE, EPOCH, "gw-a", 21));

        assertEquals("BACKGROUND", presence().get(PresenceFields.STATE));
    }

    @Test
    void aNewConnectionStartsInTheForegroundAndNotReceivingWhateverTheOldOneWas() {
        reach(PresenceState.BACKGROUND);
        apply(Kind.RECEIVING, EPOCH, "gw-a", 30);

        assertTrue(apply(Kind.CONNECTED, EPOCH + 1, "gw-b", 31));

        Map<String, String> p = presence();
        assertEquals("gw-b", p.get(PresenceFields.GATEWAY_ID));
        assertEquals("foreground", p.get(PresenceFields.APP_STATE));
        assertEquals("0", p.get(PresenceFields.RECEIVING));
    }

    @Test
    void disconnectedStopsReceivingButKeepsTheGatewayForTheRecord() {
        reach(PresenceState.LIVE);
        apply(Kind.RECEIVING, EPOCH, "gw-a", 40);

        assertTrue(apply(Kind.DISCONNECTED, EPOCH, "gw-a", 41));

        assertEquals("0", presence().get(PresenceFields.RECEIVING));
        assertEquals(Optional.of("gw-a"), join(queue.gatewayOf(DEVICE)));
    }

    @Test
    void aRepeatedDisconnectedOfTheSameEpochKeepsTheDeviceOffline() {
        reach(PresenceState.OFFLINE);

        apply(Kind.DISCONNECTED, EPOCH, "gw-a", clock.incrementAndGet());

        assertEquals("OFFLINE", presence().get(PresenceFields.STATE));
        assertEquals(Long.toString(EPOCH), presence().get(PresenceFields.EPOCH));
    }

    // ---- the epoch fence ------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void noEventOfAnOlderConnectionChangesTheNewerRecord(Kind kind) {
        // GIVEN the device reconnected on gw-b (epoch 6) and is receiving there
        apply(Kind.CONNECTED, EPOCH, "gw-a", 1);
        apply(Kind.CONNECTED, EPOCH + 1, "gw-b", 2);
        apply(Kind.RECEIVING, EPOCH + 1, "gw-b", 3);
        Map<String, String> before = presence();

        // WHEN a late event of the old connection on gw-a arrives
        boolean applied = apply(kind, EPOCH, "gw-a", 4);

        // THEN nothing changed
        assertFalse(applied);
        assertEquals(before, presence());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"CONNECTED", "DISCONNECTED", "BACKGROUND", "ACK_TIMEOUT"})
    void anOlderConnectionsEventNeverOverridesANewerSuspectOrBackgroundRecord(Kind kind) {
        apply(Kind.CONNECTED, EPOCH + 1, "gw-b", 1);
        apply(Kind.BACKGROUND, EPOCH + 1, "gw-b", 2);
        apply(Kind.ACK_TIMEOUT, EPOCH + 1, "gw-b", 3);
        Map<String, String> before = presence();

        assertFalse(apply(kind, EPOCH, "gw-a", 4));

        assertEquals(before, presence());
    }

    @Test
    void aDuplicateConnectedOfTheSameEpochIsNotAppliedAndKeepsTheConnectionReceiving() {
        apply(Kind.CONNECTED, EPOCH, "gw-a", 1);
        apply(Kind.RECEIVING, EPOCH, "gw-a", 2);
        apply(Kind.BACKGROUND, EPOCH, "gw-a", 3);
        Map<String, String> before = presence();

        assertFalse(apply(Kind.CONNECTED, EPOCH, "gw-a", 4));

        assertEquals(before, presence());
    }

    @Test
    void aDisconnectedOfANeverSeenNewerConnectionMakesTheDeviceOfflineAndFencesOlderEvents() {
        // GIVEN live on epoch 5
        apply(Kind.CONNECTED, EPOCH, "gw-a", 1);
        apply(Kind.RECEIVING, EPOCH, "gw-a", 2);

        // WHEN epoch 7 ends although its CONNECTED was never seen
        assertTrue(apply(Kind.DISCONNECTED, EPOCH + 2, "gw-c", 3));

        // THEN offline at epoch 7
        assertEquals("OFFLINE", presence().get(PresenceFields.STATE));
        assertEquals(Long.toString(EPOCH + 2), presence().get(PresenceFields.EPOCH));
        assertEquals("0", presence().get(PresenceFields.RECEIVING));
        // AND neither the late CONNECTED of epoch 7 nor anything of epochs 5 and 6 brings it back
        Map<String, String> fenced = presence();
        for (Kind kind : Kind.values()) {
            for (long epoch : new long[] {EPOCH, EPOCH + 1, EPOCH + 2}) {
                if (kind == Kind.DISCONNECTED && epoch == EPOCH + 2) {
                    continue;
                }
                assertFalse(apply(kind, epoch, "gw-x", 4), kind + " of epoch " + epoch);
                assertEquals(fenced, presence(), kind + " of epoch " + epoch);
            }
        }
        // AND the next connection is live again
        assertTrue(apply(Kind.CONNECTED, EPOCH + 3, "gw-d", 5));
        assertEquals("LIVE", presence().get(PresenceFields.STATE));
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"CONNECTED", "RECEIVING", "BACKGROUND", "FOREGROUND", "ACK_TIMEOUT", "RESPONSIVE"})
    void eventsOfTheCurrentEpochAfterItWentOfflineAreIgnored(Kind kind) {
        reach(PresenceState.OFFLINE);
        Map<String, String> before = presence();

        assertFalse(apply(kind, EPOCH, "gw-a", clock.incrementAndGet()));

        assertEquals(before, presence());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RECEIVING", "BACKGROUND", "FOREGROUND", "ACK_TIMEOUT", "RESPONSIVE"})
    void eventsOfANewerConnectionWhoseConnectedWasNotSeenYetAreIgnored(Kind kind) {
        reach(PresenceState.LIVE);
        Map<String, String> before = presence();

        assertFalse(apply(kind, EPOCH + 1, "gw-b", clock.incrementAndGet()));

        assertEquals(before, presence());
    }

    // ---- what presence does to deliveries -------------------------------------------------------------------

    @Test
    void aNewConnectionIsSentEverythingUnacknowledgedAgainFromTheStart() {
        apply(Kind.CONNECTED, EPOCH, "gw-a", 1);
        apply(Kind.RECEIVING, EPOCH, "gw-a", 2);
        Inbox.enqueue(queue, DEVICE, "m1", "m2");
        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 60)).orElseThrow()));
        assertEquals(List.of(), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 60)).orElseThrow()));

        apply(Kind.CONNECTED, EPOCH + 1, "gw-b", 3);
        apply(Kind.RECEIVING, EPOCH + 1, "gw-b", 4);

        DeviceQueue.Dispatch again = join(queue.nextDispatch(DEVICE, true, 60)).orElseThrow();
        assertEquals("gw-b", again.gatewayId());
        assertEquals(EPOCH + 1, again.epoch());
        assertEquals(List.of("m1", "m2"), Inbox.ids(again));
    }

    @Test
    void afterAMissedAckTheDeviceGetsNothingLiveUntilItIsResponsiveAndThenEverythingUnacknowledged() {
        apply(Kind.CONNECTED, EPOCH, "gw-a", 1);
        apply(Kind.RECEIVING, EPOCH, "gw-a", 2);
        Inbox.enqueue(queue, DEVICE, "m1", "m2");
        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 60)).orElseThrow()));

        apply(Kind.ACK_TIMEOUT, EPOCH, "gw-a", 3);
        assertEquals(Optional.empty(), join(queue.nextDispatch(DEVICE, true, 60)));

        apply(Kind.RESPONSIVE, EPOCH, "gw-a", 4);
        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 60)).orElseThrow()));
    }

    @Test
    void aForegroundSignalWhileLiveDoesNotHandOverWhatIsAlreadyInFlightAgain() {
        // GIVEN a live, receiving device with two deliveries in flight (handed to its gateway, not yet acknowledged)
        apply(Kind.CONNECTED, EPOCH, "gw-a", 1);
        apply(Kind.RECEIVING, EPOCH, "gw-a", 2);
        Inbox.enqueue(queue, DEVICE, "m1", "m2");
        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 60)).orElseThrow()));

        // WHEN the app says "foreground" (README: it does so whenever its scene becomes active), staying LIVE
        apply(Kind.FOREGROUND, EPOCH, "gw-a", 3);

        // THEN the same connection is not sent m1 and m2 a second time
        assertEquals(List.of(), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 60)).orElseThrow()));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Brings the device to {@code state} at epoch {@link #EPOCH} on gw-a through real events. */
    private void reach(PresenceState state) {
        apply(Kind.CONNECTED, EPOCH, "gw-a", clock.incrementAndGet());
        switch (state) {
            case LIVE -> { }
            case BACKGROUND -> apply(Kind.BACKGROUND, EPOCH, "gw-a", clock.incrementAndGet());
            case SUSPECT -> apply(Kind.ACK_TIMEOUT, EPOCH, "gw-a", clock.incrementAndGet());
            case OFFLINE -> apply(Kind.DISCONNECTED, EPOCH, "gw-a", clock.incrementAndGet());
        }
        assertEquals(state.name(), presence().get(PresenceFields.STATE));
    }

    private static boolean apply(Kind kind, long epoch, String gatewayId, long at) {
        return join(queue.applyPresence(new PresenceEvent(DEVICE, gatewayId, epoch, kind, null, at)));
    }

    private static Map<String, String> presence() {
        return redis.sync().hgetall(RedisKeys.device(DEVICE).presence());
    }
}
