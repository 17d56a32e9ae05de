package io.tether.rest.auth;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.ApiKeyFields;
import io.tether.contract.RedisKeys;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * API keys the registry stored: the hash {@link RedisKeys#apiKey(String)} under the key's SHA-256, with its id
 * and scopes. Only the digest is ever sent to Redis. A lookup that takes longer than {@code timeout} fails
 * (the filter answers 503), whatever the connection's own timeout is.
 */
public final class StoredKeyVerifier implements ApiKeyVerifier {
    private final RedisAsyncCommands<String, String> redis;
    private final Duration timeout;

    public StoredKeyVerifier(RedisAsyncCommands<String, String> redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Optional<ApiPrincipal>> verify(String presentedKey) {
        String digest = ApiKeyHash.sha256Hex(presentedKey);
        return redis.hmget(RedisKeys.apiKey(digest), ApiKeyFields.ID, ApiKeyFields.SCOPES, ApiKeyFields.APPS)
                .toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(StoredKeyVerifier::principal);
    }

    private static Optional<ApiPrincipal> principal(List<KeyValue<String, String>> values) {
        String id = values.get(0).getValueOrElse(null);
        if (id == null) {
            return Optional.empty();
        }
        String scopes = values.get(1).getValueOrElse("");
        String apps = values.size() > 2 ? values.get(2).getValueOrElse("") : "";
        return Optional.of(new ApiPrincipal(id, parseScopes(scopes), parseApps(apps)));
    }

    /** {@code com.example.a,com.example.b} to its app ids; empty for a key of every app. */
    static Set<String> parseApps(String apps) {
        return Arrays.stream(apps.split(","))
                .map(String::strip)
                .filter(app -> !app.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@code devices:read,devices:write} to its scopes; unknown scopes are dropped (a newer registry's, say). */
    static Set<String> parseScopes(String scopes) {
        return Arrays.stream(scopes.split(","))
                .map(String::strip)
                .filter(Scopes::isKnown)
                .collect(Collectors.toUnmodifiableSet());
    }
}
