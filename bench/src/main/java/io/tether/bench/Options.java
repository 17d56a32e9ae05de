package io.tether.bench;

import io.tether.bench.stack.JvmFlags;
import io.tether.testkit.TetherRoot;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code bench/run} was asked for.
 *
 * @param redisFsync   Redis's appendfsync: {@code always} (the default: what one node needs to keep an acknowledged
 *                     write through a crash, see the README's durability contract), {@code no} (the AOF record is in
 *                     the page cache before the reply, but never fsync'ed by Redis: for comparisons) or
 *                     {@code everysec} (enough with a replica)
 * @param servicesRoot the checkout whose service jars run (this one, or the other build of an A/B comparison)
 * @param peer         whether the peer side (mosquitto, raw Pushy) runs at all
 * @param charts       whether PNG charts are drawn
 */
public record Options(Scale scale, Path out, Path work, Set<String> only, String command, JvmFlags jvm, String redisFsync,
        RunOrder order, boolean peer, boolean charts, Path servicesRoot) {
    public static final String USAGE = "usage: bench/run --scale small|full [--out DIR] [--work DIR] [--only 1,2,3,4,5] "
            + "[--set name=value]... [--jit c2|c1] [--redis-fsync always|everysec|no] [--first alternate|tether|peer] [--no-peer] "
            + "[--no-charts] [--jfr] "
            + "[--service-jvm|--gateway-jvm|--kafka-jvm OPTIONS] [--jvm-add OPTION]...\n"
            + "       bench/run --ab REF [--pairs N] [--only 3] [--name NAME] [--with-peer] [any option above]";

    public static Options parse(String... args) {
        String scale = null;
        Path out = null;
        Path work = null;
        Set<String> only = new LinkedHashSet<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        JvmFlags jvm = JvmFlags.defaults();
        String redisFsync = "always";
        boolean jfr = false;
        String first = "alternate";
        int runIndex = 0;
        boolean peer = true;
        boolean charts = true;
        Path servicesRoot = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = value(args, ++i);
                case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
                case "--work" -> work = Path.of(value(args, ++i)).toAbsolutePath();
                case "--only" -> only.addAll(List.of(value(args, ++i).split(",")));
                case "--set" -> {
                    String kv = value(args, ++i);
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--set needs name=value, got " + kv);
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--jit" -> jvm = jvm.withJit(value(args, ++i));
                case "--jfr" -> jfr = true;
                case "--redis-fsync" -> redisFsync = value(args, ++i);
                case "--service-jvm" -> jvm = jvm.withService(value(args, ++i));
                case "--gateway-jvm" -> jvm = jvm.withGateway(value(args, ++i));
                case "--kafka-jvm" -> jvm = jvm.withKafka(value(args, ++i));
                case "--jvm-add" -> jvm = jvm.withAdded(value(args, ++i));
                case "--first" -> first = value(args, ++i);
                case "--run-index" -> runIndex = Integer.parseInt(value(args, ++i));
                case "--no-peer" -> peer = false;
                case "--no-charts" -> charts = false;
                case "--services-root" -> servicesRoot = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (scale == null) {
            throw new IllegalArgumentException("--scale is required");
        }
        if (!List.of("always", "everysec", "no").contains(redisFsync)) {
            throw new IllegalArgumentException("--redis-fsync is always, everysec or no, not " + redisFsync);
        }
        Path root = TetherRoot.path();
        if (out == null) {
            out = root.resolve("bench/results").resolve(LocalDate.now() + "-" + scale);
        }
        if (work == null) {
            work = root.resolve("bench/target/work-" + scale);
        }
        if (jfr) {
            jvm = jvm.withJfr(work.resolve("jfr"));
        }
        String command = System.getProperty("bench.command", "bench/run " + String.join(" ", args));
        return new Options(Scale.of(scale).with(overrides), out, work, only, command, jvm, redisFsync, new RunOrder(first, runIndex),
                peer, charts, servicesRoot == null ? root : servicesRoot);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Whether scenario {@code id} is part of this run. */
    public boolean runs(String id) {
        return only.isEmpty() || only.contains(id);
    }
}
