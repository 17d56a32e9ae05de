package io.tether.fanout.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.attachments.storage.AttachmentStore;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** The request body as a publisher, behind a real Vert.x HTTP server and client over a real socket (no Quarkus). */
class BodyPublisherTest {
    /** The stall timeout where a test waits for the stall; elsewhere it is {@link #PATIENT}. */
    private static final Duration STALL = Duration.ofMillis(300);
    private static final Duration PATIENT = Duration.ofMinutes(5);
    private static final long DEADLINE_SECONDS = 20;
    private static final long NO_LIMIT = Long.MAX_VALUE;

    private Vertx vertx;
    private HttpClient client;
    private int port;
    private volatile Consumer<HttpServerRequest> onRequest;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> onRequest.accept(request));
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS).actualPort();
        client = vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** How the subscriber asks for more. */
    enum Demand {
        /** One at a time, from another thread after each piece (as the S3 client does). */
        ONE_AT_A_TIME_ELSEWHERE,
        /** One at a time, from within onNext. */
        ONE_AT_A_TIME_WITHIN,
        /** Everything at once. */
        ALL,
        /** One piece, then never more (a store that stopped taking bytes). */
        FIRST_ONLY
    }

    @ParameterizedTest
    @EnumSource(value = Demand.class, names = {"ONE_AT_A_TIME_ELSEWHERE", "ONE_AT_A_TIME_WITHIN", "ALL"})
    void aBodySentInOddPiecesArrivesWholeAndInOrderWithItsSizeAndDigest(Demand demand) throws Exception {
        byte[] body = random(3 * 1024 * 1024 + 77);
        Recorder recorder = new Recorder(demand);
        CompletableFuture<BodyPublisher> publisher = serve(NO_LIMIT, PATIENT, recorder);
        send(body, 3000, 8192, 5192, 70_000, 1);

        recorder.finished.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(body, recorder.bytes());
        assertFalse(recorder.overlapped, "onNext was entered while it ran");
        assertTrue(recorder.largest <= AttachmentStore.MAX_PIECE_BYTES, "a piece of " + recorder.largest + " bytes");
        BodyPublisher done = publisher.get();
        assertEquals(body.length, done.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)), done.sha256Hex());
        assertTrue(done.failure().isEmpty());
    }

    @Test
    void aBufferLargerThanAPieceIsHandedOverInSlicesEvenWhenTheStreamDeliversWithinFetch() throws Exception {
        byte[] body = random(5 * AttachmentStore.MAX_PIECE_BYTES + 10);
        Given stream = new Given(Buffer.buffer(body));
        Recorder recorder = new Recorder(Demand.ONE_AT_A_TIME_WITHIN);
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> new BodyPublisher(stream, context, NO_LIMIT, PATIENT).subscribe(recorder));

        recorder.finished.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(body, recorder.bytes());
        assertEquals(6, recorder.pieces);
        assertEquals(AttachmentStore.MAX_PIECE_BYTES, recorder.largest);
        assertFalse(recorder.overlapped, "onNext was entered while it ran");
    }

    @Test
    void aBodyOverTheLimitFailsWithTooLarge() throws Exception {
        Recorder recorder = new Recorder(Demand.ALL);
        CompletableFuture<BodyPublisher> publisher = serve(100_000, PATIENT, recorder);
        send(random(200_000), 8192);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> recorder.finished.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(BodyPublisher.TooLarge.class, failed.getCause());
        assertSame(failed.getCause(), publisher.get().failure().orElseThrow());
        assertTrue(recorder.bytes().length <= 100_000);
    }

    @Test
    void aClientThatStopsSendingFailsTheUploadAsStalledWaitingForTheClient() throws Exception {
        Recorder recorder = new Recorder(Demand.ALL);
        CompletableFuture<BodyPublisher> publisher = serve(NO_LIMIT, STALL, recorder);
        HttpClientRequest request = client.request(HttpMethod.POST, port, "127.0.0.1", "/").toCompletionStage().toCompletableFuture()
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        request.setChunked(true).write(Buffer.buffer(random(10_000))); // and nothing more, never the end

        ExecutionException failed = assertThrows(ExecutionException.class, () -> recorder.finished.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        BodyPublisher.Stalled stalled = assertInstanceOf(BodyPublisher.Stalled.class, failed.getCause());
        assertTrue(stalled.waitingForClient());
        assertSame(stalled, publisher.get().failure().orElseThrow());
        assertEquals(10_000, recorder.bytes().length);
    }

    @Test
    void aStoreThatStopsAskingFailsTheUploadAsStalledWaitingForTheStore() throws Exception {
        Recorder recorder = new Recorder(Demand.FIRST_ONLY);
        CompletableFuture<BodyPublisher> publisher = serve(NO_LIMIT, STALL, recorder);
        send(random(100_000), 8192);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> recorder.finished.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        BodyPublisher.Stalled stalled = assertInstanceOf(BodyPublisher.Stalled.class, failed.getCause());
        assertFalse(stalled.waitingForClient());
        assertSame(stalled, publisher.get().failure().orElseThrow());
    }

    @Test
    void afterCancelNothingIsReadOrSignalled() throws Exception {
        Given stream = new Given(Buffer.buffer(random(1000)), Buffer.buffer(random(1000)));
        Recorder recorder = new Recorder(Demand.ALL) {
            @Override
            public void onNext(ByteBuffer piece) {
                super.onNext(piece);
                subscription.cancel();
            }
        };
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> new BodyPublisher(stream, context, NO_LIMIT, PATIENT).subscribe(recorder));

        // cancel() runs on the context after the first piece; a task queued after it sees its effect.
        CompletableFuture<Integer> fetchesAfterCancel = new CompletableFuture<>();
        recorder.firstPiece.thenRun(() -> context.runOnContext(v -> context.runOnContext(w -> fetchesAfterCancel.complete(stream.fetched))));
        assertEquals(1, fetchesAfterCancel.get(DEADLINE_SECONDS, TimeUnit.SECONDS), "buffers fetched");
        assertTrue(stream.paused);
        assertEquals(1, recorder.pieces);
        assertFalse(recorder.finished.isDone());
    }

    @Test
    void aSecondSubscriberAndANonPositiveRequestAreRefused() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<BodyPublisher> publisher = new CompletableFuture<>();
        context.runOnContext(v -> publisher.complete(new BodyPublisher(new Given(Buffer.buffer("x")), context, NO_LIMIT, PATIENT)));
        Recorder first = new Recorder(Demand.FIRST_ONLY) {
            @Override
            public void onSubscribe(Subscription s) {
                super.onSubscribe(s);
                s.request(0);
            }
        };
        Recorder second = new Recorder(Demand.ALL);
        publisher.get().subscribe(first);
        publisher.get().subscribe(second);

        ExecutionException refused = assertThrows(ExecutionException.class, () -> second.finished.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        ExecutionException invalid = assertThrows(ExecutionException.class, () -> first.finished.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, invalid.getCause());
    }

    private CompletableFuture<BodyPublisher> serve(long maxBytes, Duration stallTimeout, Subscriber<ByteBuffer> subscriber) {
        CompletableFuture<BodyPublisher> publisher = new CompletableFuture<>();
        onRequest = request -> {
            request.pause();
            BodyPublisher body = new BodyPublisher(request, Vertx.currentContext(), maxBytes, stallTimeout);
            body.subscribe(subscriber);
            publisher.complete(body);
        };
        return publisher;
    }

    /** Sends {@code body} chunked, in pieces of the given sizes taken in turn. */
    private void send(byte[] body, int... sizes) throws Exception {
        HttpClientRequest request = client.request(HttpMethod.POST, port, "127.0.0.1", "/").toCompletionStage().toCompletableFuture()
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        request.setChunked(true);
        int offset = 0;
        for (int i = 0; offset < body.length; i++) {
            int end = Math.min(body.length, offset + sizes[i % sizes.length]);
            request.write(Buffer.buffer().appendBytes(body, offset, end - offset));
            offset = end;
        }
        request.end();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Records what it is given and asks for more as its {@link Demand} says. */
    private static class Recorder implements Subscriber<ByteBuffer> {
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        final CompletableFuture<Void> firstPiece = new CompletableFuture<>();
        private final Demand demand;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Subscription subscription;
        volatile int pieces;
        volatile int largest;
        volatile boolean overlapped;
        private volatile boolean inside;

        Recorder(Demand demand) {
            this.demand = demand;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(demand == Demand.ALL ? Long.MAX_VALUE : 1);
        }

        @Override
        public void onNext(ByteBuffer piece) {
            if (inside) {
                overlapped = true;
            }
            inside = true;
            synchronized (received) {
                largest = Math.max(largest, piece.remaining());
                byte[] bytes = new byte[piece.remaining()];
                piece.get(bytes);
                received.write(bytes, 0, bytes.length);
            }
            pieces++;
            firstPiece.complete(null);
            if (demand == Demand.ONE_AT_A_TIME_WITHIN) {
                subscription.request(1);
            }
            inside = false;
            if (demand == Demand.ONE_AT_A_TIME_ELSEWHERE) {
                ForkJoinPool.commonPool().execute(() -> subscription.request(1));
            }
        }

        @Override
        public void onError(Throwable t) {
            finished.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            finished.complete(null);
        }

        byte[] bytes() {
            synchronized (received) {
                return received.toByteArray();
            }
        }
    }

    /** Buffers given up front, each delivered within the fetch() that asks for it (as a Vert.x stream may). */
    private static final class Given implements ReadStream<Buffer> {
        private final Deque<Buffer> buffers = new ArrayDeque<>();
        private Handler<Buffer> handler;
        private Handler<Void> endHandler;
        volatile int fetched;
        volatile boolean paused;

        Given(Buffer... buffers) {
            this.buffers.addAll(List.of(buffers));
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            paused = true;
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return fetch(Long.MAX_VALUE);
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            paused = false;
            for (long i = 0; i < amount; i++) {
                if (buffers.isEmpty()) {
                    endHandler.handle(null);
                    break;
                }
                fetched++;
                handler.handle(buffers.poll());
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            this.endHandler = endHandler;
            return this;
        }
    }
}
