package io.tether.registry.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Registry policy. */
@ConfigMapping(prefix = "tether.registry")
public interface RegistryConfig {
    /**
     * Refuse devices (and tokens) of apps push-service holds no APNs credentials for, or of push types and
     * environments those credentials do not cover, as push-service published them. Default true; false for a
     * Tether run without push-service.
     */
    @WithDefault("true")
    boolean requirePushApp();
}
