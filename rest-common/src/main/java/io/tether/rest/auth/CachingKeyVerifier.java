package io.tether.rest.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers a delegate's answers (valid and invalid) for a short time, keyed by the key's SHA-256, so a busy
 * backend does not cost a Redis read per request; a deleted key stops working within {@code ttl} on every
 * instance, and at once on the instance that deleted it ({@link #forget}). Concurrent first requests with one
 * key share one lookup. Failed lookups are not remembered. Bounded: past {@code maxEntries} the expired
 * entries go, and if that is not enough, all of them.
 */
public final class CachingKeyVerifier implements ApiKeyVerifier {
    private final ApiKeyVerifier delegate;
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(CompletableFuture<Optional<ApiPrincipal>> answer, long expiresAtNanos) {
    }

    public CachingKeyVerifier(ApiKeyVerifier delegate, Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    @Override
    public CompletionStage<Optional<ApiPrincipal>> verify(String presentedKey) {
        String digest = ApiKeyHash.sha256Hex(presentedKey);
        long now = nanoTime.getAsLong();
        Entry cached = entries.get(digest);
        if (cached != null && cached.expiresAtNanos() - now > 0) {
            return cached.answer();
        }
        CompletableFuture<Optional<ApiPrincipal>> answer = delegate.verify(presentedKey).toCompletableFuture();
        Entry entry = new Entry(answer, now + ttlNanos);
        entries.put(digest, entry);
        answer.whenComplete((principal, failure) -> {
            if (failure != null) {
                entries.remove(digest, entry);
            }
        });
        if (entries.size() > maxEntries) {
            evict(now);
        }
        return answer;
    }

    @Override
    public void forget(String sha256Hex) {
        entries.remove(sha256Hex);
        delegate.forget(sha256Hex);
    }

    int size() {
        return entries.size();
    }

    private void evict(long now) {
        entries.values().removeIf(entry -> entry.expiresAtNanos() - now <= 0);
        if (entries.size() > maxEntries) {
            entries.clear();
        }
    }
}
