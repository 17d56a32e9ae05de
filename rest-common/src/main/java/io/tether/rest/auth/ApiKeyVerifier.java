package io.tether.rest.auth;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a presented API key is valid. Asynchronous because a stored-key implementation
 * looks keys up in Redis (by {@link ApiKeyHash#sha256Hex}) and the filter runs on the event loop.
 * The default is {@link BootstrapKeyVerifier}; a bean of this type in an application replaces it.
 */
public interface ApiKeyVerifier {

    /** @return the principal, or empty when the key is unknown; fails only when verification itself failed */
    CompletionStage<Optional<ApiPrincipal>> verify(String presentedKey);
}
