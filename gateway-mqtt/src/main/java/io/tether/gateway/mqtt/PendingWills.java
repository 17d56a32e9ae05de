package io.tether.gateway.mqtt;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The wills this gateway holds back for their Will Delay Interval: at most one per device, with the epoch of the
 * connection it belongs to. The first connection claimed after that one decides it [MQTT-3.1.3-9]: {@link #settle} when
 * that claim ran here or its {@link io.tether.contract.WillNotice} arrived, else Redis is asked when the delay is up. A
 * device whose connection ends again before its will was decided holds the newer will, and the older one is checked in
 * Redis at once (the first connection after it has decided it by then), not lost. So what they hold (payloads, for up
 * to the longest session expiry) is bounded by the devices, not by how often one drops and reconnects. When the control
 * channel comes back after a loss, every held will asks Redis again ({@link #recheckAll}), a batch at a time: a will
 * notice missed meanwhile does not leave a will whose session ended waiting its whole delay.
 */
public final class PendingWills {
    private static final Logger LOG = Logger.getLogger(PendingWills.class);
    /** Wills asking Redis at once during a recheck: enough to pipeline, few enough not to flood it (as the session audit). */
    public static final int RECHECK_BATCH = 256;

    private final Vertx vertx;
    private final Outcomes outcomes;
    private final Map<String, Waiting> wills = new ConcurrentHashMap<>();
    private final AtomicBoolean rechecking = new AtomicBoolean();
    /** A call of {@link #recheckAll} came while a run was going: one more runs once it is done. */
    private final AtomicBoolean again = new AtomicBoolean();

    /** Counts what became of the delayed wills (metrics). */
    public interface Outcomes {
        /** @param outcome {@code sent}, {@code not-sent}, {@code sent-unchecked} or {@code dropped-unchecked} */
        void will(String outcome);
    }

    /** A held will; whether it goes is {@link WillDelay#sent}'s call. */
    interface Will {
        /** Its delay is up: asks Redis and acts. */
        void check();

        /**
         * A will of the newer connection {@code newer} of the device replaced it here: asks Redis and acts. Should Redis
         * not answer, what is known decides: a newer connection of the device exists, so not sent.
         */
        void replaced(long newer);

        /**
         * Asks Redis whether the first connection after it decided, and settles it if so; else it keeps waiting.
         * Completes once Redis answered (or did not).
         */
        CompletionStage<?> recheck();

        /** The first connection after it resumed the session ({@code resumed}) or began a new one. */
        void decided(boolean resumed);
    }

    private record Waiting(long epoch, long timer, Will will) {
    }

    /** @param outcomes counts what became of each delayed will */
    public PendingWills(Vertx vertx, Outcomes outcomes) {
        this.vertx = vertx;
        this.outcomes = outcomes;
    }

    /** Counting nothing. */
    public PendingWills(Vertx vertx) {
        this(vertx, outcome -> { });
    }

    Vertx vertx() {
        return vertx;
    }

    /** A delayed will was sent, or not: {@link Outcomes#will}. */
    void counted(String outcome) {
        outcomes.will(outcome);
    }

    /**
     * Holds the will of connection {@code epoch} for {@code delayMillis}, then checks it. A will of the device held
     * already is checked at once instead of dropped: the older of the two, which the newer connection came after.
     */
    void hold(String deviceId, long epoch, long delayMillis, Will will) {
        Will[] older = new Will[1];
        long[] newer = new long[1];
        wills.compute(deviceId, (id, waiting) -> {
            if (waiting != null && waiting.epoch() > epoch) {
                older[0] = will; // an older connection's end, told late: the held will is the newer one
                newer[0] = waiting.epoch();
                return waiting;
            }
            if (waiting != null) {
                vertx.cancelTimer(waiting.timer());
                older[0] = waiting.will();
                newer[0] = epoch;
            }
            // Its entry is removed before it runs; a timer that fires while compute still holds the entry waits for it
            // (computeIfPresent takes the same lock).
            long timer = vertx.setTimer(delayMillis, fired -> {
                if (take(deviceId, w -> w.timer() == fired) != null) {
                    will.check();
                }
            });
            return new Waiting(epoch, timer, will);
        });
        if (older[0] != null) {
            older[0].replaced(newer[0]);
        }
    }

    /**
     * Every held will asks Redis whether the first connection after it decided (the control channel was down, so its
     * will notice may have been missed); those decided are settled, the others keep waiting. They ask {@link #RECHECK_BATCH} at
     * a time, the next batch once the one before was answered, so that a gateway holding many (after a network blip)
     * does not add them all at once to the reconnect storm; a will settled meanwhile does not ask. A call while a run is
     * going is not doubled but remembered: once that run is done, one more runs from the wills held then (however many
     * calls came meanwhile), so that a will whose batch failed, or whose notice was missed, during a flap that run
     * spanned does not wait its whole delay. Returns how many will ask, -1 when a run was going already (one more
     * follows it). Called from any thread.
     */
    public int recheckAll() {
        if (!rechecking.compareAndSet(false, true)) {
            again.set(true);
            if (!rechecking.compareAndSet(false, true)) {
                return -1; // the run going sees the flag when it is done
            }
            // the run ended between the two: this call starts the next itself
        }
        again.set(false); // this run's snapshot is fresher than any asked for before
        return start();
    }

    /** Starts a run from the wills held now; {@link #rechecking} is set. Returns how many will ask. */
    private int start() {
        boolean started = false;
        try {
            List<Map.Entry<String, Waiting>> held = List.copyOf(wills.entrySet());
            new Run(held).drain();
            started = true;
            return held.size();
        } finally {
            if (!started) {
                rechecking.set(false);
            }
        }
    }

    /** A run is done: one more runs if asked for meanwhile, else the next call starts one. */
    private void finished() {
        while (true) {
            if (again.getAndSet(false)) {
                start();
                return;
            }
            rechecking.set(false);
            // A call that found the run going may have asked again after the check above: take the flag back for it.
            if (!again.get() || !rechecking.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /**
     * One run over a snapshot of the held wills, a batch at a time. The next batch starts in a loop, not from inside the
     * one before's completion: answers that come on the calling thread (or have come already) do not deepen the stack.
     */
    private final class Run {
        private final List<Map.Entry<String, Waiting>> held;
        /** Callers of {@link #drain} not yet seen by the one looping; only that one touches the fields below. */
        private final AtomicInteger pending = new AtomicInteger();
        private int next;
        private CompletableFuture<?> asking = CompletableFuture.completedFuture(null);

        Run(List<Map.Entry<String, Waiting>> held) {
            this.held = held;
        }

        /** Starts batches while the one before was answered; a call while another loops only tells it to look again. */
        void drain() {
            if (pending.getAndIncrement() != 0) {
                return;
            }
            do {
                while (asking.isDone()) {
                    if (next >= held.size()) {
                        finished();
                        return; // no batch left to call drain
                    }
                    asking = batch(next);
                    next += RECHECK_BATCH;
                    asking.whenComplete((done, error) -> drain());
                }
            } while (pending.decrementAndGet() != 0);
        }

        private CompletableFuture<?> batch(int from) {
            CompletableFuture<?>[] batch = held.subList(from, Math.min(held.size(), from + RECHECK_BATCH)).stream()
                    .filter(entry -> wills.get(entry.getKey()) == entry.getValue())
                    .map(entry -> recheck(entry.getValue().will()))
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(batch);
        }
    }

    /** The will's recheck, never failing: one that throws does not stop the others. */
    private static CompletableFuture<?> recheck(Will will) {
        try {
            return will.recheck().toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.warnf(e, "a delayed will could not ask Redis again");
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Whether a recheck is going (for tests). */
    boolean rechecking() {
        return rechecking.get();
    }

    /**
     * The first connection claimed after connection {@code epoch} of the device resumed its session, or began a new one:
     * its will, if held here, is decided now. Called from any thread.
     */
    public void settle(String deviceId, long epoch, boolean resumed) {
        Waiting settled = take(deviceId, w -> w.epoch() == epoch);
        if (settled != null) {
            vertx.cancelTimer(settled.timer());
            settled.will().decided(resumed);
        }
    }

    /** Removes and returns the device's held will if {@code mine} says it is the one meant. */
    private Waiting take(String deviceId, Predicate<Waiting> mine) {
        Waiting[] taken = new Waiting[1];
        wills.computeIfPresent(deviceId, (id, waiting) -> {
            if (!mine.test(waiting)) {
                return waiting;
            }
            taken[0] = waiting;
            return null;
        });
        return taken[0];
    }

    /** Wills waiting (for tests). */
    int size() {
        return wills.size();
    }
}
