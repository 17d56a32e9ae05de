package io.tether.registry.quota;

import io.micrometer.core.instrument.MeterRegistry;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.problem.ProblemType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The devices quota of an app, checked before a device is registered: 429 (quota-exceeded) when the app has as many
 * devices as it may. Counted in Redis (the app's index), so every registry instance sees one count; two registrations
 * racing for the last place may both pass. Refusals count in {@code tether_quota_refused_total{app,quota="devices"}}.
 */
public class DeviceQuota {
    private final QuotaStore quotas;
    private final MeterRegistry meters;

    public DeviceQuota(QuotaStore quotas, MeterRegistry meters) {
        this.quotas = quotas;
        this.meters = meters;
    }

    public CompletionStage<Void> check(String appId) {
        return quotas.get(appId).thenCompose(quota -> {
            if (quota.devices() == null) {
                return CompletableFuture.completedFuture(null);
            }
            return quotas.devices(appId).thenAccept(count -> {
                if (count >= quota.devices()) {
                    meters.counter("tether.quota.refused", "app", appId, "quota", "devices").increment();
                    throw new ProblemException(ProblemType.QUOTA_EXCEEDED, "the app " + appId + " has " + count
                            + " devices, its quota; remove devices or raise the quota");
                }
            });
        });
    }
}
