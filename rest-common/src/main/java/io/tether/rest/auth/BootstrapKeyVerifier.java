package io.tether.rest.auth;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Accepts the one configured bootstrap key, with every scope. */
public final class BootstrapKeyVerifier implements ApiKeyVerifier {
    public static final String KEY_ID = "bootstrap";

    private static final ApiPrincipal PRINCIPAL = new ApiPrincipal(KEY_ID, Set.of(ApiPrincipal.ALL_SCOPES));

    private final byte[] keyDigest; // null when no key is configured: nothing is accepted

    public BootstrapKeyVerifier(Optional<String> bootstrapKey) {
        this.keyDigest = bootstrapKey.filter(key -> !key.isBlank()).map(ApiKeyHash::sha256).orElse(null);
    }

    public boolean isConfigured() {
        return keyDigest != null;
    }

    @Override
    public CompletionStage<Optional<ApiPrincipal>> verify(String presentedKey) {
        boolean valid = keyDigest != null && presentedKey != null && ApiKeyHash.matches(keyDigest, presentedKey);
        return CompletableFuture.completedFuture(valid ? Optional.of(PRINCIPAL) : Optional.empty());
    }
}
