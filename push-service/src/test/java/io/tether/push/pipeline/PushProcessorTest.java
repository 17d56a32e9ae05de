package io.tether.push.pipeline;

import static io.tether.push.pipeline.PushFakes.Apns.accepted;
import static io.tether.push.pipeline.PushFakes.Apns.failed;
import static io.tether.push.pipeline.PushFakes.Apns.rejected;
import static io.tether.push.pipeline.PushFakes.Apns.throwing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.PushType;
import io.lettuce.core.RedisConnectionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.tether.contract.DeviceId;
import io.tether.contract.PushRecipient;
import io.tether.contract.PushRequest;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.Receipt;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsCredentials;
import io.tether.push.apns.ApnsEnvironment;
import io.tether.push.device.CarriedRecipient;
import io.tether.push.device.PushTarget;
import io.tether.pushoptions.NotificationFactory;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Failures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What PushProcessor makes of one push request, against an in-memory registry and APNs: which requests become APNs
 * sends (and to which token, topic and environment), and what each kind of APNs answer becomes — a receipt, a dead
 * token removed, a retry. Retries wait 15 ms on a real scheduler; nothing else waits.
 */
class PushProcessorTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final String BUNDLE = "com.example.chat";
    private static final String TOKEN = "ab".repeat(32);
    private static final String VOIP_TOKEN = "cd".repeat(32);
    private static final String NEWER_TOKEN = "ef".repeat(32);
    private static final Duration RETRY_DELAY = Duration.ofMillis(20); // waits 15 ms with the fixed jitter below

    private final PushFakes.Registry registry = new PushFakes.Registry();
    private final PushFakes.Apns apns = new PushFakes.Apns();
    private final PushFakes.MutableClock clock = new PushFakes.MutableClock(NOW);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Runnable> rateLimitTasks = new ArrayList<>();
    private long nanos;
    private final AppRateLimiter limiter = new AppRateLimiter(() -> nanos, (task, delay) -> rateLimitTasks.add(task));
    private final PushProcessor processor = new PushProcessor(registry, apns, new NotificationFactory(),
            new Backoff(RETRY_DELAY, RETRY_DELAY, () -> 0.5), scheduler, new PushMetrics(meters), clock,
            OpenTelemetry.noop().getTracer("test"), limiter);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    // --- which requests become APNs sends

    @Test
    void aDeviceWithATokenOfAConfiguredAppIsPushedAndTheReceiptCarriesApnsId() throws Exception {
        apns.add(app(BUNDLE));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.SANDBOX);
        PushRequest request = request(device, "{\"badge\":3}");

        PushProcessor.Outcome outcome = process(request);

        assertEquals(1, apns.sent.size());
        var push = apns.sent.get(0);
        assertEquals(TOKEN, push.getToken());
        assertEquals(BUNDLE, push.getTopic());
        assertEquals(PushType.ALERT, push.getPushType());
        assertEquals(List.of(ApnsEnvironment.SANDBOX), apns.environments, "sent to the environment that issued the token");
        Receipt receipt = outcome.receipt();
        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertNull(receipt.reason());
        assertEquals(device, receipt.deviceId());
        assertEquals(request.messageId(), receipt.messageId());
        assertEquals(push.getApnsId().toString(), receipt.apnsId());
        assertEquals(NOW, receipt.at());
        assertEquals(BUNDLE, outcome.app());
        assertEquals("alert", outcome.pushType());
    }

    @Test
    void noOptionsMakeABackgroundPush() throws Exception {
        apns.add(app(BUNDLE));
        PushProcessor.Outcome outcome = process(request(device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION), null));

        assertEquals(Receipt.Outcome.PUSHED, outcome.receipt().outcome());
        assertEquals(PushType.BACKGROUND, apns.sent.get(0).getPushType());
        assertEquals("background", outcome.pushType());
    }

    @Test
    void aVoipPushGoesToTheVoipTokenOnTheVoipTopic() throws Exception {
        apns.add(app(BUNDLE));
        String device = DeviceId.random();
        registry.add(new PushTarget(device, "ios", BUNDLE, PushTokenSlot.VOIP, VOIP_TOKEN, ApnsEnvironment.PRODUCTION, NOW));

        PushProcessor.Outcome outcome = process(request(device, "{\"pushType\":\"voip\"}"));

        assertEquals(List.of(PushTokenSlot.VOIP), registry.lookedUp);
        assertEquals(Receipt.Outcome.PUSHED, outcome.receipt().outcome());
        assertEquals(VOIP_TOKEN, apns.sent.get(0).getToken());
        assertEquals(BUNDLE + ".voip", apns.sent.get(0).getTopic());
    }

    @Test
    void anExpiredRequestIsNotLookedUpNorSent() throws Exception {
        apns.add(app(BUNDLE));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        Receipt receipt = process(request(device, null, NOW)).receipt();

        assertFailed("expired", receipt);
        assertTrue(registry.lookedUp.isEmpty());
        assertTrue(apns.sent.isEmpty());
    }

    @Test
    void unreadableOptionsFailTheRequestWithoutASend() throws Exception {
        apns.add(app(BUNDLE));
        PushProcessor.Outcome outcome = process(request(device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION), "not json"));

        assertEquals(Receipt.Outcome.PUSH_FAILED, outcome.receipt().outcome());
        assertTrue(outcome.receipt().reason().startsWith("bad-push-options: "), outcome.receipt().reason());
        assertEquals("none", outcome.pushType());
        assertTrue(apns.sent.isEmpty());
    }

    @Test
    void requestsThatCannotBeSentFailWithTheirReasonAndSendNothing() throws Exception {
        apns.add(app(BUNDLE));
        apns.add(new ApnsApp("alerts only", "com.example.alerts", credentials(), EnumSet.allOf(ApnsEnvironment.class),
                EnumSet.of(PushType.ALERT), null));
        apns.add(new ApnsApp("production only", "com.example.prod", credentials(), EnumSet.of(ApnsEnvironment.PRODUCTION),
                EnumSet.allOf(PushType.class), null));

        assertFailed("unknown-device", process(request(DeviceId.random(), null)).receipt());
        assertFailed("no-push-on-platform", process(request(device("tvos", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION), null)).receipt());
        assertFailed("no-push-token", process(request(device("ios", BUNDLE, null, ApnsEnvironment.PRODUCTION), null)).receipt());
        assertFailed("no-voip-token",
                process(request(device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION), "{\"pushType\":\"voip\"}")).receipt());
        assertFailed("app-not-configured",
                process(request(device("ios", "com.example.unknown", TOKEN, ApnsEnvironment.PRODUCTION), null)).receipt());
        assertFailed("push-type-not-allowed: background for app alerts only",
                process(request(device("ios", "com.example.alerts", TOKEN, ApnsEnvironment.PRODUCTION), null)).receipt());
        assertFailed("environment-not-allowed: sandbox for app production only",
                process(request(device("ios", "com.example.prod", TOKEN, ApnsEnvironment.SANDBOX), null)).receipt());
        assertTrue(apns.sent.isEmpty());
    }

    @Test
    void aRequestTheRegistryCannotAnswerFailsTheStageForTheCallerToRetry() {
        apns.add(app(BUNDLE));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);
        RedisConnectionException away = new RedisConnectionException("connection refused");
        registry.failure = away;

        ExecutionException failure = assertThrows(ExecutionException.class, () -> process(request(device, null)));

        assertSame(away, failure.getCause());
        assertTrue(Failures.isTransient(failure.getCause()), "the record handler retries it rather than dead-lettering it");
        assertTrue(apns.sent.isEmpty());
    }

    // --- what APNs answers

    @Test
    void aPermanentRejectionFailsTheRequestAndKeepsTheToken() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(400, "PayloadTooLarge"));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        Receipt receipt = process(request(device, null)).receipt();

        assertFailed("PayloadTooLarge", receipt);
        assertEquals(apns.sent.get(0).getApnsId().toString(), receipt.apnsId());
        assertEquals(1, apns.sent.size(), "a rejection is not retried");
        assertTrue(registry.invalidations.isEmpty());
    }

    @Test
    void anUnregisteredTokenIsRemovedAsOfApnsTimestamp() throws Exception {
        apns.add(app(BUNDLE));
        Instant gone = Instant.ofEpochMilli(NOW - HOUR);
        apns.answer(rejected(410, "Unregistered", gone));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        Receipt receipt = process(request(device, null)).receipt();

        assertFailed("Unregistered", receipt);
        assertEquals(List.of(new PushFakes.Registry.Invalidation(device, PushTokenSlot.ALERT, TOKEN, Optional.of(gone))),
                registry.invalidations);
        assertEquals(1.0, meters.counter("tether.push.token.invalidations").count());
    }

    @Test
    void aDeadVoipTokenIsRemovedFromItsOwnSlot() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(400, "BadDeviceToken"));
        String device = DeviceId.random();
        registry.add(new PushTarget(device, "ios", BUNDLE, PushTokenSlot.VOIP, VOIP_TOKEN, ApnsEnvironment.PRODUCTION, NOW));

        assertFailed("BadDeviceToken (environment mismatch? token registered as production)",
                process(request(device, "{\"pushType\":\"voip\"}")).receipt());

        assertEquals(List.of(new PushFakes.Registry.Invalidation(device, PushTokenSlot.VOIP, VOIP_TOKEN,
                Optional.of(Instant.ofEpochMilli(NOW + 1)))), registry.invalidations, "only if not set again since it was read");
    }

    @Test
    void deviceTokenNotForTopicOnTheVoipTopicKeepsTheToken() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(400, "DeviceTokenNotForTopic"));
        String device = DeviceId.random();
        registry.add(new PushTarget(device, "ios", BUNDLE, PushTokenSlot.VOIP, VOIP_TOKEN, ApnsEnvironment.PRODUCTION, NOW));

        assertFailed("DeviceTokenNotForTopic", process(request(device, "{\"pushType\":\"voip\"}")).receipt());

        assertEquals(BUNDLE + ".voip", apns.sent.get(0).getTopic());
        assertTrue(registry.invalidations.isEmpty(), "only the bare bundle id topic proves a token foreign");
        assertEquals(0.0, meters.counter("tether.push.token.invalidations").count());
    }

    @Test
    void deviceTokenNotForTopicOnTheBundleIdRemovesTheToken() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(400, "DeviceTokenNotForTopic"));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        assertFailed("DeviceTokenNotForTopic", process(request(device, "{\"alert\":\"hi\"}")).receipt());

        assertEquals(BUNDLE, apns.sent.get(0).getTopic());
        assertEquals(1, registry.invalidations.size());
        assertEquals(PushTokenSlot.ALERT, registry.invalidations.get(0).slot());
    }

    @Test
    void aBadDeviceTokenNamesTheEnvironmentItWasRegisteredFor() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(400, "BadDeviceToken"));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.SANDBOX);

        Receipt receipt = process(request(device, null)).receipt();

        assertFailed("BadDeviceToken (environment mismatch? token registered as sandbox)", receipt);
        assertEquals(List.of(new PushFakes.Registry.Invalidation(device, PushTokenSlot.ALERT, TOKEN,
                Optional.of(Instant.ofEpochMilli(NOW - HOUR + 1)))), registry.invalidations,
                "removed unless the app registered it again (e.g. for the other environment) since it was read");
    }

    @Test
    void aDeadTokenIsRemovedOnlyIfSetBeforeApnsSawItDieAndNoLaterThanItWasRead() {
        Instant died = Instant.ofEpochMilli(NOW - HOUR);
        assertEquals(Optional.of(died), PushProcessor.removableIfSetBefore(Optional.of(died), NOW), "APNs' time is the earlier");
        assertEquals(Optional.of(Instant.ofEpochMilli(NOW - 2 * HOUR + 1)),
                PushProcessor.removableIfSetBefore(Optional.of(died), NOW - 2 * HOUR), "read before APNs' time");
        assertEquals(Optional.of(Instant.ofEpochMilli(NOW + 1)), PushProcessor.removableIfSetBefore(Optional.empty(), NOW));
        assertEquals(Optional.of(died), PushProcessor.removableIfSetBefore(Optional.of(died), 0), "when it was set is unknown");
        assertEquals(Optional.empty(), PushProcessor.removableIfSetBefore(Optional.empty(), 0));
    }

    @Test
    void aTokenRegisteredAgainMeanwhileIsNotCountedAsRemoved() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(410, "Unregistered", Instant.ofEpochMilli(NOW - HOUR)));
        registry.tokenStillTheSame = false;

        assertFailed("Unregistered", process(request(device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION), null)).receipt());

        assertEquals(1, registry.invalidations.size());
        assertEquals(0.0, meters.counter("tether.push.token.invalidations").count());
    }

    // --- the token fanout carried in the request

    @Test
    void aFreshCarriedTokenIsSentToWithoutReadingTheRegistry() throws Exception {
        apns.add(app(BUNDLE));
        String device = DeviceId.random(); // not in the registry at all: only the carried token can be used

        PushProcessor.Outcome outcome = process(carrying(device, TOKEN, NOW - 500));

        assertEquals(Receipt.Outcome.PUSHED, outcome.receipt().outcome());
        assertTrue(registry.lookedUp.isEmpty(), "no registry read");
        assertEquals(TOKEN, apns.sent.get(0).getToken());
        assertEquals(List.of(ApnsEnvironment.SANDBOX), apns.environments, "the carried environment");
        assertEquals(BUNDLE, apns.sent.get(0).getTopic(), "the carried app");
    }

    @Test
    void aCarriedTokenReadLongerAgoThanTheBoundIsReadAgainFromTheRegistry() throws Exception {
        apns.add(app(BUNDLE));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        process(carrying(device, NEWER_TOKEN, NOW - CarriedRecipient.MAX_AGE_MS - 1));

        assertEquals(List.of(PushTokenSlot.ALERT), registry.lookedUp);
        assertEquals(TOKEN, apns.sent.get(0).getToken(), "the registry's token, not the stale carried one");
    }

    @Test
    void aCarriedTokenApnsCallsDeadIsReplacedByTheOneTheAppRegisteredSince() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(410, "Unregistered", Instant.ofEpochMilli(NOW - 100)));
        String device = device("ios", BUNDLE, NEWER_TOKEN, ApnsEnvironment.PRODUCTION); // registered after fanout read TOKEN

        PushProcessor.Outcome outcome = process(carrying(device, TOKEN, NOW - 10));

        assertEquals(Receipt.Outcome.PUSHED, outcome.receipt().outcome());
        assertEquals(List.of(TOKEN, NEWER_TOKEN), apns.sent.stream().map(p -> p.getToken()).toList());
        assertEquals(List.of(ApnsEnvironment.SANDBOX, ApnsEnvironment.PRODUCTION), apns.environments, "each token's environment");
        assertTrue(registry.invalidations.isEmpty(), "the registry's newer token stays");
    }

    @Test
    void aCarriedTokenApnsCallsDeadThatIsStillRegisteredIsRemovedAndNotSentAgain() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(410, "Unregistered"));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        assertFailed("Unregistered", process(carrying(device, TOKEN, NOW - 10)).receipt());

        assertEquals(1, apns.sent.size());
        assertEquals(List.of(PushTokenSlot.ALERT), registry.lookedUp, "the registry was asked before the token was called dead");
        assertEquals(1, registry.invalidations.size());
    }

    @Test
    void aPushThatNeedsAnotherKindOfTokenIgnoresTheCarriedOne() throws Exception {
        apns.add(app(BUNDLE));
        String device = DeviceId.random();
        registry.add(new PushTarget(device, "ios", BUNDLE, PushTokenSlot.VOIP, VOIP_TOKEN, ApnsEnvironment.PRODUCTION, NOW));
        PushRequest carried = carrying(device, TOKEN, NOW);
        PushRequest voip = new PushRequest(device, carried.messageId(), carried.acceptedAt(), carried.expiresAt(), null,
                "{\"pushType\":\"voip\"}", null, null, "offline", null, carried.recipient());

        process(voip);

        assertEquals(List.of(PushTokenSlot.VOIP), registry.lookedUp);
        assertEquals(VOIP_TOKEN, apns.sent.get(0).getToken());
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilAccepted() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(429, "TooManyRequests"), rejected(503, "ServiceUnavailable"), accepted());
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        Receipt receipt = process(request(device, null)).receipt();

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(3, apns.sent.size());
        assertEquals(1, apns.sent.stream().map(push -> push.getApnsId()).distinct().count(),
                "every attempt carries the same apns-id");
        assertEquals(1.0, meters.counter("tether.push.retries", "reason", "TooManyRequests").count());
        assertEquals(1.0, meters.counter("tether.push.retries", "reason", "ServiceUnavailable").count());
        assertTrue(registry.invalidations.isEmpty());
    }

    @Test
    void aRetryCarriesAFetchTokenIssuedForItNotTheFirstAttemptsOne() throws Exception {
        java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();
        PushProcessor fetching = new PushProcessor(registry, apns,
                new NotificationFactory((deviceId, notAfter) -> Optional.of("fetch-token-" + issued.incrementAndGet())),
                new Backoff(RETRY_DELAY, RETRY_DELAY, () -> 0.5), scheduler, new PushMetrics(meters), clock,
                OpenTelemetry.noop().getTracer("test"), limiter);
        apns.add(app(BUNDLE));
        apns.answer(rejected(503, "ServiceUnavailable"), accepted());
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);
        byte[] tooLargeForThePush = new byte[5_000]; // the push carries a fetch hint with a token instead
        PushRequest request = new PushRequest(device, "msg_" + DeviceId.random(), NOW - 1_000, NOW + HOUR, null,
                "{\"alert\":\"hi\"}", tooLargeForThePush, "application/octet-stream", "offline", null);

        Receipt receipt = fetching.process(request, null).toCompletableFuture().get(5, TimeUnit.SECONDS).receipt();

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(2, apns.sent.size());
        assertTrue(apns.sent.get(0).getPayload().contains("fetch-token-1"), apns.sent.get(0).getPayload());
        assertTrue(apns.sent.get(1).getPayload().contains("fetch-token-2"), "issued again for the retry: "
                + apns.sent.get(1).getPayload());
        assertEquals(apns.sent.get(0).getApnsId(), apns.sent.get(1).getApnsId());
    }

    @Test
    void anExpiredProviderTokenIsRetried() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(403, "ExpiredProviderToken"));

        Receipt receipt = process(request(device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION), null)).receipt();

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(2, apns.sent.size());
    }

    @Test
    void sendsThatDidNotHappenAreRetried() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(failed(new IOException("connection reset")), throwing(new IllegalStateException("client closed")));

        Receipt receipt = process(request(device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION), null)).receipt();

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(3, apns.sent.size());
    }

    @Test
    void retriesStopWhenTheMessageWouldExpireBeforeTheNextAttempt() throws Exception {
        apns.add(app(BUNDLE));
        apns.answer(rejected(503, "ServiceUnavailable"));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);

        Receipt receipt = process(request(device, null, NOW + 10)).receipt(); // the next attempt would be in 15 ms

        assertFailed("retries-exhausted: ServiceUnavailable", receipt);
        assertEquals(apns.sent.get(0).getApnsId().toString(), receipt.apnsId());
        assertEquals(1, apns.sent.size());
    }

    @Test
    void aRetryRefusedBecauseTheServiceIsStoppingFailsTheStage() {
        apns.add(app(BUNDLE));
        apns.answer(rejected(500, "InternalServerError"));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);
        scheduler.shutdown();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> process(request(device, null)));

        assertInstanceOf(RejectedExecutionException.class, failure.getCause(), "uncommitted: redone after the restart");
        assertEquals(1, apns.sent.size());
    }

    // --- the app's rate limit

    @Test
    void aRequestWaitsForItsAppsRateLimitButAVoipPushDoesNot() throws Exception {
        apns.add(limited(BUNDLE));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);
        String voipDevice = DeviceId.random();
        registry.add(new PushTarget(voipDevice, "ios", BUNDLE, PushTokenSlot.VOIP, VOIP_TOKEN, ApnsEnvironment.PRODUCTION, NOW));
        assertEquals(Receipt.Outcome.PUSHED, process(request(device, null)).receipt().outcome()); // the app's one token

        CompletableFuture<PushProcessor.Outcome> waiting = processor.process(request(device, null), null).toCompletableFuture();
        assertFalse(waiting.isDone());
        assertEquals(Receipt.Outcome.PUSHED, process(request(voipDevice, "{\"pushType\":\"voip\"}")).receipt().outcome());
        assertEquals(2, apns.sent.size(), "the VoIP push went past the waiting one");

        nanos += TimeUnit.SECONDS.toNanos(1);
        rateLimitTasks.forEach(Runnable::run);
        assertEquals(Receipt.Outcome.PUSHED, waiting.get(5, TimeUnit.SECONDS).receipt().outcome());
        assertEquals(3, apns.sent.size());
    }

    @Test
    void aRequestThatExpiresWhileWaitingForTheRateLimitIsNotSent() throws Exception {
        apns.add(limited(BUNDLE));
        String device = device("ios", BUNDLE, TOKEN, ApnsEnvironment.PRODUCTION);
        process(request(device, null));
        CompletableFuture<PushProcessor.Outcome> waiting = processor.process(request(device, null, NOW + 500), null)
                .toCompletableFuture();

        clock.advance(1_000);
        nanos += TimeUnit.SECONDS.toNanos(1);
        rateLimitTasks.forEach(Runnable::run);

        assertFailed("expired", waiting.get(5, TimeUnit.SECONDS).receipt());
        assertEquals(1, apns.sent.size());
    }

    // --- helpers

    private PushProcessor.Outcome process(PushRequest request) throws ExecutionException, InterruptedException, TimeoutException {
        return processor.process(request, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static void assertFailed(String reason, Receipt receipt) {
        assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome());
        assertEquals(reason, receipt.reason());
    }

    private String device(String platform, String appId, String token, ApnsEnvironment environment) {
        String id = DeviceId.random();
        registry.add(new PushTarget(id, platform, appId, PushTokenSlot.ALERT, token, environment, NOW - HOUR));
        return id;
    }

    private static PushRequest request(String deviceId, String push) {
        return request(deviceId, push, NOW + HOUR);
    }

    private static PushRequest request(String deviceId, String push, long expiresAt) {
        return new PushRequest(deviceId, "msg_" + DeviceId.random(), NOW - 1_000, expiresAt, null, push, null, null, "offline", null);
    }

    /** A request carrying {@code token} of an iOS device of {@link #BUNDLE} in the sandbox, as fanout read it at {@code readAt}. */
    private static PushRequest carrying(String deviceId, String token, long readAt) {
        return new PushRequest(deviceId, "msg_" + DeviceId.random(), NOW - 1_000, NOW + HOUR, null, null, null, null, "deaf", null,
                new PushRecipient(token, "sandbox", BUNDLE, "ios", NOW - HOUR, readAt));
    }

    private static ApnsApp app(String bundleId) {
        return new ApnsApp("chat", bundleId, credentials());
    }

    /** One notification a second, no burst beyond it. */
    private static ApnsApp limited(String bundleId) {
        return new ApnsApp("chat", bundleId, credentials(), EnumSet.allOf(ApnsEnvironment.class), EnumSet.allOf(PushType.class),
                new ApnsApp.RateLimit(1, 1));
    }

    private static ApnsCredentials credentials() {
        return new ApnsCredentials.SigningKey(Path.of("AuthKey_KEY0000001.p8"), "TEAM000001", "KEY0000001");
    }
}
