package io.tether.bench.measure;

import java.time.Duration;

/**
 * When a warm-up has done its job: the rule scenarios 3 and 4 share, and that raw Pushy's JVM applies to itself, so
 * that every sender is measured once its JIT has compiled what the load runs. A warm-up runs in parts; it goes on
 * for at least {@code min}, then while the JIT compiler threads of the warmed JVMs used more than {@code compiled}
 * of a core over the last part, and never beyond {@code maxFactor} times {@code min}.
 *
 * @param min       the least warm-up time
 * @param maxFactor the longest warm-up, in multiples of {@code min}
 * @param compiled  JIT compiler threads below this share of a core: the warm-up has compiled what the load runs
 */
public record JitWarmup(Duration min, int maxFactor, double compiled) {
    public JitWarmup {
        if (min.isNegative() || maxFactor < 1 || compiled <= 0) {
            throw new IllegalArgumentException("min ≥ 0, maxFactor ≥ 1, compiled > 0: " + min + ", " + maxFactor + ", " + compiled);
        }
    }

    /**
     * @param elapsedNanos time since the warm-up began
     * @param jitCores     cores the JIT compiler threads used over the part just finished
     */
    public boolean keepWarming(long elapsedNanos, double jitCores) {
        long least = min.toNanos();
        return elapsedNanos < least * maxFactor && (elapsedNanos < least || jitCores > compiled);
    }

    /** The rule as program arguments (for another JVM): min in ms, maxFactor, compiled. */
    public String[] toArgs() {
        return new String[] {String.valueOf(min.toMillis()), String.valueOf(maxFactor), String.valueOf(compiled)};
    }

    public static JitWarmup fromArgs(String minMillis, String maxFactor, String compiled) {
        return new JitWarmup(Duration.ofMillis(Long.parseLong(minMillis)), Integer.parseInt(maxFactor), Double.parseDouble(compiled));
    }
}
