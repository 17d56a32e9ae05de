package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.RedisCommandTimeoutException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.TetherEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The attempt meters count what Redis settled, after it did: {@link Settlement}. */
class SettlementTest {
    private static final DeliveryQueues.Head HEAD = new DeliveryQueues.Head("raw",
            new QueueEntry("evt_1", TetherEvent.MESSAGE_STATUS, "dev-1", "{}"), 0, 0);
    private static final WebhookSender.Outcome OK = new WebhookSender.Outcome(200, null);
    private static final WebhookSender.Outcome FAILED = new WebhookSender.Outcome(500, "HTTP 500");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics(registry);
    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24), () -> 0.5);
    private final List<Attempt> recorded = new ArrayList<>();

    @Test
    void anAttemptIsCountedOnceItsOutcomeIsSettledNotBefore() throws Exception {
        CompletableFuture<DeliveryQueues.Settled> redis = new CompletableFuture<>();
        Settlement settlement = settlement(redis);

        CompletableFuture<DeliveryQueues.Settled> settled = settlement.settle("wh_1", HEAD, OK, 900).toCompletableFuture();
        assertEquals(1, recorded.size(), "sent to Redis");
        assertEquals(0.0, attempts("delivered"), "not counted while Redis has not settled it");

        redis.complete(DeliveryQueues.Settled.MOVED);
        assertEquals(DeliveryQueues.Settled.MOVED, settled.get(5, TimeUnit.SECONDS));
        assertEquals(1.0, attempts("delivered"));
        assertEquals(1, registry.get("tether.webhook.attempt").timer().count());
    }

    @Test
    void anAttemptWhoseSettleFailedIsNotCountedItIsSentAndCountedAgainLater() {
        Settlement settlement = settlement(CompletableFuture.failedFuture(new RedisCommandTimeoutException("timed out")));

        assertThrows(ExecutionException.class,
                () -> settlement.settle("wh_1", HEAD, OK, 900).toCompletableFuture().get(5, TimeUnit.SECONDS));

        assertEquals(0.0, attempts("delivered"));
        assertEquals(0, registry.get("tether.webhook.attempt").timer().count());
    }

    @Test
    void anAttemptOnAHeadAnotherInstanceTookOverIsNotCounted() throws Exception {
        Settlement settlement = settlement(CompletableFuture.completedFuture(DeliveryQueues.Settled.SUPERSEDED));

        settlement.settle("wh_1", HEAD, FAILED, 900).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals("retrying", recorded.get(0).outcome(), "still logged");
        assertEquals(0.0, attempts("retrying"));
    }

    @Test
    void aFailedAttemptCountsUnderTheOutcomeItWasSettledWith() throws Exception {
        Settlement settlement = settlement(CompletableFuture.completedFuture(DeliveryQueues.Settled.MOVED));

        settlement.settle("wh_1", HEAD, FAILED, 900).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(1.0, attempts("retrying"));
        assertEquals(0.0, attempts("delivered"));
        assertEquals(Long.valueOf(1_000 + 5_000), recorded.get(0).nextAttemptAt(), "5 s after its first failure, jitter at the middle");
    }

    private Settlement settlement(CompletableFuture<DeliveryQueues.Settled> answer) {
        return new Settlement((webhookId, head, now, nextAttemptAt, attempt, error) -> {
            recorded.add(attempt);
            return answer;
        }, schedule, metrics, () -> 1_000L);
    }

    private double attempts(String outcome) {
        return registry.get("tether.webhook.attempts").tag("outcome", outcome).counter().count();
    }
}
