package io.tether.bench.stack;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushy's {@link MockApnsServer} in the benchmark JVM, over real TLS and HTTP/2, validating like APNs (provider
 * token signature, team and topic, registered device tokens). Each accepted notification is reported to the
 * current {@link Sink} with the message id found in its payload ({@code "messageId":"…"}) and the wall-clock time.
 */
public final class BenchApns implements AutoCloseable {
    public static final String TEAM_ID = "BENCHTEAM1";
    public static final String KEY_ID = "BENCHKEY01";

    /** Receives every accepted notification. */
    public interface Sink {
        void accepted(String messageId, long epochMillis);
    }

    private final MockApnsServer server;
    private final int port;
    private final Keys.TlsIdentity identity;
    private final Keys.SigningKey signingKey;
    private final Map<String, Set<String>> tokensByTopic = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<String, AtomicLong> rejections = new ConcurrentHashMap<>();
    private volatile Sink sink = (id, at) -> { };

    private BenchApns(Path dir, int port, String bundleId) throws javax.net.ssl.SSLException {
        this.identity = Keys.server(dir);
        this.signingKey = Keys.signingKey(dir, TEAM_ID, KEY_ID);
        ApnsVerificationKey verification = signingKey.verificationKey();
        ValidatingPushNotificationHandlerFactory validating = new ValidatingPushNotificationHandlerFactory(tokensByTopic,
                new ConcurrentHashMap<String, Instant>(), Map.of(KEY_ID, verification), Map.of(verification, Set.of(bundleId)));
        this.server = new MockApnsServerBuilder()
                .setServerCredentials(new X509Certificate[] {identity.certificate()}, identity.key(), null)
                .setHandlerFactory(validating)
                .setListener(new Listener())
                .build();
        try {
            server.start(port).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("mock APNs cannot listen on " + port, e);
        }
        this.port = port;
    }

    public static BenchApns start(Path dir, int port, String bundleId) {
        try {
            return new BenchApns(dir, port, bundleId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the mock APNs: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public Path certificatePem() {
        return identity.pem();
    }

    public Keys.SigningKey signingKey() {
        return signingKey;
    }

    /** Lets the mock accept notifications to {@code token} for {@code topic} (APNs: a token of that app). */
    public void register(String topic, String token) {
        tokensByTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(token);
    }

    public void sink(Sink sink) {
        this.sink = sink == null ? (id, at) -> { } : sink;
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long rejectedCount() {
        return rejected.get();
    }

    public Map<String, AtomicLong> rejections() {
        return rejections;
    }

    @Override
    public void close() {
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("bench: mock APNs shutdown: " + e);
        }
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

    private final class Listener implements MockApnsServerListener {
        @Override
        public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
            long now = System.currentTimeMillis();
            accepted.incrementAndGet();
            String id = payload == null ? null : messageId(payload.toString(StandardCharsets.UTF_8));
            sink.accepted(id, now);
        }

        @Override
        public void handlePushNotificationRejected(Http2Headers headers, ByteBuf payload, RejectionReason reason,
                Instant deviceTokenExpirationTimestamp) {
            rejected.incrementAndGet();
            rejections.computeIfAbsent(String.valueOf(reason), r -> new AtomicLong()).incrementAndGet();
        }
    }
}
