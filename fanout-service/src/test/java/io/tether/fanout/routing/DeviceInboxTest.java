package io.tether.fanout.routing;

import static io.tether.fanout.routing.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.RedisKeys;
import java.nio.file.Path;
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

/** enqueue.lua, dispatch.lua, settle.lua and pushed.lua through {@link DeviceQueue}, against a real redis-server. */
class DeviceInboxTest {
    private static final String DEVICE = "dev-inbox";
    private static final RedisKeys.Device KEYS = RedisKeys.device(DEVICE);

    @TempDir
    static Path dir;

    private static TestRedis redis;

    @BeforeAll
    static void start() {
        redis = TestRedis.start(dir);
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.flush();
    }

    private static DeviceQueue queue(int maxMessages, long maxBytes, int window) {
        return new DeviceQueue(redis.async(), new DeviceQueue.InboxLimits(maxMessages, maxBytes, window, 30_000));
    }

    private static DeviceQueue queue() {
        return queue(100, 1_000_000, 10);
    }

    // ---- enqueue.lua ----------------------------------------------------------------------------------------

    @Test
    void aMessageForAKnownDeviceIsQueuedInItsInboxWithItsStatus() {
        redis.registerDevice(DEVICE, "ios", null);
        InboxEntry entry = Inbox.data(DEVICE, "m1");

        assertEquals("queued", join(queue().enqueue(DEVICE, entry, 600)));

        assertEquals(List.of("m1"), redis.sync().zrange(KEYS.inbox(), 0, -1));
        InboxEntry stored = InboxEntry.fromJson(redis.sync().hget(KEYS.inboxData(), "m1"));
        assertEquals(entry.messageId(), stored.messageId());
        assertArrayEquals(entry.payload(), stored.payload());
        assertEquals(Long.toString(entry.size()), redis.sync().hget(KEYS.inboxMeta(), "bytes"));
        Map<String, String> status = status("m1");
        assertEquals("queued", status.get("status"));
        assertEquals("inbox", status.get("route"));
        assertEquals("0", status.get("attempts"));
        long ttl = redis.sync().ttl(KEYS.status("m1"));
        assertTrue(ttl > 0 && ttl <= 600, "status expires with the given ttl, was " + ttl);
    }

