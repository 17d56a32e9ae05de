package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tether.contract.Json;
import io.tether.contract.TetherEvent;
import io.tether.testkit.RedisFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue scripts in a real redis-server. */
class DeliveryQueuesIT {
    private static final String WEBHOOK = "wh_q";
    private static final String DEVICE = "dev-1";
    private static final int MAX_QUEUED = 2;

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;
    private static DeliveryQueues queues;

    @BeforeAll
    static void connect() {
        connection = REDIS.connect();
        redis = connection.sync();
        queues = new DeliveryQueues(connection.async(), 100, 100, MAX_QUEUED);
    }

    @BeforeEach
    void clean() {
        redis.flushall();
    }

    @Test
    void anEventThatFindsItsDevicesQueueFullIsADeadLetterAtOnce() throws Exception {
        assertEquals(DeliveryQueues.Enqueued.QUEUED, enqueue("evt_1", 1));
        assertEquals(DeliveryQueues.Enqueued.QUEUED, enqueue("evt_2", 2));

        assertEquals(DeliveryQueues.Enqueued.OVERFLOWED, enqueue("evt_3", 3));

        assertEquals(List.of("evt_1", "evt_2"), queued());
        List<DeadLetter> dead = get(queues.deadLetters(WEBHOOK, OptionalLong.empty(), 10)).items();
        assertEquals(1, dead.size());
        assertEquals("evt_3", dead.get(0).entry().eventId());
        assertEquals(0, dead.get(0).attempts());
        assertTrue(dead.get(0).lastError().startsWith("queue full"), dead.get(0).lastError());
        assertEquals(DeliveryQueues.Enqueued.ALREADY_TAKEN, enqueue("evt_3", 3), "read again after a restart");
        assertEquals(1, get(queues.deadLetters(WEBHOOK, OptionalLong.empty(), 10)).items().size());
    }

    @Test
    void aDeadLetterKeepsWhenTheQueueStartedFailingForTheEventsBehindItUntilTheQueueRunsEmpty() throws Exception {
        enqueue("evt_1", 1);
        enqueue("evt_2", 2);
        DeliveryQueues.Head first = head();
        get(queues.settle(WEBHOOK, first, 100, 5_000, attempt(first, "retrying"), "HTTP 500"));
        first = head();
        get(queues.settle(WEBHOOK, first, 200, -1, attempt(first, "dead"), "HTTP 500"));

        DeliveryQueues.Head second = head();
        assertEquals("evt_2", second.entry().eventId());
        assertEquals(0, second.failures(), "the new head's attempts are its own");
        assertEquals(100, second.firstFailureAt(), "the queue has been failing since the first head's first failure");

        get(queues.settle(WEBHOOK, second, 300, -1, attempt(second, "dead"), "HTTP 500"));
        enqueue("evt_3", 3);
        DeliveryQueues.Head third = head();
        assertEquals(0, third.firstFailureAt(), "an event queued after the queue ran empty starts afresh");
    }

    @Test
    void aDeliveryResetsWhenTheQueueStartedFailing() throws Exception {
        enqueue("evt_1", 1);
        enqueue("evt_2", 2);
        DeliveryQueues.Head first = head();
        get(queues.settle(WEBHOOK, first, 100, 5_000, attempt(first, "retrying"), "HTTP 500"));
        first = head();
        get(queues.settle(WEBHOOK, first, 200, 0, attempt(first, "delivered"), null));

        DeliveryQueues.Head second = head();
        assertEquals(0, second.failures());
        assertEquals(0, second.firstFailureAt());
    }

    @Test
    void theHeadOfAnEmptyQueueTakesTheDeviceOffTheDueSetAndOfAnotherLeavesItDue() throws Exception {
        redis.zadd(DeliveryQueues.due(WEBHOOK), 60_000, DEVICE);

        assertTrue(get(queues.head(WEBHOOK, DEVICE)).isEmpty());
        assertNull(redis.zscore(DeliveryQueues.due(WEBHOOK), DEVICE));

        enqueue("evt_1", 1);
        assertEquals("evt_1", head().entry().eventId());
        assertEquals(50.0, redis.zscore(DeliveryQueues.due(WEBHOOK), DEVICE));
    }

