package io.tether.rest.auth;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a presented API key is valid. Asynchronous because stored keys are looked up in Redis
 * (by {@link ApiKeyHash#sha256Hex}) and the filter runs on the event loop. {@link ApiAuthBeans} provides the
 * default; a bean of this type in an application replaces it.
 */
public interface ApiKeyVerifier {

    /** @return the principal, or empty when the key is unknown; fails only when verification itself failed */
    CompletionStage<Optional<ApiPrincipal>> verify(String presentedKey);

    /** Drops what is remembered about the key with this digest (it was just deleted); a no-op without a cache. */
    default void forget(String sha256Hex) {
    }
}
