package io.tether.rest.auth;

import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.rest.limit.AuthFailureMetrics;
import io.tether.rest.limit.FailedAuthLimiter;
import io.tether.rest.limit.RateLimiter;
import io.tether.runtime.limit.FailureLog;
import io.tether.runtime.limit.FailurePolicy;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * CDI wiring of authentication. The default {@link ApiKeyVerifier} accepts the bootstrap key and, in a
 * service that has a Redis connection bean ({@code StatefulRedisConnection<String, String>}), the keys the
 * registry stored there, cached for {@link ApiConfig#keyCacheTtl()}. An application bean of either type
 * replaces the default.
 */
public class ApiAuthBeans {
    private static final Logger LOG = Logger.getLogger(ApiAuthBeans.class);
    private static final int KEY_CACHE_ENTRIES = 10_000;

    /** At startup, on the main thread: the service's Redis connection may still have to connect. */
    @Produces
    @DefaultBean
    @Singleton
    @Startup
    ApiKeyVerifier apiKeyVerifier(ApiConfig config, Instance<StatefulRedisConnection<String, String>> redis) {
        BootstrapKeyVerifier bootstrap = new BootstrapKeyVerifier(config.bootstrapKey());
        if (redis.isResolvable()) {
            ApiKeyVerifier stored = new StoredKeyVerifier(redis.get().async(), config.keyLookupTimeout());
            return ApiKeyVerifiers.firstOf(bootstrap,
                    new CachingKeyVerifier(stored, config.keyCacheTtl(), KEY_CACHE_ENTRIES, System::nanoTime));
        }
        if (!bootstrap.isConfigured()) {
            LOG.warn("tether.api.bootstrap-key is not set and there is no Redis for stored keys: every /v1/ request will be answered 401");
        }
        return bootstrap;
    }

    /** Accepts no device: services whose endpoints devices call provide their own. */
    @Produces
    @DefaultBean
    @Singleton
    DeviceCredentialVerifier noDevices() {
        return (deviceId, password) -> CompletableFuture.completedFuture(false);
    }

    /** Failed authentications per source address, counted in the service's Redis when it has one. */
    @Produces
    @Singleton
    FailedAuthLimiter failedAuthLimiter(ApiConfig config, Instance<StatefulRedisConnection<String, String>> redis,
            Instance<MeterRegistry> registry) {
        FailedAuthLimiter.Listener metrics = registry.isResolvable() ? new AuthFailureMetrics(registry.get()) : FailedAuthLimiter.Listener.NONE;
        ApiConfig.AuthFailures limit = config.authFailures();
        if (!limit.enabled()) {
            return new FailedAuthLimiter(null, null, System::currentTimeMillis, metrics);
        }
        FailurePolicy policy = new FailurePolicy(limit.free(), limit.firstWait(), limit.maxWait(), limit.banAfter(), limit.ban(),
                limit.window());
        FailureLog log = redis.isResolvable() ? new FailureLog(redis.get().async(), System::currentTimeMillis) : null;
        return new FailedAuthLimiter(log, policy, System::currentTimeMillis, metrics);
    }

    @Produces
    @Singleton
    RateLimiter rateLimiter(ApiConfig config) {
        ApiConfig.RateLimit limit = config.rateLimit();
        return limit.enabled() ? new RateLimiter(limit.perSecond(), limit.burst(), System::nanoTime) : RateLimiter.unlimited();
    }
}
