package io.tether.registry.pushapp;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.PushApp;
import io.tether.contract.PushTokenKind;
import io.tether.contract.RedisKeys;
import io.tether.registry.store.StoreFailures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The apps push-service holds APNs credentials for (it publishes them in {@link RedisKeys#pushApps()} at start),
 * and the registry's checks against them: a device's app must be one of them, and a token of a kind its app may
 * not push to (VoIP, Live Activities) or of an environment its credentials do not cover is refused. With
 * {@code enforce} off (tests of the registry alone, or a Tether run without push), every app passes.
 */
public class PushApps {
    private final RedisAsyncCommands<String, String> redis;
    private final boolean enforce;

    public PushApps(RedisAsyncCommands<String, String> redis, boolean enforce) {
        this.redis = redis;
        this.enforce = enforce;
    }

    /** Every published app, in app id order. */
    public CompletionStage<List<PushApp>> all() {
        return catalog().thenApply(catalog -> catalog.values().stream().map(PushApp::fromJson)
                .sorted(java.util.Comparator.comparing(PushApp::appId)).toList());
    }

    /**
     * Why devices of this app cannot be registered; empty when they can. The refusal names the configured apps among
     * {@code visible} (empty: a key of every app sees them all), so a key limited to some apps learns no other app.
     */
    public CompletionStage<Optional<String>> refuseApp(String appId, java.util.Set<String> visible) {
        if (!enforce) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return catalog().thenApply(catalog -> {
            if (PushApp.lookup(catalog, appId).isPresent()) {
                return Optional.empty();
            }
            var named = new java.util.TreeSet<>(catalog.keySet());
            if (!visible.isEmpty()) {
                named.retainAll(visible);
            }
            return Optional.of("has no APNs credentials in push-service (configured: "
                    + (named.isEmpty() ? "none" : String.join(", ", named)) + ")");
        });
    }

    /** Why a token of this kind and environment cannot be set for a device of {@code appId}; empty when it can. */
    public CompletionStage<Optional<String>> refuseToken(String appId, PushTokenKind kind, String environment) {
        if (!enforce) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return catalog().thenApply(catalog -> {
            Optional<PushApp> app = PushApp.lookup(catalog, appId);
            if (app.isEmpty()) {
                return Optional.of("the device's app " + appId + " has no APNs credentials in push-service");
            }
            String pushType = switch (kind) {
                case VOIP -> "voip";
                case PUSH_TO_START, LIVE_ACTIVITY -> "liveactivity";
                case ALERT -> null;
            };
            if (pushType != null && !app.get().allowsPushType(pushType)) {
                return Optional.of("app " + appId + " may not send " + pushType + " pushes (push-service allows "
                        + String.join(", ", app.get().pushTypes()) + ")");
            }
            if (!app.get().allowsEnvironment(environment)) {
                return Optional.of("app " + appId + " has no " + environment + " credentials");
            }
            return Optional.empty();
        });
    }

    private CompletionStage<Map<String, String>> catalog() {
        return StoreFailures.translate(redis.hgetall(RedisKeys.pushApps()));
    }
}
