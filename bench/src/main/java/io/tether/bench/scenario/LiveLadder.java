package io.tether.bench.scenario;

import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.JitWarmup;
import io.tether.bench.measure.KafkaRequests;
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
 * higher rates are then skipped, as they are after a step whose messages had not all arrived {@link #DRAIN} after the
 * last send. Sends still unanswered then (a stall) are reported, but the next rate runs.
 */
final class LiveLadder {
    static final Duration MAX_BEHIND = Duration.ofSeconds(5);
    static final Duration DRAIN = Duration.ofSeconds(20);
    static final Duration WARMUP_PART = Duration.ofSeconds(5);
    /** JIT compiler threads below this share of a core: the warm-up has compiled what the load runs. */
    static final double COMPILED = 0.1;
    static final int MAX_WARMUP_FACTOR = 6;

    private final Scale scale;
    private final LiveSystem system;
    private final List<Device> receivers;
    private Warmup warmup;

    LiveLadder(Scale scale, LiveSystem system, List<Device> receivers) {
        this.scale = scale;
        this.system = system;
        this.receivers = receivers;
    }

    /** How the warm-up went: its length, and the cores the JIT compiler threads used in its last part. */
    record Warmup(double seconds, double jitCores) {
    }

    /** Runs the warm-up, then every rate. */
    List<LiveStep> run() {
        warmup = warmUp();
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
            if (step.overloaded()) {
                overloaded = "overloaded at " + Fmt.count(rate) + " msg/s";
            }
        }
        return steps;
    }

    Warmup warmup() {
        return warmup;
    }

    /**
     * The warm-up rate in parts of {@link #WARMUP_PART}: for at least the scale's warm-up time, then until the JIT
     * compiler threads of the system's JVMs use less than {@link #COMPILED} of a core over a part (C2 has compiled the
     * hot path), for at most {@link #MAX_WARMUP_FACTOR} times the scale's warm-up time.
     */
    private Warmup warmUp() {
        long t0 = System.nanoTime();
        double jit;
        LiveStep last;
        do {
            last = step(0, scale.liveWarmupRate(), warmupPart(scale));
            jit = last.cpu().jitOf(system.processes()) / last.cpu().elapsed();
        } while (!last.overloaded() && keepWarming(scale, t0, jit));
        Warmup done = new Warmup((System.nanoTime() - t0) / 1e9, jit);
        System.out.printf("bench: 3 live     %-9s warm-up %.0f s at %,d msg/s; JIT threads at the end %.2f cores%n", system.name(),
                done.seconds(), scale.liveWarmupRate(), done.jitCores());
        return done;
    }

    /** One part of a warm-up: {@link #WARMUP_PART}, or the scale's whole warm-up when that is shorter. */
    static Duration warmupPart(Scale scale) {
        return scale.liveWarmup().compareTo(WARMUP_PART) < 0 ? scale.liveWarmup() : WARMUP_PART;
    }

    /**
     * Whether a warm-up begun at {@code t0} (nanoTime) goes on after a part whose JIT threads used {@code jitCores}: for
     * at least the scale's warm-up time, then while they use more than {@link #COMPILED}, for at most
     * {@link #MAX_WARMUP_FACTOR} times the scale's warm-up time.
     */
    static boolean keepWarming(Scale scale, long t0, double jitCores) {
        return warmupRule(scale).keepWarming(System.nanoTime() - t0, jitCores);
    }

    /** The warm-up rule of this scale (scenario 3's, also the fallback's and the push throughput's). */
    static JitWarmup warmupRule(Scale scale) {
        return warmupRule(scale.liveWarmup());
    }

    /** The same rule with another least warm-up time (scenario 1's). */
    static JitWarmup warmupRule(Duration least) {
        return new JitWarmup(least, MAX_WARMUP_FACTOR, COMPILED);
    }

    private LiveStep step(int run, int rate, Duration duration) {
        long planned = (long) rate * duration.toMillis() / 1000;
        system.begin(run, planned + 1);
        AtomicLong sentSoFar = new AtomicLong();
        long maxBehind = Math.max(100, rate * MAX_BEHIND.toSeconds());
        Map<String, RedisStats.Command> redisBefore = redisSnapshot();
        RedisStats.Dataset datasetBefore = datasetSnapshot();
        Map<String, Long> kafkaBefore = system.kafkaRequests();
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
            status = unsettled(sent);
        }
        CpuMeter.Use cpu = meter.stop();
        Map<String, RedisStats.Command> redis = RedisStats.delta(redisBefore, redisSnapshot());
        RedisStats.Dataset datasetAfter = datasetSnapshot();
        RedisStats.Dataset grown = datasetBefore == null || datasetAfter == null ? null : datasetAfter.minus(datasetBefore);
        Map<String, Long> kafka = KafkaRequests.delta(kafkaBefore, system.kafkaRequests());
        if (!drained) {
            // Let the backlog clear before the next step (or phase) measures anything; late answers and errors (the
            // REST client gives up after 60 s) still count in this step's answer latency and errors.
            Poll.until(Duration.ofSeconds(70), Duration.ofMillis(50), () -> settled(sent));
        }
        return new LiveStep(rate, sent, system.accepted(), sendSeconds, system.receipts.received(),
                system.receipts.duplicates(), system.receipts.latency().summary(), system.answerLatency().summary(), cpu,
                system.processes(), redis, grown, kafka, system.errors(), status);
    }

    /**
     * What was still missing {@link #DRAIN} after the last send: messages at the devices (overloaded), or answers to
     * sends (stalled: a 202 or PUBACK more than 20 s late, whether or not the message arrived).
     */
    private String unsettled(long sent) {
        long unanswered = sent - system.answered();
        long missing = system.accepted() - system.receipts.received();
        String late = DRAIN.toSeconds() + " s after the last send ";
        if (missing > 0) {
            return "overloaded: " + late + missing + " accepted messages had not arrived"
                    + (unanswered > 0 ? " and " + unanswered + " sends were unanswered" : "");
        }
        return "stalled: " + late + unanswered + " of " + sent + " sends were unanswered (" + system.receipts.received()
                + " messages had arrived)";
    }

    /** Every message answered, and every accepted one received. */
    private boolean settled(long sent) {
        return system.answered() >= sent && system.receipts.received() >= system.accepted();
    }

    private Map<String, RedisStats.Command> redisSnapshot() {
        return system.redisPort() < 0 ? Map.of() : RedisStats.snapshot(system.redisPort());
    }

    private RedisStats.Dataset datasetSnapshot() {
        return system.redisPort() < 0 ? null : RedisStats.dataset(system.redisPort());
    }
}
