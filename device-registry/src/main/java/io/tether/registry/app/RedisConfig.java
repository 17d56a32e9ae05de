package io.tether.registry.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The Redis the registry keeps devices in. */
@ConfigMapping(prefix = "tether.redis")
public interface RedisConfig {

    /** Lettuce URI ({@code TETHER_REDIS_URI}); may carry a password, so it is never logged. Default: the local runner's Redis. */
    @WithDefault("redis://127.0.0.1:16379")
    String uri();

    /** How long a command may take before the request fails with 503. Default 2 s. */
    @WithDefault("2s")
    Duration commandTimeout();
}
