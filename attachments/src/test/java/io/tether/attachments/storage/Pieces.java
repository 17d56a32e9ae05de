package io.tether.attachments.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A body of unknown length handed over in pieces of the given sizes, only as the subscriber asks, the way an HTTP
 * request body arrives (piece sizes follow the network, not the part size). Byte {@code i} of the body is
 * {@link #byteAt(long) byteAt(i)}. One subscriber.
 */
final class Pieces implements Publisher<ByteBuffer> {
    private final int[] sizes;

    Pieces(int... sizes) {
        this.sizes = sizes;
    }

    static byte byteAt(long index) {
        return (byte) (index % 251);
    }

    long length() {
        long total = 0;
        for (int size : sizes) {
            total += size;
        }
        return total;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Subscription() {
            private final AtomicLong demand = new AtomicLong();
            private final AtomicInteger draining = new AtomicInteger();
            private volatile boolean cancelled;
            private int next;
            private long offset;

            @Override
            public void request(long n) {
                demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                drain();
            }

            @Override
            public void cancel() {
                cancelled = true;
            }

            // Serialised and not reentrant: a request() made from inside onNext is served by the loop already running.
            private void drain() {
                if (draining.getAndIncrement() != 0) {
                    return;
                }
                do {
                    while (!cancelled && next < sizes.length && demand.get() > 0) {
                        demand.decrementAndGet();
                        ByteBuffer piece = ByteBuffer.allocate(sizes[next++]);
                        while (piece.hasRemaining()) {
                            piece.put(byteAt(offset++));
                        }
                        subscriber.onNext(piece.flip());
                    }
                    if (!cancelled && next == sizes.length) {
                        next++;
                        subscriber.onComplete();
                    }
                } while (draining.decrementAndGet() != 0);
            }
        });
    }
}
