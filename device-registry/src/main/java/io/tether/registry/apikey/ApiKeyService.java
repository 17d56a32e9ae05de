package io.tether.registry.apikey;

import io.tether.rest.auth.ApiKeyHash;
import io.tether.rest.problem.ProblemException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Issues backend API keys: {@code tk_} and 32 random bytes in base64url, shown once and stored only as
 * SHA-256. Names are unique (409 otherwise). Deleting a key also tells this instance's verifier at once;
 * other instances stop accepting it when their cache entry expires.
 */
public class ApiKeyService {
    public static final String KEY_PREFIX = "tk_";
    private static final Pattern ID = Pattern.compile("ak_[0-9a-f]{16}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int ATTEMPTS = 3;

    private final ApiKeyStore store;
    private final SecureRandom random;
    private final Clock clock;
    private final Consumer<String> onDeleted;

    /** @param onDeleted called with the digest of each deleted key */
    public ApiKeyService(ApiKeyStore store, SecureRandom random, Clock clock, Consumer<String> onDeleted) {
        this.store = store;
        this.random = random;
        this.clock = clock;
        this.onDeleted = onDeleted;
    }

    /** @param scopes already validated */
    public CompletionStage<IssuedApiKey> create(String name, Set<String> scopes) {
        return create(name, scopes, Set.of());
    }

    /** @param apps the app ids the key is limited to (already validated); empty for every app */
    public CompletionStage<IssuedApiKey> create(String name, Set<String> scopes, Set<String> apps) {
        return attempt(name, scopes, apps, 1);
    }

    public CompletionStage<List<ApiKey>> list() {
        return store.list();
    }

    /** False when there is no such key. */
    public CompletionStage<Boolean> delete(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return CompletableFuture.completedFuture(false);
        }
        return store.delete(id).thenApply(digest -> {
            digest.ifPresent(onDeleted);
            return digest.isPresent();
        });
    }

    private CompletionStage<IssuedApiKey> attempt(String name, Set<String> scopes, Set<String> apps, int attempt) {
        String secret = KEY_PREFIX + BASE64URL.encodeToString(bytes(32));
        ApiKey key = new ApiKey("ak_" + HexFormat.of().formatHex(bytes(8)), name, scopes,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), apps);
        return store.create(key, ApiKeyHash.sha256Hex(secret)).thenCompose(created -> switch (created) {
            case CREATED -> CompletableFuture.completedFuture(new IssuedApiKey(key, secret));
            case NAME_TAKEN -> throw ProblemException.conflict("an API key with this name exists");
            case ID_TAKEN -> {
                if (attempt >= ATTEMPTS) {
                    throw new IllegalStateException("API key id collisions: broken random source");
                }
                yield attempt(name, scopes, apps, attempt + 1);
            }
        });
    }

    private byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