    @Test
    void anEventQueuedWhileTheHeadFindsTheQueueEmptyKeepsItsDeviceDue() throws Exception {
        // The dispatcher claimed the device (leased: due later) and its queue is empty.
        redis.zadd(DeliveryQueues.due(WEBHOOK), 60_000, DEVICE);
        // The event is queued at the latest moment head() leaves open: before it takes the device off the due set
        // with a command of its own, if it sends one; else right after it (nothing can come between inside a script).
        // A client of its own for head(): the step may run on that client's event loop, and waits for the other one.
        RedisClient headClient = RedisClient.create(REDIS.uri());
        try {
            Interleaving racing = new Interleaving(headClient.connect().async(), "zrem", () -> {
                try {
                    enqueue("evt_1", 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DeliveryQueues heads = new DeliveryQueues(racing.commands(), 100, 100, MAX_QUEUED);

            get(heads.head(WEBHOOK, DEVICE));
            racing.runIfNotYet();
        } finally {
            headClient.shutdown();
        }

        assertEquals(List.of("evt_1"), queued());
        assertNotNull(redis.zscore(DeliveryQueues.due(WEBHOOK), DEVICE), "a device with a queued event must be due");
    }

    @Test
    void forgettingAWebhookRemovesItsQueuesBookkeepingLogAndDeadLettersLeavingOnlyATombstone() throws Exception {
        enqueue("evt_1", 1);
        enqueue("evt_2", 2);
        enqueue("evt_3", 3); // overflows: a dead letter
        DeliveryQueues.Head first = head();
        get(queues.settle(WEBHOOK, first, 100, 5_000, attempt(first, "retrying"), "HTTP 500"));
        // A device whose queue ran empty: its bookkeeping (the dedupe offset) is listed nowhere.
        QueueEntry drained = new QueueEntry("evt_9", TetherEvent.MESSAGE_STATUS, "dev-drained", "{}");
        get(queues.enqueue(WEBHOOK, drained, 1, 9, 50));
        DeliveryQueues.Head only = get(queues.head(WEBHOOK, "dev-drained")).orElseThrow();
        get(queues.settle(WEBHOOK, only, 100, 0, attempt(only, "delivered"), null));
        // Enough devices due for several batches.
        for (int i = 0; i < 1_200; i++) {
            QueueEntry entry = new QueueEntry("evt_d" + i, TetherEvent.MESSAGE_STATUS, "dev-d" + i, "{}");
            queues.enqueue(WEBHOOK, entry, 2, i, 50);
        }
        get(queues.enqueue(WEBHOOK, new QueueEntry("evt_last", TetherEvent.MESSAGE_STATUS, "dev-last", "{}"), 3, 1, 50));
        assertTrue(redis.keys(prefix() + "*").size() > 2_400);

        get(queues.forget(WEBHOOK));

        assertEquals(List.of(DeliveryQueues.tombstone(WEBHOOK), DeliveryQueues.meta(WEBHOOK, "dev-drained")),
                redis.keys(prefix() + "*").stream().sorted().toList());
        long metaTtl = redis.ttl(DeliveryQueues.meta(WEBHOOK, "dev-drained"));
        assertTrue(metaTtl > 0 && metaTtl <= 7 * 24 * 3600, "expires on its own: " + metaTtl);
        long tombstoneTtl = redis.ttl(DeliveryQueues.tombstone(WEBHOOK));
        assertTrue(tombstoneTtl > 0 && tombstoneTtl <= DeliveryQueues.TOMBSTONE_TTL_SECONDS, "expires: " + tombstoneTtl);
        assertEquals(List.of(), redis.keys("tether:{wh:other}:*"));
    }

    @Test
    void writesThatComeAfterTheWebhookWasForgottenRecreateNothing() throws Exception {
        enqueue("evt_1", 1);
        enqueue("evt_2", 2);
        enqueue("evt_3", 3); // a dead letter to replay
        DeliveryQueues.Head inFlight = head();

        get(queues.forget(WEBHOOK));

        // An attempt that was in flight settles; an intake that still holds the webhook queues; a replay comes late.
        assertEquals(DeliveryQueues.Settled.GONE, get(queues.settle(WEBHOOK, inFlight, 100, 0, attempt(inFlight, "delivered"), null)));
        assertEquals(DeliveryQueues.Settled.GONE, get(queues.settle(WEBHOOK, inFlight, 100, -1, attempt(inFlight, "dead"), "HTTP 500")));
        assertEquals(DeliveryQueues.Enqueued.WEBHOOK_GONE, enqueue("evt_4", 4));
        assertTrue(get(queues.head(WEBHOOK, DEVICE)).isEmpty());
        assertEquals(0, get(queues.claim(WEBHOOK, 1_000, 61_000, 10)).due());

        assertEquals(List.of(DeliveryQueues.tombstone(WEBHOOK)), redis.keys(prefix() + "*"));
    }

    @Test
    void aReplayThatReadTheDeadLettersBeforeTheDeleteRecreatesNothing() throws Exception {
        enqueue("evt_1", 1);
        enqueue("evt_2", 2);
        enqueue("evt_3", 3); // a dead letter
        // The delete comes between the replay's read of the dead letters and its first move.
        RedisClient replayClient = RedisClient.create(REDIS.uri());
        try {
            Interleaving racing = new Interleaving(replayClient.connect().async(), "evalsha", () -> {
                try {
                    get(queues.forget(WEBHOOK));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DeliveryQueues replays = new DeliveryQueues(racing.commands(), 100, 100, MAX_QUEUED);

            assertEquals(0, get(replays.replay(WEBHOOK, Set.of(), 100)));
        } finally {
            replayClient.shutdown();
        }

        assertEquals(List.of(DeliveryQueues.tombstone(WEBHOOK)), redis.keys(prefix() + "*"));
    }

    @Test
    void everyDeadLetterKeptIsListedPageByPageNewestFirstAndCanBeReplayed() throws Exception {
        // No room in any queue: every event is a dead letter at once.
        DeliveryQueues full = new DeliveryQueues(connection.async(), 100, 10_000, 0);
        for (int i = 0; i < 2_500; i++) {
            full.enqueue(WEBHOOK, new QueueEntry("evt_" + i, TetherEvent.MESSAGE_STATUS, DEVICE, "{}"), 0, i + 1, 50);
        }
        get(full.enqueue(WEBHOOK, new QueueEntry("evt_2500", TetherEvent.MESSAGE_STATUS, DEVICE, "{}"), 0, 2_501, 50));

        DeliveryQueues.DeadLetterPage first = get(queues.deadLetters(WEBHOOK, OptionalLong.empty(), 1_000));
        // Meanwhile a letter comes and one of the next page is replayed: the cursor still goes on where the page ended.
        get(full.enqueue(WEBHOOK, new QueueEntry("evt_new", TetherEvent.MESSAGE_STATUS, DEVICE, "{}"), 0, 2_502, 50));
        assertEquals(1, get(queues.replay(WEBHOOK, Set.of("evt_1400"), 60)));
        DeliveryQueues.DeadLetterPage second = get(queues.deadLetters(WEBHOOK, first.next(), 1_000));
        DeliveryQueues.DeadLetterPage third = get(queues.deadLetters(WEBHOOK, second.next(), 1_000));

        List<String> listed = new ArrayList<>();
        for (DeliveryQueues.DeadLetterPage page : List.of(first, second, third)) {
            page.items().forEach(dead -> listed.add(dead.entry().eventId()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 2_500; i >= 0; i--) {
            if (i != 1_400) {
                expected.add("evt_" + i);
            }
        }
        assertEquals(expected, listed);
        assertEquals(1_000, first.items().size());
        assertTrue(first.next().isPresent() && second.next().isPresent());
        assertTrue(third.next().isEmpty(), "the last page says so");
        assertEquals(List.of("evt_1400"), queued());

        // Deep down the dead letters, far beyond the first page.
        assertEquals(2, get(queues.replay(WEBHOOK, Set.of("evt_3", "evt_0"), 70)));
        assertEquals(List.of("evt_1400", "evt_0", "evt_3"), queued(), "oldest first");
    }

    @Test
    void onlyTheNewestDeadLettersAreKept() throws Exception {
        DeliveryQueues full = new DeliveryQueues(connection.async(), 100, 3, 0);
        for (int i = 1; i <= 5; i++) {
            get(full.enqueue(WEBHOOK, new QueueEntry("evt_" + i, TetherEvent.MESSAGE_STATUS, DEVICE, "{}"), 0, i, 50));
        }

        assertEquals(List.of("evt_5", "evt_4", "evt_3"), get(full.deadLetters(WEBHOOK, OptionalLong.empty(), 10)).items().stream()
                .map(dead -> dead.entry().eventId()).toList());
    }

    @Test
    void deadLettersKeptInTheListOfEarlierVersionsAreListedAndReplayedInTheirOrder() throws Exception {
        // Earlier versions pushed each dead letter on the head of a list.
        for (int i = 1; i <= 3; i++) {
            oldInstanceBuries("evt_old" + i, i);
        }
        DeliveryQueues full = new DeliveryQueues(connection.async(), 100, 100, 0);
        get(full.enqueue(WEBHOOK, new QueueEntry("evt_new", TetherEvent.MESSAGE_STATUS, DEVICE, "{}"), 0, 1, 50));
        assertEquals(0, redis.exists(DeliveryQueues.legacyDeadLetters(WEBHOOK)), "moved into the set");

        // An instance of the earlier version, still running during the deploy, keeps using its list: nothing fails.
        oldInstanceBuries("evt_old4", 4);
        assertEquals(1, redis.lrange(DeliveryQueues.legacyDeadLetters(WEBHOOK), 0, -1).size(), "what an old instance lists");

        DeliveryQueues.DeadLetterPage first = get(queues.deadLetters(WEBHOOK, OptionalLong.empty(), 2));
        DeliveryQueues.DeadLetterPage second = get(queues.deadLetters(WEBHOOK, first.next(), 2));
        DeliveryQueues.DeadLetterPage third = get(queues.deadLetters(WEBHOOK, second.next(), 2));
        assertEquals(List.of("evt_old4", "evt_new", "evt_old3", "evt_old2", "evt_old1"), java.util.stream.Stream.of(first, second, third)
                .flatMap(page -> page.items().stream()).map(dead -> dead.entry().eventId()).toList());
        assertEquals("HTTP 500", third.items().get(0).lastError());
        assertTrue(third.next().isEmpty());

        assertEquals(2, get(queues.replay(WEBHOOK, Set.of("evt_old1", "evt_old2"), 60)));
        assertEquals(List.of("evt_old1", "evt_old2"), queued());
        // The earlier version's replay finds nothing left in its list, and fails on nothing.
        assertEquals(List.of(), redis.lrange(DeliveryQueues.legacyDeadLetters(WEBHOOK), 0, -1));
        assertEquals(0, redis.lrem(DeliveryQueues.legacyDeadLetters(WEBHOOK), 1, "x"));
    }

    @Test
    void deadLettersAnEarlierVersionAddsAfterTheSetExistsAreMovedInByTheNextPageOrReplayOrBurial() throws Exception {
        DeliveryQueues full = new DeliveryQueues(connection.async(), 100, 100, 0);
        get(full.enqueue(WEBHOOK, new QueueEntry("evt_1", TetherEvent.MESSAGE_STATUS, DEVICE, "{}"), 0, 1, 50));
        assertEquals("zset", redis.type(DeliveryQueues.deadLetters(WEBHOOK)));

        // An old instance's settle and overflow bury theirs in the list; its paging and replay read it, none fails.
        oldInstanceBuries("evt_old_a", 10);
        oldInstanceBuries("evt_old_b", 11);
        assertEquals(2, redis.lrange(DeliveryQueues.legacyDeadLetters(WEBHOOK), 0, -1).size());

        // A replay by event id finds one of them (the move happens in the scripts it runs).
        assertEquals(1, get(queues.replay(WEBHOOK, Set.of("evt_old_a"), 60)));
        assertEquals(List.of("evt_old_a"), queued());
        assertEquals(0, redis.exists(DeliveryQueues.legacyDeadLetters(WEBHOOK)));

        // Another one comes later: the next page lists it, as the newest.
        oldInstanceBuries("evt_old_c", 12);
        assertEquals(List.of("evt_old_c", "evt_old_b", "evt_1"), get(queues.deadLetters(WEBHOOK, OptionalLong.empty(), 10)).items()
                .stream().map(dead -> dead.entry().eventId()).toList());

        // And one more, moved in by a new instance's burial before its own letter.
        oldInstanceBuries("evt_old_d", 13);
        get(full.enqueue(WEBHOOK, new QueueEntry("evt_2", TetherEvent.MESSAGE_STATUS, DEVICE, "{}"), 0, 2, 50));
        assertEquals(List.of("evt_2", "evt_old_d", "evt_old_c", "evt_old_b", "evt_1"), get(queues.deadLetters(WEBHOOK,
                OptionalLong.empty(), 10)).items().stream().map(dead -> dead.entry().eventId()).toList());

        // A delete removes both.
        oldInstanceBuries("evt_old_e", 14);
        get(queues.forget(WEBHOOK));
        assertEquals(List.of(DeliveryQueues.tombstone(WEBHOOK)), redis.keys(prefix() + "*"));
    }

    /** What an instance of the earlier version does to bury a dead letter (in its enqueue and settle scripts). */
    private static void oldInstanceBuries(String eventId, long at) {
        QueueEntry entry = new QueueEntry(eventId, TetherEvent.MESSAGE_STATUS, DEVICE, "{}");
        String letter = Json.toString(new DeadLetter(entry, at, 1, "HTTP 500"));
        redis.eval("redis.call('LPUSH', KEYS[1], ARGV[1]) redis.call('LTRIM', KEYS[1], 0, 99) return 1",
                io.lettuce.core.ScriptOutputType.INTEGER, new String[] {DeliveryQueues.legacyDeadLetters(WEBHOOK)}, letter);
    }

    private static String prefix() {
        return "tether:{wh:" + WEBHOOK + "}:";
    }

    private static DeliveryQueues.Enqueued enqueue(String eventId, long offset) throws Exception {
        QueueEntry entry = new QueueEntry(eventId, TetherEvent.MESSAGE_STATUS, DEVICE, "{\"id\":\"" + eventId + "\"}");
        return get(queues.enqueue(WEBHOOK, entry, 0, offset, 50));
    }

    private static DeliveryQueues.Head head() throws Exception {
        return get(queues.head(WEBHOOK, DEVICE)).orElseThrow();
    }

    private static Attempt attempt(DeliveryQueues.Head head, String outcome) {
        return new Attempt(head.entry().eventId(), head.entry().type(), DEVICE, head.failures() + 1, 0, 0, outcome, null, null, null);
    }

    private static List<String> queued() {
        return redis.lrange(DeliveryQueues.queue(WEBHOOK, DEVICE), 0, -1).stream().map(raw -> QueueEntry.fromJson(raw).eventId()).toList();
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
