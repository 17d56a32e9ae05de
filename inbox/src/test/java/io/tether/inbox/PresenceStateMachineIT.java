package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.PresenceFields;
import io.tether.contract.PresenceState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * presence.lua through {@link DeviceInbox#presence}, against a real redis-server: every transition from every
 * state, the epoch fence (DESIGN.md §4) in each of its cases, REASSERTED, and what an applied event hands over.
 */
class PresenceStateMachineIT extends InboxFixture {
    private static final long EPOCH = 5;

    private final AtomicLong at = new AtomicLong(1_000);

    @BeforeEach
    void registerDevice() {
        register("ios", Devices.TOKEN);
    }

    // ---- every transition from every state ----------------------------------------------------------------------

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
        long when = at.incrementAndGet();

        DeviceInbox.PresenceChange change = apply(kind, epoch, GW_A, null, when);

        assertEquals(applied, change.applied(), "applied");
        assertEquals(to.name(), change.state(), "the state it answers");
        assertNull(change.deletedDeviceApp(), "the device exists: its events need not name its app");
        Map<String, String> p = presenceRecord();
        assertEquals(to.name(), p.get(PresenceFields.STATE));
        assertEquals(p.get(PresenceFields.APP_STATE), change.appState(), "the app state it answers is the one stored");
        assertEquals(Long.toString(epoch > EPOCH && applied ? epoch : EPOCH), p.get(PresenceFields.EPOCH));
        if (applied && kind != Kind.RECEIVING) {
            assertEquals(Long.toString(when), p.get(PresenceFields.SINCE), "since is the event's time");
        }
    }

    /** REASSERTED: a gateway that found its heartbeat lapsed states a connection it holds, with the app state. */
    @ParameterizedTest(name = "{0} + REASSERTED {1} (epoch {2}) -> applied={3}, {4}")
    @CsvSource({
            "NEVER,      foreground, +0, true,  LIVE",
            "NEVER,      background, +0, true,  BACKGROUND",
            "LIVE,       foreground, +0, true,  LIVE",
            "LIVE,       background, +0, true,  BACKGROUND",
            "BACKGROUND, foreground, +0, true,  LIVE",
            "BACKGROUND, background, +0, true,  BACKGROUND",
            "SUSPECT,    foreground, +0, true,  LIVE",
            "SUSPECT,    background, +0, true,  BACKGROUND",
            "OFFLINE,    foreground, +0, true,  LIVE",
            "OFFLINE,    background, +0, true,  BACKGROUND",
            "LIVE,       background, +1, true,  BACKGROUND",
            "OFFLINE,    foreground, +1, true,  LIVE",
            "LIVE,       background, -1, false, LIVE",
            "BACKGROUND, foreground, -1, false, BACKGROUND",
            "SUSPECT,    foreground, -1, false, SUSPECT",
            "OFFLINE,    foreground, -1, false, OFFLINE",
    })
    void reassertedWinsForItsOwnOrANewerEpochWithTheAppStateItStates(String from, String appState, long epochDelta, boolean applied,
            PresenceState to) {
        if (!from.equals("NEVER")) {
            reach(PresenceState.valueOf(from));
        }
        long epoch = EPOCH + epochDelta;
        long when = at.incrementAndGet();

        DeviceInbox.PresenceChange change = apply(Kind.REASSERTED, epoch, GW_B, appState, when);

        assertEquals(applied, change.applied(), "applied");
        assertEquals(to.name(), change.state());
        Map<String, String> p = presenceRecord();
        assertEquals(to.name(), p.get(PresenceFields.STATE));
        assertEquals(p.get(PresenceFields.APP_STATE), change.appState(), "the app state it answers is the one stored");
        if (applied) {
            assertEquals(Long.toString(epoch), p.get(PresenceFields.EPOCH));
            assertEquals(GW_B, p.get(PresenceFields.GATEWAY_ID), "the gateway that holds the connection");
            assertEquals(appState, p.get(PresenceFields.APP_STATE));
            assertEquals("0", p.get(PresenceFields.RECEIVING), "a RECEIVING follows when the connection subscribed");
            assertEquals(Long.toString(when), p.get(PresenceFields.SINCE));
        } else {
            assertEquals(GW_A, p.get(PresenceFields.GATEWAY_ID));
            assertEquals(Long.toString(EPOCH), p.get(PresenceFields.EPOCH));
        }
    }

    @Test
    void aFirstConnectionMakesAnUnknownDeviceLiveInTheForegroundButNotYetReceiving() {
        assertTrue(apply(Kind.CONNECTED, 1, GW_A, null, 42).applied());

        assertEquals(Map.of(PresenceFields.STATE, "LIVE", PresenceFields.EPOCH, "1", PresenceFields.GATEWAY_ID, GW_A,
                PresenceFields.APP_STATE, "foreground", PresenceFields.RECEIVING, "0", PresenceFields.SINCE, "42",
                "lastSeen", "42"), presenceRecord());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"CONNECTED", "DISCONNECTED", "REASSERTED"})
    void noEventWritesPresenceForADeletedDevice(Kind kind) {
        redis.sync().del(KEYS.record()); // the registry deleted it; its last connection's events come after
        assertFalse(apply(kind, 1, GW_A, null, 42).applied());
        assertEquals(Map.of(), presenceRecord(), "nothing would ever remove it");
    }

    // ---- a device deleted while connected ----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = PresenceState.class, names = {"LIVE", "BACKGROUND", "SUSPECT"})
    void aDeviceDeletedWhileConnectedGetsOneLastOfflineFromItsConnectionsDisconnect(PresenceState state) {
        reach(state);
        String appState = presenceRecord().get(PresenceFields.APP_STATE);
        deleteAsTheRegistryDoes(state);

        for (Kind kind : List.of(Kind.RECEIVING, Kind.BACKGROUND, Kind.FOREGROUND, Kind.ACK_TIMEOUT, Kind.RESPONSIVE)) {
            assertFalse(apply(kind, EPOCH, GW_A, null, at.incrementAndGet()).applied(), kind + " of a deleted device");
        }
        assertFalse(apply(Kind.DISCONNECTED, EPOCH - 1, GW_A, null, at.incrementAndGet()).applied(), "an older connection's");
        assertFalse(apply(Kind.CONNECTED, EPOCH + 1, GW_B, null, at.incrementAndGet()).applied(), "no new connection is applied");

        long when = at.incrementAndGet();
        DeviceInbox.PresenceChange last = apply(Kind.DISCONNECTED, EPOCH, GW_A, "revoked", when);

        assertTrue(last.applied());
        assertEquals("OFFLINE", last.state());
        assertEquals(appState, last.appState());
        assertEquals(Devices.APP, last.deletedDeviceApp(), "the event names the app: nothing else does any more");
        assertInstanceOf(Pump.Hold.class, last.pump());

        DeviceInbox.PresenceChange again = apply(Kind.DISCONNECTED, EPOCH, GW_A, "revoked", when);
        assertEquals(last, again, "the same event read again (fanout died before writing its event) answers the same");

        assertFalse(apply(Kind.DISCONNECTED, EPOCH, GW_A, "gateway-lost", at.incrementAndGet()).applied(),
                "another DISCONNECTED of the connection: the last OFFLINE was given");
        assertFalse(apply(Kind.DISCONNECTED, EPOCH + 1, GW_B, null, at.incrementAndGet()).applied(),
                "nor one of a newer connection");
    }

    @Test
    void aDeviceDeletedWhileConnectedGetsItsLastOfflineFromANewerConnectionsDisconnectToo() {
        reach(PresenceState.LIVE);
        deleteAsTheRegistryDoes(PresenceState.LIVE);

        DeviceInbox.PresenceChange last = apply(Kind.DISCONNECTED, EPOCH + 1, GW_B, null, at.incrementAndGet());

        assertTrue(last.applied(), "the connection whose CONNECTED came after the deletion ended");
        assertEquals(Devices.APP, last.deletedDeviceApp());
        assertFalse(apply(Kind.DISCONNECTED, EPOCH, GW_A, null, at.incrementAndGet()).applied());
    }

    @Test
    void theClosingConnectionOfADeletedDeviceIsHandedNothing() {
        reach(PresenceState.LIVE);
        apply(Kind.RECEIVING, EPOCH, GW_A, null, at.incrementAndGet());
        route(Entries.data(DEVICE, "m1"));
        route(Entries.data(DEVICE, "m2"));
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, EPOCH));
        deleteAsTheRegistryDoes(PresenceState.LIVE);

        assertEquals(0, ack("m1", EPOCH, GW_A).handedOver());
        assertEquals(0, join(inbox.resync(DEVICE, EPOCH, GW_A)).handedOver());
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, EPOCH));
    }

    @Test
    void aDeviceDeletedWhileOfflineOwesNothing() {
        reach(PresenceState.OFFLINE);
        redis.sync().del(KEYS.record(), KEYS.presence()); // what the registry does for a device that is not connected

        assertFalse(apply(Kind.DISCONNECTED, EPOCH, GW_A, null, at.incrementAndGet()).applied());
        assertEquals(Map.of(), presenceRecord());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RECEIVING", "BACKGROUND", "FOREGROUND", "ACK_TIMEOUT", "RESPONSIVE"})
    void eventsOtherThanConnectedDisconnectedAndReassertedForANeverSeenDeviceChangeNothing(Kind kind) {
        assertFalse(apply(kind, 0, GW_A, null, 1).applied());
        assertFalse(apply(kind, 1, GW_A, null, 2).applied());

        assertEquals(Map.of(), presenceRecord());
    }

    @Test
    void receivingMarksTheConnectionAsReceivingWithoutChangingStateOnce() {
        reach(PresenceState.LIVE);

        assertTrue(apply(Kind.RECEIVING, EPOCH, GW_A, null, 77).applied());
        assertEquals("1", presenceRecord().get(PresenceFields.RECEIVING));
        assertEquals("LIVE", presenceRecord().get(PresenceFields.STATE));

        // another subscription of the same connection changes nothing more
        Map<String, String> before = presenceRecord();
        assertFalse(apply(Kind.RECEIVING, EPOCH, GW_A, null, 78).applied());
        assertEquals(before, presenceRecord());
    }

    @Test
    void backgroundAndForegroundRecordTheAppState() {
        reach(PresenceState.LIVE);

        apply(Kind.BACKGROUND, EPOCH, GW_A, null, 10);
        assertEquals("background", presenceRecord().get(PresenceFields.APP_STATE));

        apply(Kind.FOREGROUND, EPOCH, GW_A, null, 11);
        assertEquals("foreground", presenceRecord().get(PresenceFields.APP_STATE));
    }

    @Test
    void aRepeatedBackgroundSignalKeepsTheDeviceInBackground() {
        reach(PresenceState.BACKGROUND);

        assertFalse(apply(Kind.BACKGROUND, EPOCH, GW_A, null, at.incrementAndGet()).applied());

        assertEquals("BACKGROUND", presenceRecord().get(PresenceFields.STATE));
        assertEquals("background", presenceRecord().get(PresenceFields.APP_STATE));
    }

    @Test
    void aForegroundSignalWhileLiveKeepsTheDeviceLive() {
        reach(PresenceState.LIVE);

        assertFalse(apply(Kind.FOREGROUND, EPOCH, GW_A, null, at.incrementAndGet()).applied());

        assertEquals("LIVE", presenceRecord().get(PresenceFields.STATE));
        assertEquals("foreground", presenceRecord().get(PresenceFields.APP_STATE));
    }

    @Test
    void responsiveAfterADeafSpellInTheBackgroundReturnsToBackgroundNotLive() {
        reach(PresenceState.BACKGROUND);
        assertTrue(apply(Kind.ACK_TIMEOUT, EPOCH, GW_A, null, 20).applied());
        assertEquals("SUSPECT", presenceRecord().get(PresenceFields.STATE));

        assertTrue(apply(Kind.RESPONSIVE, EPOCH, GW_A, null, 21).applied());

        assertEquals("BACKGROUND", presenceRecord().get(PresenceFields.STATE));
    }

    @Test
    void aNewConnectionStartsInTheForegroundAndNotReceivingWhateverTheOldOneWas() {
        reach(PresenceState.BACKGROUND);
        apply(Kind.RECEIVING, EPOCH, GW_A, null, 30);

        assertTrue(apply(Kind.CONNECTED, EPOCH + 1, GW_B, null, 31).applied());

        Map<String, String> p = presenceRecord();
        assertEquals(GW_B, p.get(PresenceFields.GATEWAY_ID));
        assertEquals("foreground", p.get(PresenceFields.APP_STATE));
        assertEquals("0", p.get(PresenceFields.RECEIVING));
    }

    @Test
    void disconnectedStopsReceivingButKeepsTheGatewayForTheRecord() {
        reach(PresenceState.LIVE);
        apply(Kind.RECEIVING, EPOCH, GW_A, null, 40);

        assertTrue(apply(Kind.DISCONNECTED, EPOCH, GW_A, null, 41).applied());

        assertEquals("0", presenceRecord().get(PresenceFields.RECEIVING));
        assertEquals(GW_A, presenceRecord().get(PresenceFields.GATEWAY_ID));
    }

    @Test
    void aRepeatedDisconnectedOfTheSameEpochKeepsTheDeviceOffline() {
        reach(PresenceState.OFFLINE);

        apply(Kind.DISCONNECTED, EPOCH, GW_A, null, at.incrementAndGet());

        assertEquals("OFFLINE", presenceRecord().get(PresenceFields.STATE));
        assertEquals(Long.toString(EPOCH), presenceRecord().get(PresenceFields.EPOCH));
    }

    // ---- the epoch fence ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void noEventOfAnOlderConnectionChangesTheNewerRecord(Kind kind) {
        // GIVEN the device reconnected on gw-b (epoch 6) and is receiving there
        apply(Kind.CONNECTED, EPOCH, GW_A, null, 1);
        apply(Kind.CONNECTED, EPOCH + 1, GW_B, null, 2);
        apply(Kind.RECEIVING, EPOCH + 1, GW_B, null, 3);
        Map<String, String> before = presenceRecord();

        // WHEN a late event of the old connection on gw-a arrives
        DeviceInbox.PresenceChange change = apply(kind, EPOCH, GW_A, "foreground", 4);

        // THEN nothing changed
        assertFalse(change.applied());
        assertEquals(before, presenceRecord());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"CONNECTED", "DISCONNECTED", "BACKGROUND", "ACK_TIMEOUT", "REASSERTED"})
    void anOlderConnectionsEventNeverOverridesANewerSuspectOrBackgroundRecord(Kind kind) {
        apply(Kind.CONNECTED, EPOCH + 1, GW_B, null, 1);
        apply(Kind.BACKGROUND, EPOCH + 1, GW_B, null, 2);
        apply(Kind.ACK_TIMEOUT, EPOCH + 1, GW_B, null, 3);
        Map<String, String> before = presenceRecord();

        assertFalse(apply(kind, EPOCH, GW_A, "foreground", 4).applied());

        assertEquals(before, presenceRecord());
    }

    @Test
    void aDuplicateConnectedOfTheSameEpochIsNotAppliedAndKeepsTheConnectionReceiving() {
        apply(Kind.CONNECTED, EPOCH, GW_A, null, 1);
        apply(Kind.RECEIVING, EPOCH, GW_A, null, 2);
        apply(Kind.BACKGROUND, EPOCH, GW_A, null, 3);
        Map<String, String> before = presenceRecord();

        assertFalse(apply(Kind.CONNECTED, EPOCH, GW_A, null, 4).applied());

        assertEquals(before, presenceRecord());
    }

    @Test
    void aDisconnectedOfANeverSeenNewerConnectionMakesTheDeviceOfflineAndFencesOlderEvents() {
        // GIVEN live on epoch 5
        apply(Kind.CONNECTED, EPOCH, GW_A, null, 1);
        apply(Kind.RECEIVING, EPOCH, GW_A, null, 2);

        // WHEN epoch 7 ends although its CONNECTED was never seen
        assertTrue(apply(Kind.DISCONNECTED, EPOCH + 2, "gw-c", null, 3).applied());

        // THEN offline at epoch 7
        assertEquals("OFFLINE", presenceRecord().get(PresenceFields.STATE));
        assertEquals(Long.toString(EPOCH + 2), presenceRecord().get(PresenceFields.EPOCH));
        assertEquals("0", presenceRecord().get(PresenceFields.RECEIVING));
        // AND neither the late CONNECTED of epoch 7 nor anything of epochs 5 and 6 brings it back
        // (a gateway's REASSERTED of epoch 7 would: see aReassertedConnectionRevivesItsEpochAfterItWasTakenForGone)
        Map<String, String> fenced = presenceRecord();
        for (Kind kind : Kind.values()) {
            for (long epoch : new long[] {EPOCH, EPOCH + 1, EPOCH + 2}) {
                if ((kind == Kind.DISCONNECTED || kind == Kind.REASSERTED) && epoch == EPOCH + 2) {
                    continue;
                }
                assertFalse(apply(kind, epoch, "gw-x", "foreground", 4).applied(), kind + " of epoch " + epoch);
                assertEquals(fenced, presenceRecord(), kind + " of epoch " + epoch);
            }
        }
        // AND the next connection is live again
        assertTrue(apply(Kind.CONNECTED, EPOCH + 3, "gw-d", null, 5).applied());
        assertEquals("LIVE", presenceRecord().get(PresenceFields.STATE));
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"CONNECTED", "RECEIVING", "BACKGROUND", "FOREGROUND", "ACK_TIMEOUT", "RESPONSIVE"})
    void eventsOfTheCurrentEpochAfterItWentOfflineAreIgnored(Kind kind) {
        reach(PresenceState.OFFLINE);
        Map<String, String> before = presenceRecord();

        assertFalse(apply(kind, EPOCH, GW_A, null, at.incrementAndGet()).applied());

        assertEquals(before, presenceRecord());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RECEIVING", "BACKGROUND", "FOREGROUND", "ACK_TIMEOUT", "RESPONSIVE"})
    void eventsOfANewerConnectionWhoseConnectedWasNotSeenYetAreIgnored(Kind kind) {
        reach(PresenceState.LIVE);
        Map<String, String> before = presenceRecord();

        assertFalse(apply(kind, EPOCH + 1, GW_B, null, at.incrementAndGet()).applied());

        assertEquals(before, presenceRecord());
    }

    @Test
    void aReassertedConnectionRevivesItsEpochAfterItWasTakenForGone() {
        // GIVEN the gateway was taken for dead: its devices got a DISCONNECTED with their current epoch
        liveAndReceiving(EPOCH, GW_A);
        routeData("m1");
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, EPOCH));
        assertTrue(apply(Kind.DISCONNECTED, EPOCH, GW_A, "gateway-lost", Entries.T0 + 50).applied());

        // WHEN the gateway, alive after all, reasserts the connection it holds and that it is subscribed
        DeviceInbox.PresenceChange reasserted = apply(Kind.REASSERTED, EPOCH, GW_A, "foreground", Entries.T0 + 51);
        assertTrue(reasserted.applied());
        assertEquals(new Pump.Hold("not-receiving"), reasserted.pump());
        DeviceInbox.PresenceChange receiving = apply(Kind.RECEIVING, EPOCH, GW_A, null, Entries.T0 + 52);

        // THEN it is live again, and what was not acknowledged is handed over again
        assertEquals("LIVE", receiving.state());
        assertEquals(new Pump.Live(1, 0), receiving.pump());
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, EPOCH));
    }

    @Test
    void theReapersVerdictReadBeforeTheGatewayReassertedItsConnectionDoesNotEndIt() {
        // The reaper read the devices of a gateway it took for dead (at T0 + 50); the gateway, frozen, came back and
        // reasserted its connection (T0 + 60) before the reaper's DISCONNECTED was applied.
        liveAndReceiving(EPOCH, GW_A);
        apply(Kind.REASSERTED, EPOCH, GW_A, "foreground", Entries.T0 + 60);

        DeviceInbox.PresenceChange reaped = apply(Kind.DISCONNECTED, EPOCH, GW_A, "gateway-lost", Entries.T0 + 50);

        assertFalse(reaped.applied());
        assertEquals("LIVE", presenceRecord().get(PresenceFields.STATE));
        assertTrue(apply(Kind.DISCONNECTED, EPOCH, GW_A, "gateway-lost", Entries.T0 + 70).applied(), "a later verdict holds");
    }

    // ---- what presence hands over -------------------------------------------------------------------------------

    @Test
    void entriesQueuedBeforeTheConnectionSubscribedAreHandedOverWhenItDoes() {
        presence(Kind.CONNECTED, EPOCH, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, EPOCH));

        DeviceInbox.PresenceChange receiving = presence(Kind.RECEIVING, EPOCH, GW_A);

        assertEquals(new Pump.Live(2, 0), receiving.pump());
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, EPOCH));
    }

    @Test
    void aNewConnectionIsHandedEverythingUnacknowledgedAgainFromTheStart() {
        liveAndReceiving(EPOCH, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, EPOCH));

        assertEquals(new Pump.Hold("not-receiving"), presence(Kind.CONNECTED, EPOCH + 1, GW_B).pump());
        DeviceInbox.PresenceChange receiving = presence(Kind.RECEIVING, EPOCH + 1, GW_B);

        assertEquals(new Pump.Live(2, 0), receiving.pump());
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_B, DEVICE, EPOCH + 1));
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, EPOCH));
    }

    @Test
    void afterAMissedAckTheDeviceGetsNothingLiveUntilItIsResponsiveAndThenEverythingUnacknowledged() {
        liveAndReceiving(EPOCH, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, EPOCH));

        DeviceInbox.PresenceChange deaf = presence(Kind.ACK_TIMEOUT, EPOCH, GW_A);
        assertEquals("deaf", assertInstanceOf(Pump.Push.class, deaf.pump()).reason(), "iOS with a token is pushed instead");
        routeData("m3");
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, EPOCH));

        DeviceInbox.PresenceChange responsive = presence(Kind.RESPONSIVE, EPOCH, GW_A);

        assertEquals(new Pump.Live(3, 0), responsive.pump());
        assertEquals(List.of("m1", "m2", "m3"), channels.takeIds(GW_A, DEVICE, EPOCH));
    }

    @Test
    void aForegroundSignalWhileLiveDoesNotHandOverWhatIsAlreadyInFlightAgain() {
        // GIVEN a live, receiving device with two deliveries in flight (handed to its gateway, not yet acknowledged)
        liveAndReceiving(EPOCH, GW_A);
        routeData("m1", "m2");
        assertEquals(List.of("m1", "m2"), channels.takeIds(GW_A, DEVICE, EPOCH));

        // WHEN the app says "foreground" (README: it does so whenever its scene becomes active), staying LIVE
        DeviceInbox.PresenceChange foreground = presence(Kind.FOREGROUND, EPOCH, GW_A);

        // THEN the same connection is not handed m1 and m2 a second time
        assertFalse(foreground.applied());
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, EPOCH));
        assertEquals(new Pump.Live(0, 0), TestRedis.join(inbox.pump(DEVICE)));
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, EPOCH));
    }

    @Test
    void anIosAppGoingToTheBackgroundIsPushedWhatWaitsInsteadOfHandedIt() {
        presence(Kind.CONNECTED, EPOCH, GW_A);
        route(Entries.alert(DEVICE, "m1"));

        DeviceInbox.PresenceChange background = presence(Kind.BACKGROUND, EPOCH, GW_A);

        Pump.Push push = assertInstanceOf(Pump.Push.class, background.pump());
        assertEquals("signal", push.reason());
        assertEquals(List.of("m1"), Entries.ids(push.entries()));
        assertEquals(List.of(), channels.takeIds(GW_A, DEVICE, EPOCH));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Brings the device to {@code state} at epoch {@link #EPOCH} on gw-a through real events. */
    private void reach(PresenceState state) {
        apply(Kind.CONNECTED, EPOCH, GW_A, null, at.incrementAndGet());
        switch (state) {
            case LIVE -> { }
            case BACKGROUND -> apply(Kind.BACKGROUND, EPOCH, GW_A, null, at.incrementAndGet());
            case SUSPECT -> apply(Kind.ACK_TIMEOUT, EPOCH, GW_A, null, at.incrementAndGet());
            case OFFLINE -> apply(Kind.DISCONNECTED, EPOCH, GW_A, null, at.incrementAndGet());
        }
        assertEquals(state.name(), presenceRecord().get(PresenceFields.STATE));
    }

    /**
     * What device-registry's delete does to a device that is not OFFLINE (DeviceScripts.DELETE): the record goes, the
     * presence hash stays as its tombstone (device-registry's DeviceStoreIT checks it writes this very shape).
     */
    private static void deleteAsTheRegistryDoes(PresenceState state) {
        redis.sync().del(KEYS.record());
        redis.sync().hset(KEYS.presence(), Map.of(PresenceFields.STATE, "OFFLINE", PresenceFields.RECEIVING, "0",
                PresenceFields.DELETED_WHILE, state.name(), PresenceFields.APP_ID, Devices.APP));
    }

    private DeviceInbox.PresenceChange apply(Kind kind, long epoch, String gatewayId, String reason, long when) {
        return presence(kind, epoch, gatewayId, reason, when);
    }
}
