package io.tether.bench.scenario;

import io.tether.bench.stack.ApnsSink;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the APNs mock accepted during scenario 4: the acceptance time ({@code System.nanoTime()}) of each message id, and
 * per id prefix ({@code bp-17} → {@code bp}) the count and the first and last acceptance, for throughput.
 */
final class ApnsAccepted implements ApnsSink.Sink {
    private final Map<String, Long> at = new ConcurrentHashMap<>();
    private final Map<String, long[]> spans = new ConcurrentHashMap<>();

    @Override
    public void accepted(String messageId, long nanoTime) {
        if (messageId == null) {
            return;
        }
        at.putIfAbsent(messageId, nanoTime);
        int dash = messageId.indexOf('-');
        String prefix = dash > 0 && dash <= 4 ? messageId.substring(0, dash) : "msg";
        spans.compute(prefix, (k, v) -> {
            if (v == null) {
                return new long[] {nanoTime, nanoTime, 1};
            }
            v[0] = Math.min(v[0], nanoTime);
            v[1] = Math.max(v[1], nanoTime);
            v[2]++;
            return v;
        });
    }

    /** When the notification of {@code messageId} was accepted (nanoTime), or null. */
    Long at(String messageId) {
        return at.get(messageId);
    }

    long count(String prefix) {
        long[] v = spans.get(prefix);
        return v == null ? 0 : v[2];
    }

    /** Acceptances per second between the first and the last of a prefix. */
    double perSecond(String prefix) {
        long[] v = spans.get(prefix);
        return v == null || v[2] < 2 ? Double.NaN : (v[2] - 1) / ((v[1] - v[0]) / 1e9);
    }
}
