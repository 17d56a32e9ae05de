package io.tether.registry.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.registry.presence.PresenceStore;
import io.tether.registry.quota.DeviceQuota;
import io.tether.registry.quota.QuotaStore;
import io.tether.rest.scope.DeviceApps;
import io.tether.registry.apikey.ApiKeyService;
import io.tether.registry.apikey.ApiKeyStore;
import io.tether.registry.device.DevicePasswords;
import io.tether.registry.device.DeviceSecrets;
import io.tether.registry.device.DeviceService;
import io.tether.registry.device.DeviceStore;
import io.tether.registry.grant.GrantStore;
import io.tether.registry.device.PushTokens;
import io.tether.registry.pushapp.PushApps;
import io.tether.rest.auth.ApiKeyVerifier;
import io.tether.rest.auth.DeviceCredentialVerifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;

/** Wires the plain core; the only place that knows it runs in CDI. */
public class RegistryBeans {

    @Produces
    @Singleton
    DeviceStore deviceStore(StatefulRedisConnection<String, String> connection) {
        return new DeviceStore(connection.async());
    }

    @Produces
    @Singleton
    DeviceService deviceService(DeviceStore store) {
        return new DeviceService(store, new DeviceSecrets(), Clock.systemUTC());
    }

    /** Devices calling {@code PUT /v1/devices/{id}/push-token} with their own credentials. */
    @Produces
    @Singleton
    DeviceCredentialVerifier devicePasswords(DeviceStore store) {
        return new DevicePasswords(store);
    }

    @Produces
    @Singleton
    PushApps pushApps(StatefulRedisConnection<String, String> connection, RegistryConfig config) {
        return new PushApps(connection.async(), config.requirePushApp());
    }

    @Produces
    @Singleton
    PushTokens pushTokens(StatefulRedisConnection<String, String> connection) {
        return new PushTokens(connection.async(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    GrantStore grantStore(StatefulRedisConnection<String, String> connection) {
        return new GrantStore(connection.async());
    }

    /** A deleted key stops working on this instance at once: the verifier forgets what it cached. */
    @Produces
    @Singleton
    ApiKeyService apiKeyService(StatefulRedisConnection<String, String> connection, ApiKeyVerifier verifier) {
        return new ApiKeyService(new ApiKeyStore(connection.async()), new SecureRandom(), Clock.systemUTC(), verifier::forget);
    }

    @Produces
    @Singleton
    QuotaStore quotaStore(StatefulRedisConnection<String, String> connection) {
        return new QuotaStore(connection.async());
    }

    @Produces
    @Singleton
    DeviceQuota deviceQuota(QuotaStore quotas, MeterRegistry meters) {
        return new DeviceQuota(quotas, meters);
    }

    @Produces
    @Singleton
    PresenceStore presenceStore(StatefulRedisConnection<String, String> connection) {
        return new PresenceStore(connection.async());
    }

    /** Keys limited to some apps: the app of a device named in a path ({@code DeviceAppScopeFilter}). */
    @Produces
    @Singleton
    DeviceApps deviceApps(StatefulRedisConnection<String, String> connection) {
        return new DeviceApps(connection.async());
    }
}
