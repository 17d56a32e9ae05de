package io.tether.bench.stack;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.tether.testkit.LocalApns;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmark's APNs (testkit {@link LocalApns} in the load generator JVM) accepted: each notification goes to
 * the current {@link Sink} with the message id found in its payload ({@code "messageId":"…"}, the id Tether puts in
 * every notification) and the {@code System.nanoTime()} of its acceptance.
 */
public final class ApnsSink implements LocalApns.Listener {
    /** Receives every accepted notification. */
    public interface Sink {
        void accepted(String messageId, long nanoTime);
    }

    private static final Sink NONE = (id, at) -> { };
    private final AtomicLong accepted = new AtomicLong();
    private volatile Sink sink = NONE;

    public void sink(Sink value) {
        this.sink = value == null ? NONE : value;
    }

    public long acceptedCount() {
        return accepted.get();
    }

    @Override
    public void accepted(String token, Http2Headers headers, ByteBuf payload) {
        long now = System.nanoTime();
        accepted.incrementAndGet();
        sink.accepted(payload == null ? null : messageId(payload.toString(StandardCharsets.UTF_8)), now);
    }

    /** The value of {@code "messageId":"…"} in a notification payload, or null. */
    static String messageId(String payload) {
        int at = payload.indexOf("\"messageId\"");
        if (at < 0) {
            return null;
        }
        int open = payload.indexOf('"', payload.indexOf(':', at + 11) + 1);
        int close = open < 0 ? -1 : payload.indexOf('"', open + 1);
        return close < 0 ? null : payload.substring(open + 1, close);
    }
}
