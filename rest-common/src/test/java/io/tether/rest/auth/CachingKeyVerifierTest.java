package io.tether.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingKeyVerifierTest {
    private static final ApiPrincipal PRINCIPAL = new ApiPrincipal("ak_1", Set.of(Scopes.DEVICES_READ));

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile boolean failing;
    private final ApiKeyVerifier counting = new ApiKeyVerifier() {
        @Override
        public CompletionStage<Optional<ApiPrincipal>> verify(String key) {
            lookups.incrementAndGet();
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("redis down"));
            }
            return CompletableFuture.completedFuture(key.equals("good") ? Optional.of(PRINCIPAL) : Optional.empty());
        }
    };
    private final CachingKeyVerifier cache = new CachingKeyVerifier(counting, Duration.ofSeconds(5), 100, clock::get);

    private Optional<ApiPrincipal> verify(String key) {
        return cache.verify(key).toCompletableFuture().join();
    }

    @Test
    void remembersValidAndInvalidAnswersUntilTheTtl() {
        assertEquals(Optional.of(PRINCIPAL), verify("good"));
        assertEquals(Optional.empty(), verify("bad"));
        assertEquals(Optional.of(PRINCIPAL), verify("good"));
        assertEquals(Optional.empty(), verify("bad"));
        assertEquals(2, lookups.get());

        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        verify("good");
        assertEquals(3, lookups.get());
    }

    @Test
    void forgetDropsTheEntryAtOnce() {
        verify("good");
        cache.forget(ApiKeyHash.sha256Hex("good"));
        verify("good");
        assertEquals(2, lookups.get());
    }

    @Test
    void failuresAreNotRemembered() {
        failing = true;
        CompletionException e = assertThrows(CompletionException.class, () -> verify("good"));
        assertTrue(e.getCause() instanceof IllegalStateException);
        failing = false;
        assertEquals(Optional.of(PRINCIPAL), verify("good"));
        assertEquals(2, lookups.get());
    }

    @Test
    void staysBoundedUnderAFloodOfUnknownKeys() {
        for (int i = 0; i < 1000; i++) {
            verify("random-" + i);
        }
        assertTrue(cache.size() <= 101, "size " + cache.size());
    }
}
