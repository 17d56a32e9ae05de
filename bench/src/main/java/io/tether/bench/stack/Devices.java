package io.tether.bench.stack;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** Registers devices through the registry's REST API ({@code POST /v1/devices}), many requests in flight. */
public final class Devices {
    /** A registered device: id, MQTT credentials, and its APNs token (null without one). */
    public record Device(String id, String username, String password, String pushToken) {
    }

    /** Tries of one registration whose request got no answer in time. */
    private static final int ATTEMPTS = 3;

    private Devices() {
    }

    /**
     * Registers {@code count} iOS devices of the bench app; with {@code pushTokens} each gets a random sandbox token.
     * Throws when any registration fails.
     */
    public static List<Device> register(Rest rest, int registryPort, int count, boolean pushTokens, int concurrency) {
        SecureRandom random = new SecureRandom();
        AtomicReferenceArray<Device> out = new AtomicReferenceArray<>(count);
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<?>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String token = null;
            if (pushTokens) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                token = HexFormat.of().formatHex(bytes);
            }
            String body = "{\"platform\":\"ios\",\"appId\":\"" + TetherStack.BUNDLE_ID + "\""
                    + (token == null ? "" : ",\"pushToken\":\"" + token + "\",\"pushEnvironment\":\"sandbox\"") + "}";
            permits.acquireUninterruptibly();
            int index = i;
            String tokenOf = token;
            all.add(registerOne(rest, registryPort, body, ATTEMPTS).whenComplete((answer, error) -> {
                permits.release();
                if (error != null) {
                    errors.computeIfAbsent(error.toString(), e -> new AtomicLong()).incrementAndGet();
                } else if (answer.status() != 201) {
                    errors.computeIfAbsent("HTTP " + answer.status() + " " + abbreviate(answer.body()), e -> new AtomicLong())
                            .incrementAndGet();
                } else {
                    String id = answer.field("id");
                    String username = answer.field("username");
                    String password = answer.field("password");
                    out.set(index, new Device(id, username == null ? id : username, password, tokenOf));
                }
            }));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(30, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("registering devices did not finish", e);
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("registering " + count + " devices failed: " + errors);
        }
        List<Device> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            devices.add(out.get(i));
        }
        return devices;
    }

    /**
     * One registration; a request that got no answer within {@link Rest#DEADLINE} is sent again (a device that the lost
     * attempt may have registered after all stays unused).
     */
    private static CompletableFuture<Rest.Answer> registerOne(Rest rest, int registryPort, String body, int attempts) {
        return rest.post(registryPort, "/v1/devices", body).handle((answer, error) -> {
            if (error instanceof TimeoutException || error != null && error.getCause() instanceof TimeoutException) {
                return attempts > 1 ? registerOne(rest, registryPort, body, attempts - 1) : CompletableFuture.<Rest.Answer>failedFuture(error);
            }
            return error != null ? CompletableFuture.<Rest.Answer>failedFuture(error) : CompletableFuture.completedFuture(answer);
        }).thenCompose(f -> f);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
