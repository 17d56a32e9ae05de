package io.tether.bench;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How big each scenario is. {@code small} proves in about a minute that every scenario still works (CI); {@code full}
 * is the measurement of issue 8 and fits in 15 minutes on 2 cores: every phase that depends on Tether's speed is
 * bounded in time, so a slow system gives smaller samples, not a longer run.
 *
 * @param upPublishers        scenario 1: publishing connections
 * @param upMessages          scenario 1: measured QoS 1 messages per publisher (at most)
 * @param upWarmup            scenario 1: unmeasured messages per publisher in each part of the warm-up
 * @param upWarmupTime        scenario 1: the least warm-up; it goes on in parts until the JIT has compiled what the load
 *                            runs (the rule of scenarios 3 and 4, {@code JitWarmup}), as a gateway in production has
 * @param upWindow            scenario 1: publishes awaiting PUBACK per connection
 * @param upDeadline          scenario 1: the measured part stops sending after this long
 * @param payloadBytes        payload size of every message
 * @param idleLevels          scenario 2: connection counts (cumulative), capped by the open-file limit
 * @param connectConcurrency  connect attempts in flight at once (scenarios 2 and 5)
 * @param liveDevices         scenario 3: subscribed devices the messages are spread over
 * @param liveRates           scenario 3: messages per second
 * @param liveDuration        scenario 3: time at each rate
 * @param liveWarmup          scenario 3: unmeasured time first (the JIT compiles the hot path; with C2 that takes a while)
 * @param liveWarmupRate      scenario 3: messages per second during the warm-up
 * @param deafDevices         scenario 4: devices that stop reading, one message each
 * @param pushDevices         scenario 4: devices with APNs tokens (the deaf ones are among them)
 * @param pushRequests        scenario 4: notifications in the push-service vs raw Pushy throughput runs (at most)
 * @param pushSeconds         scenario 4: the throughput runs are sized to take about this long at the warm-up's rate
 * @param ackTimeout          gateway's PUBACK deadline (scenario 4 waits it out)
 * @param stormDevices        scenario 5: devices that drop and reconnect, capped by the open-file limit
 * @param stormRate           scenario 5: messages per second sent to them from just before the drop until all are LIVE
 * @param settle              fixed waits before a reading: scenario 2 waits this long for the last connects' writes
 *                            before reading memory (and half as long after the full GC). Short at the small scale,
 *                            whose figures nobody reads.
 * @param connectWarmup       scenario 2: devices of its own that connect, subscribe and disconnect on each system before
 *                            the first level (0: none), so the levels measure connects in a steady state rather than the
 *                            JVMs compiling the CONNECT path (mosquitto, without a JIT, gets the same rounds); the first
 *                            round's rate is the cold one. 5,000 devices, 5 rounds at full scale (a gateway in production
 *                            is warm; bench/results/2026-12-05-s2-load-generator-bind), one small round at the small scale
 * @param connectWarmupRounds scenario 2: how many times the warm-up's devices connect and disconnect
 * @param idleWindow          after the scenarios: how long each process's idle CPU is read (5 s at full scale; a longer
 *                            window, e.g. {@code --set idleWindow=30s}, resolves a JVM's ~1 % of a core in an A/B)
 * @param quietWindow         before each phase: the window over which both systems' CPU must be below their idle bound
 *                            ({@code Quiet}); one second at full scale, a quarter at the small scale, whose figures
 *                            nobody reads
 */
public record Scale(String name, int upPublishers, int upMessages, int upWarmup, Duration upWarmupTime, int upWindow,
        Duration upDeadline, int payloadBytes, List<Integer> idleLevels, int connectConcurrency, int liveDevices,
        List<Integer> liveRates, Duration liveDuration, Duration liveWarmup, int liveWarmupRate, int deafDevices,
        int pushDevices, int pushRequests, Duration pushSeconds, Duration ackTimeout, int stormDevices, int stormRate,
        Duration settle, int connectWarmup, int connectWarmupRounds, Duration idleWindow, Duration quietWindow) {

    public static Scale of(String name) {
        return switch (name) {
            case "small" -> new Scale("small", 10, 100, 20, Duration.ZERO, 10, Duration.ofSeconds(20), 256, List.of(100, 200),
                    100, 50, List.of(100, 200), Duration.ofSeconds(1), Duration.ofMillis(100), 100, 20, 50, 300,
                    Duration.ofSeconds(5), Duration.ofSeconds(1), 200, 100, Duration.ofMillis(400), 50, 1, Duration.ofSeconds(1),
                    Duration.ofMillis(250));
            case "full" -> new Scale("full", 100, 2000, 500, Duration.ofSeconds(5), 10, Duration.ofSeconds(45), 256,
                    List.of(10_000, 50_000, 100_000), 500, 1000, List.of(250, 500, 1000, 2000, 5000), Duration.ofSeconds(15),
                    Duration.ofSeconds(20), 500, 1000, 2000, 20_000, Duration.ofSeconds(25), Duration.ofSeconds(5), 50_000, 1000,
                    Duration.ofSeconds(2), 5000, 5, Duration.ofSeconds(5), Duration.ofSeconds(1));
            default -> throw new IllegalArgumentException("unknown scale " + name + " (small or full)");
        };
    }

    /**
     * This scale with parameters replaced, e.g. {@code idleLevels=2000,4000} or {@code liveDuration=10s}: integers,
     * comma-separated integer lists, durations as {@code 10s}/{@code 500ms}.
     */
    public Scale with(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        RecordComponent[] components = Scale.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                values[i] = c.getAccessor().invoke(this);
                String text = overrides.get(c.getName());
                if (text != null) {
                    values[i] = parse(c.getType(), text.trim(), c.getName());
                }
            }
            for (String key : overrides.keySet()) {
                if (Arrays.stream(components).noneMatch(c -> c.getName().equals(key))) {
                    throw new IllegalArgumentException("unknown scale parameter " + key);
                }
            }
            return Scale.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(Class<?> type, String text, String name) {
        try {
            if (type == int.class) {
                return Integer.parseInt(text);
            }
            if (type == Duration.class) {
                return text.endsWith("ms") ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
                        : Duration.ofSeconds(Long.parseLong(text.replaceAll("s$", "")));
            }
            if (type == List.class) {
                List<Integer> out = new ArrayList<>();
                for (String part : text.split(",")) {
                    out.add(Integer.parseInt(part.trim()));
                }
                return List.copyOf(out);
            }
            if (type == String.class) {
                return text;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value for " + name + ": " + text);
        }
        throw new IllegalArgumentException("cannot set " + name);
    }
}
