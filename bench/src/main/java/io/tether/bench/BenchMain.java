package io.tether.bench;

import io.tether.testkit.Children;

/**
 * The benchmark's entry point ({@code bench/run}): one run of the chosen scenarios against Tether and mosquitto, see
 * {@link BenchRun}; {@code --reap-orphans} stops the processes of a run whose JVM was killed. A/B comparisons are
 * {@link io.tether.bench.ab.AbMain}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--reap-orphans")) {
            Children.reapOrphans();
            return;
        }
        try {
            BenchRun.Outcome outcome = BenchRun.run(Options.parse(args));
            System.out.println("bench: results in " + outcome.out());
            System.exit(outcome.failed().isEmpty() ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("bench: FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
