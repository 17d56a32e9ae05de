package io.tether.webhook.registry;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Webhooks in Redis: one hash {@code tether:webhooks}, id → JSON (with its secret, which signing needs; Redis is the
 * system's store of secrets like device credential hashes, and its access must be guarded accordingly).
 */
public final class WebhookStore {
    static final String KEY = "tether:webhooks";

    private final RedisAsyncCommands<String, String> redis;

    public WebhookStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public CompletionStage<Void> save(Webhook webhook) {
        return redis.hset(KEY, webhook.id(), Json.toString(webhook)).thenApply(n -> null);
    }

    public CompletionStage<Optional<Webhook>> find(String id) {
        return redis.hget(KEY, id).thenApply(json -> Optional.ofNullable(json).map(j -> Json.fromString(j, Webhook.class)));
    }

    /** Oldest first. */
    public CompletionStage<List<Webhook>> all() {
        return redis.hvals(KEY).thenApply(values -> values.stream()
                .map(json -> Json.fromString(json, Webhook.class))
                .sorted(Comparator.comparingLong(Webhook::createdAt).thenComparing(Webhook::id))
                .toList());
    }

    /** False when there was no such webhook. */
    public CompletionStage<Boolean> delete(String id) {
        return redis.hdel(KEY, id).thenApply(n -> n == 1L);
    }
}
