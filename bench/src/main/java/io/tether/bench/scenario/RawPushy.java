package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.measure.JitWarmup;
import io.tether.bench.push.RawPushyMain;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.TetherStack;
import io.tether.testkit.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Runs {@link RawPushyMain} in a JVM of its own with push-service's JVM options and reads what it reports. */
final class RawPushy {
    /** push-service's defaults: tether.apns.concurrent-connections, tether.apns.max-in-flight, event loop threads. */
    static final int CONNECTIONS = 2;
    static final int MAX_IN_FLIGHT = 1000;
    static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
    private static final Pattern RESULT = Pattern.compile(
            "RESULT cpu_ns=(\\d+) jit_ns=(\\d+) rejected=(\\d+) warm_s=([\\d.]+) warm_jit=([\\d.]+)");

    /**
     * Its own CPU seconds during the measured part (and of them its JIT compiler threads'), the notifications the mock
     * did not accept, and its warm-up.
     */
    record Result(double cpuSeconds, double jitSeconds, long rejected, LiveLadder.Warmup warmup) {
    }

    private RawPushy() {
    }

    /** This JVM's class path with absolute entries: the child runs in another directory. */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    /** @param warm the notifications in each part of the warm-up, which follows {@code rule} */
    static Result run(BenchContext ctx, List<Device> targets, int warm, JitWarmup rule, int count) throws IOException {
        Path dir = ctx.work.resolve("raw-pushy");
        Files.createDirectories(dir);
        Path tokens = dir.resolve("tokens.txt");
        Files.write(tokens, targets.stream().map(Device::pushToken).toList());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ctx.jvm.service("raw-pushy"));
        command.addAll(List.of("-cp", classPath(), RawPushyMain.class.getName(), "127.0.0.1",
                String.valueOf(ctx.tether.apnsPort()), ctx.tether.apnsCertificate().toString(),
                ctx.tether.apnsSigningKey().toString(), io.tether.testkit.LocalApns.TEAM_ID, io.tether.testkit.LocalApns.KEY_ID,
                TetherStack.BUNDLE_ID, tokens.toString(), String.valueOf(warm), String.valueOf(count), String.valueOf(CONNECTIONS),
                String.valueOf(MAX_IN_FLIGHT), String.valueOf(THREADS)));
        command.addAll(List.of(rule.toArgs()));
        Path log = dir.resolve("raw-pushy.log");
        try (ChildProcess process = ChildProcess.start("raw-pushy", command, dir, log)) {
            if (!process.waitFor(Duration.ofMinutes(10)) || process.exitValue() != 0) {
                throw new IllegalStateException("raw Pushy did not finish; " + log + " ends with:\n" + process.tail(20));
            }
            Matcher m = RESULT.matcher(Files.readString(log));
            if (!m.find()) {
                throw new IllegalStateException("raw Pushy reported no result; " + log + " ends with:\n" + process.tail(20));
            }
            return new Result(Long.parseLong(m.group(1)) / 1e9, Long.parseLong(m.group(2)) / 1e9, Long.parseLong(m.group(3)),
                    new LiveLadder.Warmup(Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))));
        }
    }
}
