package io.tether.bench.ab;

import io.tether.bench.BuildInfo;
import io.tether.bench.Options;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An A/B comparison ({@code bench/run --ab REF}): the same benchmark, from this checkout's load generator, against two
 * builds of the services, in interleaved runs (A B B A A B …), each run a JVM of its own; then {@link AbReport}.
 * bench/run builds both sides first and passes their checkouts.
 *
 * <pre>
 * AbMain --a-root DIR --a-label TEXT --b-root DIR --b-label TEXT --pairs N --out DIR --work DIR [--with-peer]
 *        [--a-options "OPTIONS"] [--b-options "OPTIONS"] -- BENCH OPTIONS
 * </pre>
 *
 * {@code --a-options}/{@code --b-options} add bench options to one side only (e.g. {@code --redis-fsync always}), so that
 * a setting of the stack can be compared as a build is: with {@code --ab HEAD} both sides run the same jars.
 */
public final class AbMain {
    /** One side: a label for the report, the checkout whose service jars run, and bench options of its own. */
    record Side(char name, String label, Path root, String build, List<String> options) {
    }

    /** One run: its number, its side, its results folder, how it ended. */
    record Run(int index, Side side, Path dir, int exitCode, double seconds) {
        Path results() {
            return dir.resolve("results.json");
        }
    }

    private AbMain() {
    }

    public static void main(String[] args) throws Exception {
        Path aRoot = null;
        Path bRoot = null;
        String aLabel = "A";
        String bLabel = "B";
        int pairs = 5;
        Path out = null;
        Path work = null;
        boolean peer = false;
        List<String> aOptions = List.of();
        List<String> bOptions = List.of();
        List<String> bench = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--a-root" -> aRoot = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--b-root" -> bRoot = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--a-label" -> aLabel = args[++i];
                case "--b-label" -> bLabel = args[++i];
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                case "--with-peer" -> peer = true;
                case "--a-options" -> aOptions = words(args[++i]);
                case "--b-options" -> bOptions = words(args[++i]);
                case "--" -> {
                    bench.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + Options.USAGE);
            }
        }
        if (aRoot == null || bRoot == null || out == null || work == null || pairs < 1) {
            throw new IllegalArgumentException("AbMain needs --a-root, --b-root, --out, --work and --pairs ≥ 1");
        }
        // Fail early on a bad option, before any run.
        Options.parse(concat(bench, aOptions).toArray(String[]::new));
        Options.parse(concat(bench, bOptions).toArray(String[]::new));
        Side a = new Side('A', aLabel, aRoot, BuildInfo.describe(aRoot), aOptions);
        Side b = new Side('B', bLabel, bRoot, BuildInfo.describe(bRoot), bOptions);
        Files.createDirectories(out);
        ZonedDateTime started = ZonedDateTime.now();
        List<Run> runs = new ArrayList<>();
        List<Character> order = AbStats.order(pairs);
        for (int i = 0; i < order.size(); i++) {
            Side side = order.get(i) == 'A' ? a : b;
            System.out.printf("bench A/B: run %d of %d: %s (%s)%n", i + 1, order.size(), side.name(), side.label());
            runs.add(runOnce(i, side, bench, work, peer));
        }
        AbReport.write(out, new AbReport.Setup(a, b, pairs, String.join(" ", bench), System.getProperty("bench.command", ""),
                started, peer), runs);
        System.out.println("bench A/B: results in " + out);
        System.exit(runs.stream().allMatch(r -> r.exitCode() == 0) ? 0 : 1);
    }

    /** One run of the benchmark against {@code side}'s services, in a JVM of its own with this JVM's options. */
    private static Run runOnce(int index, Side side, List<String> bench, Path work, boolean peer) throws Exception {
        Path dir = work.resolve(String.format("%02d-%s", index + 1, side.name()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-Dbench.command="))
                .forEach(command::add);
        command.add("-Dbench.command=" + System.getProperty("bench.command", "bench/run --ab") + " (run " + (index + 1) + ", "
                + side.name() + ")");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tether.bench.BenchMain"));
        command.addAll(concat(bench, side.options()));
        command.addAll(List.of("--services-root", side.root().toString(), "--out", dir.resolve("results").toString(),
                "--work", dir.resolve("work").toString(), "--no-charts", "--run-index", String.valueOf(index)));
        if (!peer) {
            command.add("--no-peer");
        }
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(2, TimeUnit.HOURS)) {
            process.destroyForcibly().waitFor();
        }
        return new Run(index, side, dir.resolve("results"), process.exitValue(), (System.nanoTime() - t0) / 1e9);
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
