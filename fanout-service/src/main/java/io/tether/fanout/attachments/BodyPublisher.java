package io.tether.fanout.attachments;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An HTTP request body as a Reactive Streams publisher for the S3 client, read only as fast as the upload goes
 * (the request stays paused between the subscriber's demands), so a body of any size streams through with a part
 * or two in memory. It counts and hashes the bytes on the way, and fails with {@link TooLarge} past the limit.
 * Every callback runs on the request's Vert.x context.
 */
public final class BodyPublisher implements Publisher<ByteBuffer> {
    private final ReadStream<Buffer> body;
    private final Context context;
    private final long maxBytes;
    private final MessageDigest sha256;
    private long size;
    private boolean done;
    private volatile String digest;
    private volatile long total = -1;

    /** The body was larger than allowed. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long maxBytes) {
            super("the body is larger than " + maxBytes + " bytes", null, false, false);
        }
    }

    public BodyPublisher(ReadStream<Buffer> body, Context context, long maxBytes) {
        this.body = body;
        this.context = context;
        this.maxBytes = maxBytes;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        body.pause();
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
        context.runOnContext(v -> {
            body.handler(chunk -> onChunk(subscriber, chunk));
            body.exceptionHandler(error -> finish(() -> subscriber.onError(error)));
            body.endHandler(end -> finish(() -> {
                digest = HexFormat.of().formatHex(sha256.digest());
                total = size;
                subscriber.onComplete();
            }));
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    context.runOnContext(x -> {
                        if (!done) {
                            body.fetch(n);
                        }
                    });
                }

                @Override
                public void cancel() {
                    context.runOnContext(x -> {
                        done = true;
                        body.pause();
                    });
                }
            });
        });
    }

    private void onChunk(Subscriber<? super ByteBuffer> subscriber, Buffer chunk) {
        if (done) {
            return;
        }
        size += chunk.length();
        if (size > maxBytes) {
            finish(() -> subscriber.onError(new TooLarge(maxBytes)));
            return;
        }
        // A copy: Netty reuses the request's buffer once this handler returns.
        byte[] bytes = chunk.getBytes();
        sha256.update(bytes);
        subscriber.onNext(ByteBuffer.wrap(bytes));
    }

    private void finish(Runnable signal) {
        if (!done) {
            done = true;
            signal.run();
        }
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
