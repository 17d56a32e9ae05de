package io.tether.rest.auth;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Backend API authentication. */
@ConfigMapping(prefix = "tether.api")
public interface ApiConfig {

    /**
     * A key accepted with every scope, for bootstrapping before stored keys exist
     * ({@code TETHER_API_BOOTSTRAP_KEY}). No default: without it, and without another
     * {@link ApiKeyVerifier}, every {@code /v1/} request is answered 401.
     */
    Optional<String> bootstrapKey();
}
