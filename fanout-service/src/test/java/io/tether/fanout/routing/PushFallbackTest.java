package io.tether.fanout.routing;

import static io.tether.fanout.routing.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.RedisKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * fallback.lua and unpush.lua through {@link DeviceQueue}, against a real redis-server: which platform in which
 * presence is reached by push (DESIGN.md §5, README "Presence and routing"), and that each entry is pushed once.
 */
class PushFallbackTest {
    private static final String DEVICE = "dev-push";
    private static final RedisKeys.Device KEYS = RedisKeys.device(DEVICE);
    private static final long NUDGE_INTERVAL = Inbox.HOUR;

    @TempDir
    static Path dir;

    private static TestRedis redis;
    private static DeviceQueue queue;

    @BeforeAll
    static void start() {
        redis = TestRedis.start(dir);
        queue = new DeviceQueue(redis.async(), new DeviceQueue.InboxLimits(1_000, 10_000_000, 10, NUDGE_INTERVAL));
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.flush();
    }

    // ---- per platform and presence --------------------------------------------------------------------------

    /** {@code reason} "-" means no push at all. {@code gateway} false: the gateway the presence points at is dead. */
    @ParameterizedTest(name = "{0} {1} (gateway alive {2}) -> {3}")
    @CsvSource({
            "ios,     LIVE,       true,  -",
            "ios,     BACKGROUND, true,  signal",
            "ios,     SUSPECT,    true,  deaf",
            "ios,     OFFLINE,    true,  offline",
            "ios,     LIVE,       false, offline",
            "ios,     NEVER,      false, offline",
            "ipados,  LIVE,       true,  -",
            "ipados,  BACKGROUND, true,  signal",
            "ipados,  SUSPECT,    true,  deaf",
            "ipados,  OFFLINE,    true,  offline",
            "watchos, LIVE,       true,  -",
            "watchos, BACKGROUND, true,  signal",
            "watchos, SUSPECT,    true,  deaf",
            "watchos, OFFLINE,    true,  offline",
            "macos,   LIVE,       true,  -",
            "macos,   BACKGROUND, true,  -",
            "macos,   SUSPECT,    true,  -",
            "macos,   OFFLINE,    true,  offline",
            "macos,   LIVE,       false, offline",
            "macos,   NEVER,      false, offline",
            "tvos,    LIVE,       true,  -",
            "tvos,    BACKGROUND, true,  -",
            "tvos,    SUSPECT,    true,  -",
            "tvos,    OFFLINE,    true,  -",
            "tvos,    LIVE,       false, -",
    })
    void eachPlatformIsPushedOnlyInThePresenceItsRoutingAsksFor(String platform, String state, boolean gatewayAlive, String reason) {
        redis.registerDevice(DEVICE, platform, "token-1");
        reach(state);
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m1"), 600));

        Optional<DeviceQueue.Fallback> fallback = join(queue.nextFallback(DEVICE, gatewayAlive, 600));

        if (reason.equals("-")) {
            assertEquals(Optional.empty(), fallback);
            assertNull(redis.sync().hget(KEYS.inboxMeta(), "pushCursor"), "nothing was considered, so nothing is skipped later");
        } else {
            assertEquals(reason, fallback.orElseThrow().reason());
            assertEquals(List.of("m1"), Inbox.ids(fallback.get()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ios", "ipados", "watchos", "macos"})
    void aDeviceWithoutAPushTokenIsReachedThroughItsInboxOnly(String platform) {
        redis.registerDevice(DEVICE, platform, null);
        reach("OFFLINE");
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m1"), 600));

        assertEquals(Optional.empty(), join(queue.nextFallback(DEVICE, true, 600)));
        assertEquals(List.of("m1"), redis.sync().zrange(KEYS.inbox(), 0, -1));
    }

    @Test
    void aPushedEntryStaysInTheInboxAndItsStatusSaysPushWasRequested() {
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m1"), 600));

        DeviceQueue.Fallback fallback = join(queue.nextFallback(DEVICE, true, 600)).orElseThrow();

        assertEquals("0", fallback.previousCursor());
        assertEquals(Inbox.ALERT, fallback.entries().get(0).push());
        Map<String, String> status = redis.sync().hgetall(KEYS.status("m1"));
        assertEquals("push", status.get("route"));
        assertTrue(status.containsKey("pushRequestedAt"));
        assertEquals("queued", status.get("status"), "queued until APNs accepts it");
        assertEquals(List.of("m1"), redis.sync().zrange(KEYS.inbox(), 0, -1));
    }

    // ---- each entry once, nudges, expiry ---------------------------------------------------------------------

    @Test
    void eachEntryIsConsideredForPushOnlyOnce() {
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m1"), 600));
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m2"), 600));
        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow()));

        assertEquals(Optional.empty(), join(queue.nextFallback(DEVICE, true, 600)));

        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m3"), 600));
        DeviceQueue.Fallback next = join(queue.nextFallback(DEVICE, true, 600)).orElseThrow();
        assertEquals(List.of("m3"), Inbox.ids(next));
        assertEquals("2", next.previousCursor());
    }

    @Test
    void anEntryPushedInTheBackgroundIsNotPushedAgainWhenTheDeviceGoesOffline() {
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("BACKGROUND");
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m1"), 600));
        assertEquals("signal", join(queue.nextFallback(DEVICE, true, 600)).orElseThrow().reason());

        presence(Kind.DISCONNECTED);

        assertEquals(Optional.empty(), join(queue.nextFallback(DEVICE, true, 600)));
    }

    @Test
    void dataOnlyMessagesShareOneNudgePerIntervalWhileAlertsEachGetTheirOwnPush() {
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d1"), 600));
        join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d2"), 600));
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "a3"), 600));
        join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d4"), 600));

