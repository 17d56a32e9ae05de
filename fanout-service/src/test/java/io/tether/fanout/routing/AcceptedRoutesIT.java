package io.tether.fanout.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.tether.contract.DeviceFields;
import io.tether.contract.PresenceEvent;
import io.tether.contract.RedisKeys;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import io.tether.fanout.events.StatusEvents;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.status.StatusStore;
import io.tether.inbox.DeviceInbox;
import io.tether.inbox.InboxSettings;
import io.tether.inbox.RoutingPolicy;
import io.tether.runtime.redis.LingeringFlush;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.testkit.RedisFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing a message to one device when it is accepted, against a real Redis (Kafka is a {@code MockProducer}: what is
 * checked here is what reaches Redis and what is handed to Kafka): the route script has run when the accept completes,
 * the route log entry goes once the follow-ups are done, and the sweep finishes what a stopped fanout left.
 */
class AcceptedRoutesIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final InboxSettings SETTINGS = new InboxSettings(100, 1_000_000, 10, 60_000, 3_600, 120);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static StatefulRedisConnection<String, String> shared;
    private static StatefulRedisConnection<String, String> lingering;
    private static ScheduledExecutorService timer;
    private static RedisCommands<String, String> redis;

    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final StatusEvents recording = new StatusEvents() {
        @Override
        public CompletionStage<Void> status(String deviceId, String messageId, String status, String reason, String route) {
            events.add(messageId + " " + status);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> presence(PresenceEvent event, String stateAfter, String appState) {
            return CompletableFuture.completedFuture(null);
        }
    };
    private final FanoutMetrics metrics = new FanoutMetrics(new SimpleMeterRegistry());
    private final DeviceInbox sharedInbox = new DeviceInbox(shared.async(), SETTINGS, RoutingPolicy.standard(), System::currentTimeMillis);
    private final ExpiryIndex expiries = new ExpiryIndex(shared.async(), sharedInbox, 1, metrics, recording);
    private final StatusStore statuses = new StatusStore(shared.async(), 600, 86_400, 86_400);
    private AcceptedRoutes routes;
    private RouteLogSweeper sweeper;

    @BeforeAll
    static void connect() {
        shared = REDIS.connect();
        redis = shared.sync();
        lingering = REDIS.connect();
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void close() {
        timer.shutdownNow();
        lingering.close();
        shared.close();
    }

    @BeforeEach
    void setUp() {
        redis.del(RouteLog.KEY, RouteLog.SWEEP_LOCK);
        LingeringFlush flush = LingeringFlush.on(lingering, Duration.ofMillis(10), timer);
        DeviceInbox lingeringInbox = new DeviceInbox(lingering.async(), SETTINGS, RoutingPolicy.standard(), System::currentTimeMillis,
                flush::issued);
        routes = new AcceptedRoutes(lingering.async(), flush::issued, router(lingeringInbox), 0, Duration.ofSeconds(1));
        // An hour ahead: every entry is past the grace.
        sweeper = new RouteLogSweeper(shared.async(), router(sharedInbox), Duration.ofSeconds(10),
                () -> System.currentTimeMillis() + 3_600_000);
    }

    private Router router(DeviceInbox inbox) {
        return new Router(inbox, new PushRequests(producer, MessagingSpans.off()), expiries::index, statuses, producer,
                MessagingSpans.off(), metrics, recording);
    }

    @Test
    void theAcceptCompletesOnceTheMessageIsQueuedAndItsLogEntryGoesOnceTheFollowUpsAreDone() throws Exception {
        String device = offlineDeviceWithToken();
        OutgoingMessage message = message(device);

        routes.accept(message, Context.root()).toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("queued", redis.hget(RedisKeys.device(device).status(message.messageId()), "status"),
                "the route script ran before the accept completed");

        Awaitility.await().atMost(DEADLINE).until(() -> loggedIds().isEmpty());
        assertTrue(pushRequested(message), "the offline device's push request was handed to Kafka");
        assertNotNull(indexedAt(device), "the device is in the expiry index");
    }

    @Test
    void whenRedisLacksTheScriptItsFullTextIsFlushedTooAndTheAcceptCompletes() throws Exception {
        redis.scriptFlush();
        String device = offlineDeviceWithToken();
        OutgoingMessage message = message(device);

        // The EVALSHA fails with NOSCRIPT; the EVAL sent then must be flushed like any other command, not wait for the next.
        routes.accept(message, Context.root()).toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("queued", redis.hget(RedisKeys.device(device).status(message.messageId()), "status"));
    }

    @Test
    void anEntryWhoseFollowUpsWereLostIsRoutedAgainBySweep() throws Exception {
        String device = offlineDeviceWithToken();
        OutgoingMessage message = message(device);
        // A fanout that stopped right after the route script: the entry and the script, nothing after them.
        redis.xadd(RouteLog.KEY, Map.of(RouteLog.FIELD, RouteLog.encode(message)));
        sharedInbox.route(device, Entries.of(message, device, null), 600).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertNull(indexedAt(device));
        assertTrue(producer.history().isEmpty());

        assertEquals(1, sweep());

        assertTrue(pushRequested(message), "the push request the stopped fanout never sent");
        assertNotNull(indexedAt(device), "the expiry index write it never made");
        assertEquals(List.of(), loggedIds(), "the entry is gone once routed again");
        assertEquals(1, producer.history().stream().filter(r -> r.topic().equals(Topics.PUSH)).count(), "queued once, pushed once");
    }

    @Test
    void anEntryWhoseScriptNeverRanIsQueuedBySweep() throws Exception {
        String device = offlineDeviceWithToken();
        OutgoingMessage message = message(device);
        redis.xadd(RouteLog.KEY, Map.of(RouteLog.FIELD, RouteLog.encode(message)));

        assertEquals(1, sweep());

        assertEquals("queued", redis.hget(RedisKeys.device(device).status(message.messageId()), "status"));
        assertTrue(pushRequested(message));
        assertTrue(events.contains(message.messageId() + " queued"), events.toString());
    }

    @Test
    void anEntryThatIsNotAMessageIsDroppedAndTheOthersOfTheSweepAreRouted() throws Exception {
        String device = offlineDeviceWithToken();
        OutgoingMessage message = message(device);
        redis.xadd(RouteLog.KEY, Map.of(RouteLog.FIELD, "not a message"));
        redis.xadd(RouteLog.KEY, Map.of(RouteLog.FIELD, RouteLog.encode(message)));

        assertEquals(2, sweep());

        assertEquals(0, redis.xlen(RouteLog.KEY));
        assertTrue(pushRequested(message));
    }

    @Test
    void aSecondFanoutDoesNotSweepWhileTheFirstHoldsTheLock() throws Exception {
        RouteLogSweeper other = new RouteLogSweeper(shared.async(), router(sharedInbox), Duration.ofSeconds(10),
                () -> System.currentTimeMillis() + 3_600_000);
        assertEquals(0, sweep());
        String device = offlineDeviceWithToken();
        redis.xadd(RouteLog.KEY, Map.of(RouteLog.FIELD, RouteLog.encode(message(device))));

        assertEquals(0, other.sweep().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(1, redis.xlen(RouteLog.KEY), "left for the lock's holder");
    }

    @Test
    void entriesYoungerThanTheGraceAreLeftAlone() throws Exception {
        RouteLogSweeper now = new RouteLogSweeper(shared.async(), router(sharedInbox), Duration.ofSeconds(10), System::currentTimeMillis);
        redis.xadd(RouteLog.KEY, Map.of(RouteLog.FIELD, RouteLog.encode(message(offlineDeviceWithToken()))));

        assertEquals(0, now.sweep().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(1, redis.xlen(RouteLog.KEY));
    }

    private int sweep() throws Exception {
        return sweeper.sweep().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<String> loggedIds() {
        return redis.xrange(RouteLog.KEY, io.lettuce.core.Range.create("-", "+")).stream()
                .map(entry -> RouteLog.decode(entry.getBody().get(RouteLog.FIELD)).messageId()).toList();
    }

    private boolean pushRequested(OutgoingMessage message) {
        return producer.history().stream().anyMatch(r -> r.topic().equals(Topics.PUSH)
                && new String(r.value(), StandardCharsets.UTF_8).contains(message.messageId()));
    }

    private Double indexedAt(String device) {
        return redis.zscore(RedisKeys.expiryShard(0), device);
    }

    private static OutgoingMessage message(String device) {
        long now = System.currentTimeMillis();
        return new OutgoingMessage("msg-" + IDS.incrementAndGet() + "-" + now, Target.device(device),
                "hi".getBytes(StandardCharsets.UTF_8), "text/plain", "messages", now, now + 60_000, null, null, null);
    }

    /** Registered as device-registry writes it, with a push token, never connected: its messages fall back to push. */
    private static String offlineDeviceWithToken() {
        String device = "phone-" + IDS.incrementAndGet();
        redis.hset(RedisKeys.device(device).record(), Map.of(DeviceFields.ID, device, DeviceFields.PLATFORM, "ios",
                DeviceFields.APP_ID, "com.example.app", DeviceFields.PUSH_TOKEN, "a1b2".repeat(16), DeviceFields.PUSH_ENVIRONMENT, "sandbox",
                DeviceFields.SECRET_HASH, "0".repeat(64), DeviceFields.CREATED_AT, "1700000000000", DeviceFields.UPDATED_AT, "1700000000000"));
        return device;
    }
}
