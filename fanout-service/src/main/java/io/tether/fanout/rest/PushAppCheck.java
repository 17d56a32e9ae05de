package io.tether.fanout.rest;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.PushApp;
import io.tether.contract.RedisKeys;
import io.tether.pushoptions.PushOptions;
import io.tether.contract.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Refuses, before acceptance, a message with push options for devices named in it whose app push-service holds no
 * APNs credentials for, or whose app may not send that push type (VoIP, Live Activities, …), as push-service
 * published its apps in {@link RedisKeys#pushApps()}. A user's devices are expanded later, by routing: for them
 * push-service answers {@code app-not-configured} or {@code push-type-not-allowed} per device instead.
 */
public final class PushAppCheck {
    private final RedisAsyncCommands<String, String> redis;
    private final boolean enforce;

    public PushAppCheck(RedisAsyncCommands<String, String> redis, boolean enforce) {
        this.redis = redis;
        this.enforce = enforce;
    }

    /**
     * A device the message names: its app as the caller just read it and the request field that names it.
     *
     * @param appId null when there is no such device
     */
    public record Named(String appId, String field) {
    }

    /** @param devices each device the message names ({@code to.device} or {@code to.devices}), once */
    public CompletionStage<List<Problem.FieldError>> check(String push, List<Named> devices) {
        if (!enforce || push == null || devices.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        String pushType = PushOptions.parse(push).type().getHeaderValue();
        return redis.hgetall(RedisKeys.pushApps()).thenApply(published -> {
            List<Problem.FieldError> errors = new ArrayList<>();
            for (Named device : devices) {
                String appId = device.appId();
                if (appId == null) {
                    continue; // no such device: MessageAcceptor refused it (404) before asking; skipped all the same
                }
                PushApp app = PushApp.lookup(published, appId).orElse(null);
                if (app == null) {
                    errors.add(new Problem.FieldError(device.field(), "its app " + appId + " has no APNs credentials in push-service"));
                } else if (!app.allowsPushType(pushType)) {
                    errors.add(new Problem.FieldError("push.pushType", "app " + appId + " may not send " + pushType
                            + " pushes (push-service allows " + String.join(", ", app.pushTypes()) + ")"));
                }
            }
            return errors;
        });
    }
}
