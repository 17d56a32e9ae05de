package io.tether.rest.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Combinations of {@link ApiKeyVerifier}s. */
public final class ApiKeyVerifiers {
    private ApiKeyVerifiers() {
    }

    /** Asks each verifier in turn until one knows the key; later ones are not asked once one does. */
    public static ApiKeyVerifier firstOf(ApiKeyVerifier... verifiers) {
        List<ApiKeyVerifier> chain = List.of(verifiers);
        return new ApiKeyVerifier() {
            @Override
            public CompletionStage<Optional<ApiPrincipal>> verify(String presentedKey) {
                return ask(0, presentedKey);
            }

            @Override
            public void forget(String sha256Hex) {
                chain.forEach(verifier -> verifier.forget(sha256Hex));
            }

            private CompletionStage<Optional<ApiPrincipal>> ask(int index, String key) {
                if (index == chain.size()) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                return chain.get(index).verify(key).thenCompose(principal -> principal.isPresent()
                        ? CompletableFuture.completedFuture(principal)
                        : ask(index + 1, key));
            }
        };
    }
}
