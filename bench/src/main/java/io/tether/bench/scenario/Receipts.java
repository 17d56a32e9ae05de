package io.tether.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.tether.bench.measure.Latency;
import io.tether.bench.mqtt.MqttConn;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What devices received during one run: payloads start with {@code R<run>:<seq>:<dueNanos>:}; the first copy of each
 * seq records its latency from the due time, later copies count as duplicates, other runs' messages as stray.
 */
final class Receipts implements MqttConn.Listener {
    private volatile int run = -1;
    private volatile AtomicLongArray seen = new AtomicLongArray(1);
    private volatile Latency latency = new Latency();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong stray = new AtomicLong();

    /** Starts counting run {@code run} of up to {@code capacity} messages. */
    void begin(int newRun, long capacity) {
        seen = new AtomicLongArray((int) (capacity / 64 + 1));
        latency = new Latency();
        received.set(0);
        duplicates.set(0);
        stray.set(0);
        run = newRun;
    }

    static String prefix(int run, long seq, long dueNanos) {
        return "R" + run + ":" + seq + ":" + dueNanos + ":";
    }

    @Override
    public void onPublish(MqttConn conn, String topic, ByteBuf payload, MqttProperties properties) {
        long now = System.nanoTime();
        int i = payload.readerIndex();
        int end = payload.writerIndex();
        if (end - i < 2 || payload.getByte(i) != 'R') {
            stray.incrementAndGet();
            return;
        }
        long[] fields = new long[3];
        int field = 0;
        long value = 0;
        for (i = i + 1; i < end && field < 3; i++) {
            byte b = payload.getByte(i);
            if (b == ':') {
                fields[field++] = value;
                value = 0;
            } else if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            } else {
                stray.incrementAndGet();
                return;
            }
        }
        if (field < 3 || fields[0] != run) {
            stray.incrementAndGet();
            return;
        }
        long seq = fields[1];
        AtomicLongArray bits = seen;
        int word = (int) (seq >>> 6);
        if (word >= bits.length()) {
            stray.incrementAndGet();
            return;
        }
        long mask = 1L << (seq & 63);
        long old = bits.getAndUpdate(word, w -> w | mask);
        if ((old & mask) != 0) {
            duplicates.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        latency.recordNanos(now - fields[2]);
    }

    long received() {
        return received.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long stray() {
        return stray.get();
    }

    Latency latency() {
        return latency;
    }

    static String text(ByteBuf payload) {
        return payload.toString(StandardCharsets.US_ASCII);
    }
}
