package io.tether.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.api.StatefulRedisConnection;
import io.tether.contract.ApiKeyFields;
import io.tether.contract.RedisKeys;
import io.tether.testkit.RedisFixture;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a real redis-server of its own. */
class StoredKeyVerifierIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();

    private StatefulRedisConnection<String, String> connection;
    private StoredKeyVerifier verifier;

    @BeforeEach
    void start() {
        if (!REDIS.server().isAlive()) {
            REDIS.server().restart(); // a test before stopped it
        }
        connection = REDIS.connect();
        connection.sync().flushall();
        verifier = new StoredKeyVerifier(connection.async(), Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        connection.close();
    }

    @Test
    void findsAStoredKeyByItsDigestWithItsScopes() {
        connection.sync().hset(RedisKeys.apiKey(ApiKeyHash.sha256Hex("tk_abc")), Map.of(ApiKeyFields.ID, "ak_1",
                ApiKeyFields.NAME, "backend", ApiKeyFields.SCOPES, "devices:read,messages:send", ApiKeyFields.CREATED_AT, "1"));
        ApiPrincipal principal = verifier.verify("tk_abc").toCompletableFuture().join().orElseThrow();
        assertEquals("ak_1", principal.keyId());
        assertEquals(Set.of("devices:read", "messages:send"), principal.scopes());
        assertEquals(Optional.empty(), verifier.verify("tk_abd").toCompletableFuture().join());
    }

    @Test
    void aLookupThatHangsFailsAfterTheTimeout() {
        REDIS.server().stop();
        CompletionException e = assertThrows(CompletionException.class, () -> verifier.verify("tk_abc").toCompletableFuture().join());
        assertInstanceOf(TimeoutException.class, e.getCause());
    }
}
