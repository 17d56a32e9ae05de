package io.tether.webhook.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.TetherEvent;
import io.tether.testkit.RedisFixture;
import io.tether.webhook.registry.DestinationCheck;
import io.tether.webhook.registry.Webhook;
import io.tether.webhook.registry.WebhookDirectory;
import io.tether.webhook.registry.WebhookStore;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dispatcher with its queues in a real redis-server, sending to receivers on local sockets. */
class DispatcherIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static RedisAsyncCommands<String, String> redis;

    /** The dispatcher's clock: moved by the test only. */
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private WebhookStore store;
    private WebhookDirectory directory;
    private DeliveryQueues queues;
    private Dispatcher dispatcher;
    private ScheduledExecutorService ticker;
    private long offset;

    @BeforeAll
    static void connect() {
        redis = REDIS.connect().async();
    }

    @BeforeEach
    void clean() throws Exception {
        redis.flushall().get(5, TimeUnit.SECONDS);
        store = new WebhookStore(redis);
        directory = new WebhookDirectory(store::all);
        queues = new DeliveryQueues(redis, 1000, 1000, 1000);
    }

    @AfterEach
    void stop() throws Exception {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (dispatcher != null) {
            // The receivers are gone: every attempt ends, and nothing settles after this test.
            await().atMost(WAIT).until(() -> dispatcher.inFlight() == 0);
        }
    }

    @Test
    void aReceiverThatNeverAnswersHoldsOnlyItsShareOfTheSlotsAndAnotherWebhookIsStillDelivered() throws Exception {
        SilentReceiver dead = closing(new SilentReceiver());
        RecordingReceiver alive = closing(new RecordingReceiver(204));
        Webhook older = webhook("wh_dead", dead.url(), 1);
        Webhook newer = webhook("wh_alive", alive.url(), 2);
        for (int i = 0; i < 10; i++) {
            enqueue(older, "dev-" + i, "evt_dead_" + i);
        }
        enqueue(newer, "dev-x", "evt_alive");
        // Attempts on the dead receiver outlast the test: only the share keeps them from taking every slot.
        start(4, Duration.ofMinutes(10), Duration.ofHours(24));

        await().atMost(WAIT).until(() -> outcomes(newer), equalTo(List.of("delivered")));
        assertEquals(List.of("evt_alive"), alive.eventIds());
        assertTrue(dead.connections() > 0, "the dead receiver was tried, and holds slots");
    }

    @Test
    void withMoreBusyWebhooksThanSlotsEachTickStartsAtTheNextWebhook() throws Exception {
        SilentReceiver slow = closing(new SilentReceiver());
        RecordingReceiver alive = closing(new RecordingReceiver(204));
        Webhook older = webhook("wh_slow", slow.url(), 1);
        Webhook newer = webhook("wh_next", alive.url(), 2);
        for (int i = 0; i < 10; i++) {
            enqueue(older, "dev-" + i, "evt_slow_" + i);
        }
        enqueue(newer, "dev-x", "evt_next");
        dispatcher = dispatcher(1, Duration.ofMillis(200), Duration.ofHours(24));

        // One slot: each tick gives it to the first webhook in its order with something due, and the attempt on the
        // slow receiver ends (times out) before the next tick. Were every tick to start at the older webhook, the
        // newer one would wait for all ten of the older one's devices.
        for (int tick = 0; tick < 2; tick++) {
            dispatcher.tick().toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> dispatcher.inFlight() == 0);
        }

        assertEquals(List.of("delivered"), outcomes(newer));
        assertEquals(List.of("retrying"), outcomes(older), "the older webhook had the first tick, the newer one the second");
    }

    @Test
    void onceADevicesQueueHasFailedForGiveUpAfterEachEventBehindItIsADeadLetterAfterOneFailedAttempt() throws Exception {
        RecordingReceiver failing = closing(new RecordingReceiver(500));
        Webhook webhook = webhook("wh_failing", failing.url(), 1);
        for (int i = 1; i <= 3; i++) {
            enqueue(webhook, "dev-1", "evt_" + i);
        }
        Duration giveUpAfter = Duration.ofMinutes(10);
        start(4, Duration.ofSeconds(10), giveUpAfter);
        await().atMost(WAIT).until(() -> outcomes(webhook), equalTo(List.of("retrying")));

        clock.addAndGet(giveUpAfter.toMillis());

        await().atMost(WAIT).until(() -> deadLetters(webhook), equalTo(List.of("evt_1", "evt_2", "evt_3")));
        assertEquals(List.of("retrying", "dead", "dead", "dead"), outcomes(webhook));
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    private Webhook webhook(String id, String url, long createdAt) throws Exception {
        Webhook webhook = new Webhook(id, url, "com.example", null, List.of(TetherEvent.MESSAGE_STATUS),
                Signature.newSecret(new SecureRandom()), createdAt);
        store.save(webhook).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return webhook;
    }

    private void enqueue(Webhook webhook, String device, String eventId) throws Exception {
        QueueEntry entry = new QueueEntry(eventId, TetherEvent.MESSAGE_STATUS, device, "{\"id\":\"" + eventId + "\"}");
        assertEquals(DeliveryQueues.Enqueued.QUEUED, queues.enqueue(webhook.id(), entry, 0, offset++, clock.get()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS));
    }

    private Dispatcher dispatcher(int maxInFlight, Duration requestTimeout, Duration giveUpAfter) {
        // Private destinations allowed: the receivers listen on 127.0.0.1.
        DestinationCheck destinations = new DestinationCheck(true, InetAddress::getAllByName, Runnable::run, requestTimeout);
        return new Dispatcher(directory, queues, new WebhookSender(WebhookSender.client(requestTimeout), requestTimeout, destinations),
                new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(10), giveUpAfter, () -> 0.5),
                new DeliveryMetrics(new SimpleMeterRegistry()), maxInFlight, Duration.ofMinutes(30).toMillis(), clock::get);
    }

    /** A dispatcher ticking every 20 ms, as the service's scheduler does every poll interval. */
    private void start(int maxInFlight, Duration requestTimeout, Duration giveUpAfter) {
        dispatcher = dispatcher(maxInFlight, requestTimeout, giveUpAfter);
        ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleWithFixedDelay(dispatcher::tick, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** The event ids of the webhook's dead letters, oldest first. */
    private List<String> deadLetters(Webhook webhook) throws Exception {
        List<String> ids = new ArrayList<>(queues.deadLetters(webhook.id(), OptionalLong.empty(), 1000).toCompletableFuture().get(5, TimeUnit.SECONDS).items().stream()
                .map(dead -> dead.entry().eventId()).toList());
        java.util.Collections.reverse(ids);
        return ids;
    }

    /** The outcome of each attempt in the webhook's delivery log, oldest first. */
    private List<String> outcomes(Webhook webhook) throws Exception {
        List<String> outcomes = new ArrayList<>(queues.log(webhook.id(), 1000).toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
                .map(Attempt::outcome).toList());
        java.util.Collections.reverse(outcomes);
        return outcomes;
    }
}
