package io.tether.push.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Redis connection of push-service (the registry's device records). */
@ConfigMapping(prefix = "tether.redis")
public interface RedisConfig {

    /** Lettuce Redis URI. Default redis://127.0.0.1:16379 (the local runner's server). */
    @WithDefault("redis://127.0.0.1:16379")
    String uri();
}
