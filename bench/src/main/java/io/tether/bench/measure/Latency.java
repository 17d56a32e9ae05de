package io.tether.bench.measure;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A latency recorder (HdrHistogram, microseconds, 3 significant digits, up to 10 minutes), safe from any thread. */
public final class Latency {
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(1, 600_000_000L, 3);

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(600_000_000L, nanos / 1000)));
    }

    public void recordMillis(long millis) {
        histogram.recordValue(Math.max(1, Math.min(600_000_000L, millis * 1000)));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public Summary summary() {
        Histogram copy = histogram.copy();
        if (copy.getTotalCount() == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Summary(copy.getTotalCount(), ms(copy.getValueAtPercentile(50)), ms(copy.getValueAtPercentile(90)),
                ms(copy.getValueAtPercentile(99)), ms(copy.getValueAtPercentile(99.9)), ms(copy.getMaxValue()), copy.getMean() / 1000.0);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Percentiles in milliseconds. */
    public record Summary(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    }
}