    @Test
    void aDuplicateMessageIdAnswersTheExistingStatusAndIsNotQueuedTwice() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        assertEquals("queued", join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "m1"), 600)));

        assertEquals("queued", join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "m1"), 600)));
        assertEquals(1L, redis.sync().zcard(KEYS.inbox()));
        assertEquals("1", redis.sync().hget(KEYS.inboxMeta(), "seq"));

        assertTrue(join(queue.settle(DEVICE, "m1", "delivered", null, "live", 600)));
        assertEquals("delivered", join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "m1"), 600)));
        assertEquals(0L, redis.sync().zcard(KEYS.inbox()));
    }

    @Test
    void enqueueTellsTheInboxDepthWhenItQueuesAndTheReasonWhenItFails() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue(2, 1_000_000, 10);
        assertEquals(new DeviceQueue.Enqueued("queued", 1, null), join(queue.enqueueCounted(DEVICE, Inbox.data(DEVICE, "m1"), 600)));
        assertEquals(new DeviceQueue.Enqueued("queued", 2, null), join(queue.enqueueCounted(DEVICE, Inbox.data(DEVICE, "m2"), 600)));
        // A re-consumed record: neither queued nor failed by this call.
        DeviceQueue.Enqueued again = join(queue.enqueueCounted(DEVICE, Inbox.data(DEVICE, "m2"), 600));
        assertEquals(new DeviceQueue.Enqueued("queued", -1, null), again);
        assertFalse(again.queuedNow());
        assertEquals(new DeviceQueue.Enqueued("failed", -1, "inbox-full"), join(queue.enqueueCounted(DEVICE, Inbox.data(DEVICE, "m3"), 600)));
        assertEquals(new DeviceQueue.Enqueued("failed", -1, null), join(queue.enqueueCounted(DEVICE, Inbox.data(DEVICE, "m3"), 600)));
    }

    @Test
    void aMessageForAnUnknownDeviceFailsWithUnknownDevice() {
        assertEquals("failed", join(queue().enqueue(DEVICE, Inbox.data(DEVICE, "m1"), 600)));

        assertEquals("unknown-device", status("m1").get("reason"));
        assertEquals(0L, redis.sync().zcard(KEYS.inbox()));
        assertTrue(redis.sync().ttl(KEYS.status("m1")) > 0);
    }

    @Test
    void theInboxIsBoundedByCount() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue(2, 1_000_000, 10);
        Inbox.enqueue(queue, DEVICE, "m1", "m2");

        assertEquals("failed", join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "m3"), 600)));

        assertEquals("inbox-full", status("m3").get("reason"));
        assertEquals(List.of("m1", "m2"), redis.sync().zrange(KEYS.inbox(), 0, -1));
        // a failed message stays failed when its record is consumed again
        assertEquals("failed", join(queue.enqueue(DEVICE, Inbox.data(DEVICE, "m3"), 600)));
    }

    @Test
    void theInboxIsBoundedByPayloadBytesAndFreesThemOnSettle() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue(100, 10, 10);
        long later = System.currentTimeMillis() + Inbox.HOUR;

        assertEquals("queued", join(queue.enqueue(DEVICE, Inbox.entry(DEVICE, "m1", "123456", later, null), 600)));
        assertEquals("failed", join(queue.enqueue(DEVICE, Inbox.entry(DEVICE, "m2", "12345", later, null), 600)));
        assertEquals("inbox-full", status("m2").get("reason"));
        // exactly at the bound is still accepted
        assertEquals("queued", join(queue.enqueue(DEVICE, Inbox.entry(DEVICE, "m3", "1234", later, null), 600)));
        assertEquals("10", redis.sync().hget(KEYS.inboxMeta(), "bytes"));

        join(queue.settle(DEVICE, "m1", "delivered", null, "live", 600));

        assertEquals("4", redis.sync().hget(KEYS.inboxMeta(), "bytes"));
        assertEquals("queued", join(queue.enqueue(DEVICE, Inbox.entry(DEVICE, "m4", "123456", later, null), 600)));
    }

    // ---- dispatch.lua ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "offline ios,                        ios,   OFFLINE",
            "live ios not yet subscribed,        ios,   LIVE_NOT_RECEIVING",
            "background ios,                     ios,   BACKGROUND",
            "suspect ios,                        ios,   SUSPECT",
            "suspect macos,                      macos, SUSPECT",
            "offline macos,                      macos, OFFLINE",
            "background tvos,                    tvos,  BACKGROUND",
            "background watchos,                 watchos, BACKGROUND",
            "never connected,                    ios,   NONE",
    })
    void deliveriesAreHeldUnlessTheDeviceIsLiveAndReceiving(String name, String platform, String presence) {
        redis.registerDevice(DEVICE, platform, "token");
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");
        switch (presence) {
            case "NONE" -> { }
            case "LIVE_NOT_RECEIVING" -> presence(queue, Kind.CONNECTED);
            default -> {
                presence(queue, Kind.CONNECTED);
                presence(queue, Kind.RECEIVING);
                presence(queue, switch (presence) {
                    case "OFFLINE" -> Kind.DISCONNECTED;
                    case "BACKGROUND" -> Kind.BACKGROUND;
                    case "SUSPECT" -> Kind.ACK_TIMEOUT;
                    default -> throw new IllegalArgumentException(presence);
                });
            }
        }

        assertEquals(Optional.empty(), join(queue.nextDispatch(DEVICE, true, 600)));
        assertEquals(List.of("m1"), redis.sync().zrange(KEYS.inbox(), 0, -1));
        assertEquals("inbox", status("m1").get("route"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ios", "ipados", "macos", "tvos", "watchos"})
    void aLiveReceivingDeviceOfAnyPlatformIsSentItsMessagesThroughItsGateway(String platform) {
        redis.registerDevice(DEVICE, platform, "token");
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");
        liveAndReceiving(queue);

        DeviceQueue.Dispatch dispatch = join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow();

        assertEquals("gw-a", dispatch.gatewayId());
        assertEquals(7L, dispatch.epoch());
        assertEquals(List.of("m1"), Inbox.ids(dispatch));
        assertEquals("live", status("m1").get("route"));
        assertEquals("1", status("m1").get("attempts"));
        assertEquals("queued", status("m1").get("status"));
    }

    @Test
    void aMacDeviceInTheBackgroundIsStillSentItsMessagesLive() {
        redis.registerDevice(DEVICE, "macos", "token");
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");
        liveAndReceiving(queue);
        presence(queue, Kind.BACKGROUND);

        assertEquals(List.of("m1"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void nothingIsSentLiveWhenTheDevicesGatewayStoppedHeartbeating() {
        redis.registerDevice(DEVICE, "macos", "token");
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");
        liveAndReceiving(queue);

        assertEquals(Optional.empty(), join(queue.nextDispatch(DEVICE, false, 600)));
        // once it heartbeats again the message was not lost or skipped
        assertEquals(List.of("m1"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void messagesGoOutInTheOrderTheyWereQueuedNotByTheirIds() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m-c", "m-a", "m-d", "m-b");
        liveAndReceiving(queue);

        assertEquals(List.of("m-c", "m-a", "m-d", "m-b"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void atMostAWindowOfDeliveriesAwaitsAcknowledgementAndEachAckMakesRoomForTheNext() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue(100, 1_000_000, 2);
        Inbox.enqueue(queue, DEVICE, "m1", "m2", "m3", "m4");
        liveAndReceiving(queue);

        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
        DeviceQueue.Dispatch full = join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow();
        assertEquals(List.of(), Inbox.ids(full), "window full: nothing more, but the device is still live");
        assertEquals("gw-a", full.gatewayId());

        assertTrue(join(queue.settle(DEVICE, "m2", "delivered", null, "live", 600)));
        assertEquals(List.of("m3"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
        assertEquals(List.of(), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));

        join(queue.settle(DEVICE, "m1", "delivered", null, "live", 600));
        join(queue.settle(DEVICE, "m3", "delivered", null, "live", 600));
        assertEquals(List.of("m4"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void aMessageEnqueuedWhileOthersAreInFlightQueuesBehindThem() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue(100, 1_000_000, 10);
        Inbox.enqueue(queue, DEVICE, "m1", "m2");
        liveAndReceiving(queue);
        assertEquals(List.of("m1", "m2"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));

        Inbox.enqueue(queue, DEVICE, "m3");

        assertEquals(List.of("m3"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
    }

    @Test
    void anExpiredEntryIsSettledAsExpiredInsteadOfBeingSent() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        long past = System.currentTimeMillis() - 1_000;
        assertEquals("queued", join(queue.enqueue(DEVICE, Inbox.entry(DEVICE, "old", "abc", past, null), 600)));
        Inbox.enqueue(queue, DEVICE, "fresh");
        liveAndReceiving(queue);

        DeviceQueue.Dispatch dispatch = join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow();
        assertEquals(List.of("fresh"), Inbox.ids(dispatch));
        assertEquals(1, dispatch.expired(), "the dispatch tells how many it expired, for tether_messages_status_total");

        assertEquals("expired", status("old").get("status"));
        assertEquals(List.of("fresh"), redis.sync().zrange(KEYS.inbox(), 0, -1));
        assertFalse(redis.sync().hexists(KEYS.inboxData(), "old"));
        assertEquals(Long.toString("data-fresh".length()), redis.sync().hget(KEYS.inboxMeta(), "bytes"));
    }

    @Test
    void aWindowFullOfExpiredEntriesDoesNotHoldBackTheFreshOnesBehindIt() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue(100, 1_000_000, 2);
        long past = System.currentTimeMillis() - 1_000;
        for (String id : List.of("old1", "old2", "old3")) {
            join(queue.enqueue(DEVICE, Inbox.entry(DEVICE, id, "abc", past, null), 600));
        }
        Inbox.enqueue(queue, DEVICE, "fresh1", "fresh2", "fresh3");
        liveAndReceiving(queue);

        assertEquals(List.of("fresh1", "fresh2"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
        assertEquals("expired", status("old3").get("status"));
    }

    @Test
    void rewindSendsEverythingUnacknowledgedAgain() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1", "m2", "m3");
        liveAndReceiving(queue);
        assertEquals(List.of("m1", "m2", "m3"), Inbox.ids(join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow()));
        join(queue.settle(DEVICE, "m2", "delivered", null, "live", 600));

        join(queue.rewind(DEVICE));

        DeviceQueue.Dispatch again = join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow();
        assertEquals(List.of("m1", "m3"), Inbox.ids(again));
        assertEquals("2", status("m1").get("attempts"));
    }

    @Test
    void theEntryHandedOverIsTheEntryThatWasQueued() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        InboxEntry entry = new InboxEntry("m1", "devices/" + DEVICE + "/chat/7", new byte[] {0, 1, 2, (byte) 0xff},
                "application/octet-stream", 100, System.currentTimeMillis() + Inbox.HOUR, 4, "chat-7", Inbox.ALERT,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        join(queue.enqueue(DEVICE, entry, 600));
        liveAndReceiving(queue);

        InboxEntry sent = join(queue.nextDispatch(DEVICE, true, 600)).orElseThrow().entries().get(0);

        assertEquals(entry.mqttTopic(), sent.mqttTopic());
        assertArrayEquals(entry.payload(), sent.payload());
        assertEquals(entry.contentType(), sent.contentType());
        assertEquals(entry.expiresAt(), sent.expiresAt());
        assertEquals(entry.collapseKey(), sent.collapseKey());
        assertEquals(entry.push(), sent.push());
        assertEquals(entry.traceparent(), sent.traceparent());
    }

    // ---- settle.lua -----------------------------------------------------------------------------------------

    @Test
    void settlingAsDeliveredTakesTheMessageOutOfTheInboxAndRecordsWhen() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");

        assertTrue(join(queue.settle(DEVICE, "m1", "delivered", null, "live", 120)));

        Map<String, String> status = status("m1");
        assertEquals("delivered", status.get("status"));
        assertEquals("live", status.get("route"));
        assertTrue(status.containsKey("deliveredAt"));
        assertNull(status.get("reason"));
        assertEquals(0L, redis.sync().zcard(KEYS.inbox()));
        assertEquals(0L, redis.sync().hlen(KEYS.inboxData()));
        assertEquals("0", redis.sync().hget(KEYS.inboxMeta(), "bytes"));
        long ttl = redis.sync().ttl(KEYS.status("m1"));
        assertTrue(ttl > 0 && ttl <= 120, "final status kept for the final ttl, was " + ttl);
    }

    @Test
    void settlingAsFailedRecordsTheReason() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");

        assertTrue(join(queue.settle(DEVICE, "m1", "failed", "puback-0x87", "live", 600)));

        assertEquals("failed", status("m1").get("status"));
        assertEquals("puback-0x87", status("m1").get("reason"));
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
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");
        assertTrue(join(queue.settle(DEVICE, "m1", first, first.equals("failed") ? "why" : null, "live", 600)));
        Map<String, String> before = status("m1");

        assertFalse(join(queue.settle(DEVICE, "m1", second, "other", "push", 600)));
        assertFalse(join(queue.markPushed(DEVICE, "m1", "apns-1", 600)));

        assertEquals(before, status("m1"));
    }

    @Test
    void aPushedMessageIsDeliveredWhenTheDeviceAcknowledgesItLater() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");
        assertTrue(join(queue.markPushed(DEVICE, "m1", "apns-1", 600)));

        assertTrue(join(queue.settle(DEVICE, "m1", "delivered", null, "live", 600)));

        assertEquals("delivered", status("m1").get("status"));
        assertEquals("apns-1", status("m1").get("apnsId"));
    }

    // ---- pushed.lua -----------------------------------------------------------------------------------------

    @Test
    void pushedRecordsApnsAcceptanceAndLeavesTheMessageInTheInbox() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");

        assertTrue(join(queue.markPushed(DEVICE, "m1", "apns-1", 600)));

        Map<String, String> status = status("m1");
        assertEquals("pushed", status.get("status"));
        assertEquals("apns-1", status.get("apnsId"));
        assertTrue(status.containsKey("pushedAt"));
        assertEquals(List.of("m1"), redis.sync().zrange(KEYS.inbox(), 0, -1), "the inbox still carries the data");
    }

    @Test
    void aPushFailureKeepsTheMessageQueuedWithAReasonThatALaterPushClears() {
        redis.registerDevice(DEVICE, "ios", null);
        DeviceQueue queue = queue();
        Inbox.enqueue(queue, DEVICE, "m1");

        join(queue.markPushFailed(DEVICE, "m1", "TooManyRequests"));
        assertEquals("queued", status("m1").get("status"));
        assertEquals("push-failed: TooManyRequests", status("m1").get("reason"));

        assertTrue(join(queue.markPushed(DEVICE, "m1", null, 600)));
        assertEquals("pushed", status("m1").get("status"));
        assertNull(status("m1").get("reason"));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void liveAndReceiving(DeviceQueue queue) {
        presence(queue, Kind.CONNECTED);
        presence(queue, Kind.RECEIVING);
    }

    private static void presence(DeviceQueue queue, Kind kind) {
        assertTrue(join(queue.applyPresence(new PresenceEvent(DEVICE, "gw-a", 7, kind, null, System.currentTimeMillis()))), kind.name());
    }

    private static Map<String, String> status(String messageId) {
        return redis.sync().hgetall(KEYS.status(messageId));
    }
}
