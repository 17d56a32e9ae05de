package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.gateway.delivery.UpstreamMessage;
import io.tether.gateway.store.GatewayStore;
import io.tether.gateway.testing.GatewayFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A held will asks Redis at the right moments and acts on what it can know: a will replaced by a newer one of the
 * device is never sent blind, and one whose will notice was missed is settled when the control channel comes back.
 */
class DelayedWillTest {
    private static final String ID = "dev-1";
    private static final Duration DELAY = Duration.ofMinutes(10);

    private final GatewayFixture fx = new GatewayFixture();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final PendingWills wills = new PendingWills(fx.vertx.vertx(), outcomes::add);
    private final DelayedWill sender = new DelayedWill(wills, fx.vertx.context(), fx.store, fx.services.events());

    private static UpstreamMessage will(long epoch) {
        return new UpstreamMessage(ID, "msg_will_" + epoch, "devices/dev-1/status", 1,
                ("gone " + epoch).getBytes(StandardCharsets.UTF_8), null, null, null);
    }

    /** Holds the will of connection {@code epoch}, and lets its Redis read at hold run. */
    private void held(long epoch) {
        fx.vertx.onLoop(() -> sender.send(will(epoch), epoch, DELAY));
        settleHops();
    }

    /** Lets a will's hops run: the Redis reads, a retry, the decision, each queued behind the one before. */
    private void settleHops() {
        for (int hop = 0; hop < 4; hop++) {
            fx.vertx.settle();
        }
    }

    private List<String> sent() {
        return fx.upstream().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    // ---- a will replaced by a newer one of the device -------------------------------------------------------

    @Test
    void aReplacedWillIsNotSentWhenRedisCannotSayHowItWasDecidedNotEvenAfterARetryAndThatIsCounted() {
        held(7);
        fx.store.holderFailure = new IllegalStateException("redis away");

        held(8);

        assertEquals(List.of("will-check dev-1 7"), fx.store.calls("will-check dev-1 7"), "once replaced, not again at once");
        assertEquals(List.of(DELAY.toMillis(), DelayedWill.RETRY_MILLIS), fx.vertx.armedDelays(), "a retry a moment later");
        assertEquals(1, fx.vertx.fire(DelayedWill.RETRY_MILLIS));
        settleHops();

        assertEquals(List.of(), sent(), "it may have been resumed, and its delay is not up: a newer connection exists, so not sent");
        assertEquals(List.of("will-check dev-1 7", "will-check dev-1 7"), fx.store.calls("will-check dev-1 7"),
                "once replaced and once again");
        assertEquals(List.of("will-decision dev-1 7"), fx.store.calls("will-decision dev-1 7"), "at hold, the decision only");
        assertEquals(List.of("dropped-unchecked"), outcomes);
        assertEquals(1, wills.size(), "the newer will waits on");
        assertEquals(List.of(DELAY.toMillis()), fx.vertx.armedDelays());

        fx.store.holderFailure = null;
        fx.vertx.fireAll();
        settleHops();
        assertEquals(List.of("gone 8"), sent(), "the newer will at its delay, nothing came after it");
        assertEquals(List.of("dropped-unchecked", "sent"), outcomes);
    }

    @Test
    void aReplacedWillAsksOnceMoreAMomentLaterWhenRedisFailedAndFollowsTheRecordedDecision() {
        held(7);
        fx.store.decisions.put("dev-1 7", GatewayStore.Decision.NEW_SESSION);
        fx.store.failingWillChecks.set(1);

        held(8);
        assertEquals(List.of(), sent(), "not yet: Redis failing fast would fail again at once");

        fx.vertx.fire(DelayedWill.RETRY_MILLIS);
        settleHops();
        assertEquals(List.of("gone 7"), sent(), "its session ended: sent");
        assertEquals(List.of("sent"), outcomes);
    }

    @Test
    void theRetryOfAReplacedWillComesNoLaterThanItsDelay() {
        fx.vertx.onLoop(() -> sender.send(will(7), 7, Duration.ofMillis(300)));
        settleHops();
        fx.store.holderFailure = new IllegalStateException("redis away");

        held(8);

        long retry = fx.vertx.armedDelays().stream().filter(d -> d != DELAY.toMillis()).findFirst().orElseThrow();
        assertTrue(retry >= 1 && retry <= 300, "capped by what is left of its 300 ms: " + retry);
    }

    @Test
    void aReplacedWillResumedIsNotSent() {
        held(7);
        fx.store.decisions.put("dev-1 7", GatewayStore.Decision.RESUMED);

        held(8);

        assertEquals(List.of(), sent());
        assertEquals(1, wills.size());
    }

    @Test
    void aReplacedWillWithNoDecisionAndNoOwnerInRedisCountsTheNewerConnectionItKnows() {
        held(7); // Redis lost the owner hash and the decisions: nothing says a newer connection claimed the device

        held(8);

        assertEquals(List.of(), sent(), "connection 8 ended here: it came after 7");
    }

    // ---- the control channel came back after a loss -----------------------------------------------------------

    @Test
    void aWillWhoseNoticeWasMissedIsSettledWhenTheControlChannelComesBack() {
        held(7);
        fx.store.decisions.put("dev-1 7", GatewayStore.Decision.NEW_SESSION); // its will notice was lost

        assertEquals(1, wills.recheckAll());
        settleHops();

        assertEquals(List.of("gone 7"), sent(), "without waiting its 10 minutes");
        assertEquals(List.of("will-decision dev-1 7", "will-decision dev-1 7"), fx.store.calls("will-"),
                "at hold and at the recheck, one read of the decision each: no will check");
        assertEquals(0, wills.size());
        fx.vertx.fireAll();
        settleHops();
        assertEquals(1, fx.upstream().size(), "once");
    }

    @Test
    void aResumedWillIsDroppedWhenTheControlChannelComesBack() {
        held(7);
        fx.store.decisions.put("dev-1 7", GatewayStore.Decision.RESUMED);

        wills.recheckAll();
        settleHops();

        assertEquals(List.of(), sent());
        assertEquals(0, wills.size(), "settled: no timer left to fire it");
    }

    @Test
    void aWillNotDecidedYetOrUnansweredKeepsWaitingWhenTheControlChannelComesBack() {
        held(7);
        fx.store.holders.put(ID, 9L); // a newer connection, but no decision recorded (an older gateway claimed it)

        wills.recheckAll();
        settleHops();
        fx.store.holderFailure = new IllegalStateException("redis away");
        wills.recheckAll();
        settleHops();

        assertEquals(List.of(), sent());
        assertEquals(1, wills.size(), "it waits for a notice or its delay");
        assertTrue(fx.vertx.armedDelays().contains(DELAY.toMillis()));
    }
}
