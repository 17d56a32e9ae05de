package io.tether.fanout.attachments;

import io.tether.attachments.storage.AttachmentStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An HTTP request body as a Reactive Streams publisher for the S3 client, read only as fast as the upload goes
 * (the request stays paused; one request buffer is fetched when the subscriber wants more and the last one is
 * used up), so a body of any size streams through with a part or two in memory. Buffers are handed over in slices of
 * at most {@link AttachmentStore#MAX_PIECE_BYTES}. It counts and hashes the bytes on the way, fails with
 * {@link TooLarge} past the limit, and with {@link Stalled} when no byte moved for the stall timeout (the client
 * sent nothing, or the store took nothing), so an upload never waits forever. One subscriber; every signal and
 * state change runs on the request's Vert.x context.
 */
public final class BodyPublisher implements Publisher<ByteBuffer> {
    private final ReadStream<Buffer> body;
    private final Context context;
    private final long maxBytes;
    private final long stallNanos;
    private final MessageDigest sha256;
    private Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private Buffer pending;
    private int pendingOffset;
    private boolean fetching;
    private boolean ended;
    private boolean emitting;
    private boolean done;
    private long lastProgress;
    private long timer = -1;
    private long size;
    private volatile RuntimeException failure;
    private volatile String digest;
    private volatile long total = -1;

    /** The body was larger than allowed. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long maxBytes) {
            super("the body is larger than " + maxBytes + " bytes", null, false, false);
        }
    }

    /** No byte of the body moved for the stall timeout. */
    public static final class Stalled extends RuntimeException {
        private final boolean waitingForClient;

        Stalled(boolean waitingForClient, Duration timeout) {
            super(waitingForClient ? "the client sent no byte of the body for " + timeout
                    : "the object store took no byte of the body for " + timeout, null, false, false);
            this.waitingForClient = waitingForClient;
        }

        /** True when the store wanted more and the client sent nothing; false when the store stopped taking bytes. */
        public boolean waitingForClient() {
            return waitingForClient;
        }
    }

    public BodyPublisher(ReadStream<Buffer> body, Context context, long maxBytes, Duration stallTimeout) {
        this.body = body;
        this.context = context;
        this.maxBytes = maxBytes;
        this.stallNanos = stallTimeout.toNanos();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        body.pause();
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
        context.runOnContext(v -> {
            if (subscriber != null) {
                s.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("the body of a request can be read once"));
                return;
            }
            subscriber = s;
            body.handler(this::onChunk);
            body.exceptionHandler(error -> fail(error instanceof RuntimeException r ? r : new IllegalStateException(error)));
            body.endHandler(end -> {
                fetching = false;
                ended = true;
                drain();
            });
            progress();
            watch(stallNanos);
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    onContext(() -> onRequest(n));
                }

                @Override
                public void cancel() {
                    onContext(BodyPublisher.this::stop);
                }
            });
        });
    }

    /** Runs {@code action} on the context: at once when called there (from within onNext, say), else queued. */
    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private void onRequest(long n) {
        if (done) {
            return;
        }
        if (n <= 0) {
            fail(new IllegalArgumentException("request(" + n + "): demand must be positive (Reactive Streams rule 3.9)"));
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
    }

    private void onChunk(Buffer chunk) {
        fetching = false;
        if (done) {
            return;
        }
        progress();
        size += chunk.length();
        if (size > maxBytes) {
            fail(new TooLarge(maxBytes));
            return;
        }
        pending = chunk;
        pendingOffset = 0;
        drain();
    }

    /**
     * Hands over what the demand allows, fetching the next request buffer when the last one is used up. Not reentrant:
     * a request() or a buffer that arrives while it runs (Vert.x may deliver a fetched buffer within fetch) is served
     * by the loop already running.
     */
    private void drain() {
        if (emitting) {
            return;
        }
        emitting = true;
        try {
            while (!done) {
                if (pending != null && demand > 0) {
                    demand--;
                    subscriber.onNext(nextSlice());
                } else if (pending == null && ended) {
                    digest = HexFormat.of().formatHex(sha256.digest());
                    total = size;
                    stop();
                    subscriber.onComplete();
                } else if (pending == null && demand > 0 && !fetching) {
                    fetching = true;
                    body.fetch(1);
                } else {
                    return;
                }
            }
        } finally {
            emitting = false;
        }
    }

    private ByteBuffer nextSlice() {
        int end = Math.min(pending.length(), pendingOffset + AttachmentStore.MAX_PIECE_BYTES);
        // A copy: Netty reuses the request's buffer once its handler returns.
        byte[] bytes = pending.getBytes(pendingOffset, end);
        sha256.update(bytes);
        pendingOffset = end;
        if (pendingOffset == pending.length()) {
            pending = null;
        }
        progress();
        return ByteBuffer.wrap(bytes);
    }

    private void fail(RuntimeException error) {
        if (!done) {
            failure = error;
            stop();
            subscriber.onError(error);
        }
    }

    /** Ends the exchange: no more signals, no more reading (an unread rest of the body stays on the connection). */
    private void stop() {
        done = true;
        pending = null;
        body.pause();
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
    }

    private void progress() {
        lastProgress = System.nanoTime();
    }

    private void watch(long delayNanos) {
        timer = context.owner().setTimer(Math.max(1, delayNanos / 1_000_000), id -> context.runOnContext(v -> {
            if (done || timer != id) {
                return;
            }
            long idle = System.nanoTime() - lastProgress;
            if (idle < stallNanos) {
                watch(stallNanos - idle);
            } else {
                fail(new Stalled(fetching, Duration.ofNanos(stallNanos)));
            }
        }));
    }

    /** What this publisher failed its subscriber with (too large, stalled, the request broke); empty otherwise. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    /** SHA-256 of the whole body, 64 hex digits; null until it was read to its end. */
    public String sha256Hex() {
        return digest;
    }

    /** Bytes of the whole body; -1 until it was read to its end. */
    public long size() {
        return total;
    }
}