        assertEquals(List.of("d1", "a3"), Inbox.ids(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow()));

        // within the interval another data-only message gets no nudge of its own
        join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d5"), 600));
        assertEquals(List.of(), Inbox.ids(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow()));
        assertNull(redis.sync().hget(KEYS.status("d5"), "pushRequestedAt"));

        // once the interval has passed the next one does
        redis.sync().hset(KEYS.inboxMeta(), "lastNudgeAt", Long.toString(System.currentTimeMillis() - NUDGE_INTERVAL - 1));
        join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d6"), 600));
        join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d7"), 600));
        assertEquals(List.of("d6"), Inbox.ids(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void anExpiredEntryIsNotPushed() {
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        long past = System.currentTimeMillis() - 1_000;
        join(queue.enqueue(DEVICE, Inbox.entry(DEVICE, "old", "x", past, Inbox.ALERT), 600));
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "fresh"), 600));

        assertEquals(List.of("fresh"), Inbox.ids(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow()));
        assertNull(redis.sync().hget(KEYS.status("old"), "pushRequestedAt"));
    }

    // ---- undo, batches --------------------------------------------------------------------------------------

    @Test
    void anUndoneFallbackPushesTheSameAlertsAgain() {
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m1"), 600));
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m2"), 600));
        DeviceQueue.Fallback first = join(queue.nextFallback(DEVICE, true, 600)).orElseThrow();

        join(queue.undoFallback(DEVICE, first));

        assertNull(redis.sync().hget(KEYS.status("m1"), "pushRequestedAt"));
        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void anUndoneNudgeIsSentOnTheRetry() {
        // GIVEN an offline device whose data-only message was picked for a nudge
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d1"), 600));
        DeviceQueue.Fallback first = join(queue.nextFallback(DEVICE, true, 600)).orElseThrow();
        assertEquals(List.of("d1"), Inbox.ids(first));

        // WHEN the push request could not be written to Kafka, so Router undoes the fallback and the record is retried
        join(queue.undoFallback(DEVICE, first));
        Optional<DeviceQueue.Fallback> retry = join(queue.nextFallback(DEVICE, true, 600));

        // THEN the retry nudges the device: no nudge was sent, so none may count against the interval
        assertEquals(List.of("d1"), retry.map(Inbox::ids).orElse(List.of()));
    }

    @Test
    void aFallbackThatStoppedAtTheBatchLimitSaysMoreEntriesAreWaiting() {
        // GIVEN an offline device with 200 data-only messages followed by an alert
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add("d" + i);
            join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "d" + i), 600));
        }
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "alert"), 600));

        // WHEN the first fallback considers a batch (200 entries) and takes one nudge
        DeviceQueue.Fallback first = join(queue.nextFallback(DEVICE, true, 600)).orElseThrow();
        assertEquals(List.of("d0"), Inbox.ids(first));

        // THEN it tells Router to ask again (Router only does when isFullBatch()), else the alert is never pushed
        assertTrue(first.isFullBatch(), "200 entries were considered and 1 more is waiting, but isFullBatch() is false");
        assertEquals(List.of("alert"), Inbox.ids(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void aFallbackThatConsideredEverythingSaysNothingIsWaiting() {
        redis.registerDevice(DEVICE, "ios", "token-1");
        reach("OFFLINE");
        join(queue.enqueue(DEVICE, Inbox.alert(DEVICE, "m1"), 600));

        assertFalse(join(queue.nextFallback(DEVICE, true, 600)).orElseThrow().isFullBatch());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void reach(String state) {
        if (state.equals("NEVER")) {
            return;
        }
        presence(Kind.CONNECTED);
        presence(Kind.RECEIVING);
        switch (state) {
            case "LIVE" -> { }
            case "BACKGROUND" -> presence(Kind.BACKGROUND);
            case "SUSPECT" -> presence(Kind.ACK_TIMEOUT);
            case "OFFLINE" -> presence(Kind.DISCONNECTED);
            default -> throw new IllegalArgumentException(state);
        }
    }

    private static void presence(Kind kind) {
        assertTrue(join(queue.applyPresence(new PresenceEvent(DEVICE, "gw-a", 3, kind, null, System.currentTimeMillis()))), kind.name());
    }
}
