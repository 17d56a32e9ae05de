package io.tether.bench.scenario;

import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.RedisStats;
import io.tether.bench.report.Fmt;
import io.tether.bench.stack.Devices.Device;
import io.tether.testkit.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs scenario 3's rates on one system: an unmeasured warm-up, then each rate for the scale's duration, open loop
 * ({@link Paced}). A step stops when the system falls {@link #MAX_BEHIND} of messages behind the offered rate, and the
 * higher rates are then skipped.
 */
final class LiveLadder {
    static final Duration MAX_BEHIND = Duration.ofSeconds(5);
    static final Duration DRAIN = Duration.ofSeconds(20);

    private final Scale scale;
    private final LiveSystem system;
    private final List<Device> receivers;

    LiveLadder(Scale scale, LiveSystem system, List<Device> receivers) {
        this.scale = scale;
        this.system = system;
        this.receivers = receivers;
    }

    List<LiveStep> run() {
        step(0, scale.liveWarmupRate(), scale.liveWarmup());
        List<LiveStep> steps = new ArrayList<>();
        String overloaded = null;
        int run = 1;
        for (int rate : scale.liveRates()) {
            if (overloaded != null) {
                steps.add(LiveStep.skipped(rate, "skipped: " + overloaded));
                continue;
            }
            LiveStep step = step(run++, rate, scale.liveDuration());
            System.out.printf("bench: 3 live     %-9s %,6d msg/s: sent %,d accepted %,d received %,d, p50 %.2f ms p99 %.2f ms, "
                    + "%.0f µs CPU/msg%s%n", system.name(), rate, step.sent(), step.accepted(), step.received(), step.latency().p50(),
                    step.latency().p99(), step.systemMicros(), step.status() == null ? "" : " (" + step.status() + ")");
            steps.add(step);
            if (step.status() != null) {
                overloaded = "overloaded at " + Fmt.count(rate) + " msg/s";
            }
        }
        return steps;
    }

    private LiveStep step(int run, int rate, Duration duration) {
        long planned = (long) rate * duration.toMillis() / 1000;
        system.begin(run, planned + 1);
        AtomicLong sentSoFar = new AtomicLong();
        long maxBehind = Math.max(100, rate * MAX_BEHIND.toSeconds());
        Map<String, RedisStats.Command> redisBefore = redisSnapshot();
        CpuMeter meter = CpuMeter.start(system.pids());
        long t0 = System.nanoTime();
        long sent = Paced.run(rate, duration, (seq, due) -> {
            sentSoFar.incrementAndGet();
            Device d = receivers.get((int) (seq % receivers.size()));
            system.send(d, Support.payload(Receipts.prefix(run, seq, due), scale.payloadBytes()), due);
        }, () -> sentSoFar.get() - system.receipts.received() > maxBehind);
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        String status = sent < planned
                ? String.format("overloaded: fell %d s behind after %.1f s", MAX_BEHIND.toSeconds(), sendSeconds) : null;
        boolean drained = Poll.until(DRAIN, Duration.ofMillis(20), () -> settled(sent));
        if (!drained && status == null) {
            status = "overloaded: not drained " + DRAIN.toSeconds() + " s after the last send";
        }
        CpuMeter.Use cpu = meter.stop();
        Map<String, RedisStats.Command> redis = RedisStats.delta(redisBefore, redisSnapshot());
        LiveStep step = new LiveStep(rate, sent, system.accepted(), sendSeconds, system.receipts.received(),
                system.receipts.duplicates(), system.receipts.latency().summary(), system.answerLatency().summary(), cpu,
                system.processes(), redis, system.errors(), status);
        if (!drained) {
            // Let the backlog clear before the next step (or phase) measures anything.
            Poll.until(Duration.ofSeconds(60), Duration.ofMillis(50), () -> settled(sent));
        }
        return step;
    }

    /** Every message answered, and every accepted one received. */
    private boolean settled(long sent) {
        return system.answered() >= sent && system.receipts.received() >= system.accepted();
    }

    private Map<String, RedisStats.Command> redisSnapshot() {
        return system.redisPort() < 0 ? Map.of() : RedisStats.snapshot(system.redisPort());
    }
}
