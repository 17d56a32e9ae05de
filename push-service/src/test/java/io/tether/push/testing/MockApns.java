package io.tether.push.testing;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.tether.contract.Json;
import io.tether.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Pushy's {@link MockApnsServer} over real TLS, validating like APNs (Pushy's
 * {@link ValidatingPushNotificationHandlerFactory}: provider-token signatures and team, topics, token format,
 * unregistered tokens, payload size; client certificates for certificate auth). On top, a test may script
 * failures for a token (e.g. one 500). Everything that reaches the server is recorded.
 */
public final class MockApns implements AutoCloseable {
    private static final String DEVICE_PATH = "/3/device/";

    /** A notification as the server saw it. */
    public record Seen(String token, String topic, String pushType, Integer priority, String collapseId, Long expiration,
            String apnsId, String authorization, JsonNode payload, int payloadBytes, RejectionReason rejection) {
    }

    private final Map<String, Set<String>> tokensByTopic = new ConcurrentHashMap<>();
    private final Map<String, Instant> unregistered = new ConcurrentHashMap<>();
    private final Map<String, Deque<RejectionReason>> scripted = new ConcurrentHashMap<>();
    private final Queue<Seen> accepted = new ConcurrentLinkedQueue<>();
    private final Queue<Seen> rejected = new ConcurrentLinkedQueue<>();
    private final MockApnsServer server;
    private final int port;

    /**
     * @param keys              token-auth keys and the topics each may push to
     * @param clientCertificate certificate-auth client certificate to trust, or null
     */
    public static MockApns start(TestTls.Identity serverIdentity, Map<ApnsVerificationKey, Set<String>> keys,
            TestTls.Identity clientCertificate) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return new MockApns(serverIdentity, keys, clientCertificate, Ports.free());
            } catch (IllegalStateException e) {
                last = e; // the port was taken in between: another one
            }
        }
        throw last;
    }

    private MockApns(TestTls.Identity serverIdentity, Map<ApnsVerificationKey, Set<String>> keys, TestTls.Identity clientCertificate,
            int port) {
        Map<String, ApnsVerificationKey> keysById = new ConcurrentHashMap<>();
        keys.keySet().forEach(key -> keysById.put(key.getKeyId(), key));
        ValidatingPushNotificationHandlerFactory validating =
                new ValidatingPushNotificationHandlerFactory(tokensByTopic, unregistered, keysById, Map.copyOf(keys));
        MockApnsServerBuilder builder = new MockApnsServerBuilder()
                .setServerCredentials(new java.security.cert.X509Certificate[] {serverIdentity.certificate()}, serverIdentity.key(), null)
                .setHandlerFactory(session -> scripting(validating.buildHandler(session)))
                .setListener(new Recorder());
        if (clientCertificate != null) {
            builder.setTrustedClientCertificateChain(clientCertificate.pem().toFile());
        }
        try {
            this.server = builder.build();
            server.start(port).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("mock APNs cannot listen on " + port, e);
        } catch (Exception e) {
            throw new IllegalStateException("mock APNs did not start", e);
        }
        this.port = port;
    }

    /** Validation first (so every attempt is authenticated), then any failure scripted for the token. */
    private PushNotificationHandler scripting(PushNotificationHandler validating) {
        return (headers, payload) -> {
            validating.handlePushNotification(headers, payload);
            Deque<RejectionReason> failures = scripted.get(token(headers));
            RejectionReason failure = failures == null ? null : failures.pollFirst();
            if (failure != null) {
                throw new RejectedNotificationException(failure);
            }
        };
    }

    public int port() {
        return port;
    }

    /** The token is a device's of the app with this bundle id. */
    public void register(String topic, String token) {
        tokensByTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(token);
    }

    /** APNs answers 410 Unregistered for the token, with this invalidation time. */
    public void unregister(String token, Instant at) {
        unregistered.put(token, at);
    }

    /** The next {@code times} valid notifications to the token are answered with this failure. */
    public void failNext(String token, RejectionReason reason, int times) {
        Deque<RejectionReason> failures = scripted.computeIfAbsent(token, t -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            failures.add(reason);
        }
    }

    public List<Seen> accepted(String token) {
        return accepted.stream().filter(seen -> token.equals(seen.token())).toList();
    }

    public List<Seen> rejected(String token) {
        return rejected.stream().filter(seen -> token.equals(seen.token())).toList();
    }

    public List<Seen> allAccepted() {
        return List.copyOf(accepted);
    }

    @Override
    public void close() {
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("mock APNs shutdown: " + e);
        }
    }

    private static String token(Http2Headers headers) {
        CharSequence path = headers.path();
        String text = path == null ? "" : path.toString();
        return text.startsWith(DEVICE_PATH) ? text.substring(DEVICE_PATH.length()) : text;
    }

    private final class Recorder implements MockApnsServerListener {
        @Override
        public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
            accepted.add(seen(headers, payload, null));
        }

        @Override
        public void handlePushNotificationRejected(Http2Headers headers, ByteBuf payload, RejectionReason reason, Instant invalidatedAt) {
            rejected.add(seen(headers, payload, reason));
        }

        private Seen seen(Http2Headers headers, ByteBuf payload, RejectionReason rejection) {
            String body = payload == null ? "" : payload.toString(StandardCharsets.UTF_8);
            JsonNode json = null;
            try {
                json = body.isEmpty() ? null : Json.MAPPER.readTree(body);
            } catch (IOException notJson) {
                // recorded as null
            }
            return new Seen(token(headers), text(headers, "apns-topic"), text(headers, "apns-push-type"),
                    headers.getInt("apns-priority"), text(headers, "apns-collapse-id"), headers.getLong("apns-expiration"),
                    text(headers, "apns-id"), text(headers, "authorization"), json,
                    body.getBytes(StandardCharsets.UTF_8).length, rejection);
        }

        private static String text(Http2Headers headers, String name) {
            CharSequence value = headers.get(name);
            return value == null ? null : value.toString();
        }
    }
}
