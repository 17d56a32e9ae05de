package io.tether.fanout.status;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.MqttTopics;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The devices a user, a topic or an app reaches, read from the registry's records and the gateways' topic index:
 * <ul>
 * <li>a topic: every device in the subscriber set of a filter that matches it ({@link RedisKeys#topicSubscribers},
 * written by the gateway on SUBSCRIBE) whose grants, its own or its user's, still allow subscribing to the topic;
 * <li>an app: every device in the app's index;
 * <li>a user: the user's devices.
 * </ul>
 * Within {@code apps} when the sending key is limited to some apps (empty: any app). Cost: one read of the filter set,
 * one per matching filter, and per candidate device a record and a grants read (pipelined on one connection), plus
 * one grants read per distinct user. Devices deleted since they subscribed are taken out of the index on the way.
 */
public final class Audiences {
    private final RedisAsyncCommands<String, String> redis;

    public Audiences(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public CompletionStage<List<String>> ofUser(String userId, Set<String> apps) {
        return redis.smembers(RedisKeys.userDevices(userId)).thenCompose(ids -> withinApps(new TreeSet<>(ids), apps));
    }

    public CompletionStage<List<String>> ofApp(String appId) {
        return redis.zrange(RedisKeys.appDevices(appId), 0, -1).thenApply(ids -> ids.stream().sorted().toList());
    }

    public CompletionStage<List<String>> ofTopic(String topic, Set<String> apps) {
        return matchingFilters(topic).thenCompose(filters -> {
            if (filters.isEmpty()) {
                return CompletableFuture.completedFuture(List.of());
            }
            return redis.sunion(filters.toArray(String[]::new)).thenCompose(ids -> granted(topic, new TreeSet<>(ids), apps, filters));
        });
    }

    /** At most how many devices a topic reaches: its matching filters' subscribers, before the grant check. */
    public CompletionStage<Long> topicUpperBound(String topic) {
        return matchingFilters(topic).thenCompose(filters -> {
            List<CompletableFuture<Long>> counts = filters.stream().map(key -> redis.scard(key).toCompletableFuture()).toList();
            return CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new))
                    .thenApply(v -> counts.stream().mapToLong(CompletableFuture::join).sum());
        });
    }

    public CompletionStage<Long> appSize(String appId) {
        return redis.zcard(RedisKeys.appDevices(appId));
    }

    /** The subscriber-set keys of the filters that match {@code topic}. */
    private CompletionStage<List<String>> matchingFilters(String topic) {
        return redis.smembers(RedisKeys.topicFilters()).thenApply(filters -> filters.stream()
                .filter(filter -> MqttTopics.matches(filter, topic))
                .map(RedisKeys::topicSubscribers)
                .toList());
    }

    private CompletionStage<List<String>> withinApps(TreeSet<String> ids, Set<String> apps) {
        if (apps.isEmpty()) {
            return CompletableFuture.completedFuture(List.copyOf(ids));
        }
        List<String> order = List.copyOf(ids);
        List<CompletableFuture<String>> reads = order.stream()
                .map(id -> redis.hget(RedisKeys.device(id).record(), DeviceFields.APP_ID).toCompletableFuture()).toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                if (apps.contains(reads.get(i).join())) {
                    out.add(order.get(i));
                }
            }
            return out;
        });
    }

    private CompletionStage<List<String>> granted(String topic, TreeSet<String> candidates, Set<String> apps, List<String> filterKeys) {
        List<String> ids = List.copyOf(candidates);
        List<CompletableFuture<List<KeyValue<String, String>>>> records = ids.stream()
                .map(id -> redis.hmget(RedisKeys.device(id).record(), DeviceFields.APP_ID, DeviceFields.USER_ID).toCompletableFuture())
                .toList();
        List<CompletableFuture<Map<String, String>>> ownGrants = ids.stream()
                .map(id -> redis.hgetall(RedisKeys.device(id).grants()).toCompletableFuture()).toList();
        return CompletableFuture.allOf(records.toArray(CompletableFuture[]::new))
                .thenCompose(v -> CompletableFuture.allOf(ownGrants.toArray(CompletableFuture[]::new)))
                .thenCompose(v -> userGrants(records)).thenCompose(users -> {
                    List<String> out = new ArrayList<>();
                    List<String> gone = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++) {
                        List<KeyValue<String, String>> record = records.get(i).join();
                        String app = record.get(0).getValueOrElse(null);
                        if (app == null) {
                            gone.add(ids.get(i));
                            continue;
                        }
                        String user = record.get(1).getValueOrElse(null);
                        boolean allowed = allowsSubscribe(ownGrants.get(i).join(), topic)
                                || (user != null && allowsSubscribe(users.getOrDefault(user, Map.of()), topic));
                        if (allowed && (apps.isEmpty() || apps.contains(app))) {
                            out.add(ids.get(i));
                        }
                    }
                    return forget(gone, filterKeys).thenApply(x -> out);
                });
    }

    private CompletionStage<Map<String, Map<String, String>>> userGrants(List<CompletableFuture<List<KeyValue<String, String>>>> records) {
        Map<String, CompletableFuture<Map<String, String>>> reads = new HashMap<>();
        for (CompletableFuture<List<KeyValue<String, String>>> record : records) {
            String user = record.join().get(1).getValueOrElse(null);
            if (user != null) {
                reads.computeIfAbsent(user, u -> redis.hgetall(RedisKeys.userGrants(u)).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Map<String, String>> out = new HashMap<>();
            reads.forEach((user, read) -> out.put(user, read.join()));
            return out;
        });
    }

    /** Grants are filter → "subscribe", "publish" or "subscribe,publish". */
    static boolean allowsSubscribe(Map<String, String> grants, String topic) {
        for (Map.Entry<String, String> grant : grants.entrySet()) {
            if (grant.getValue().contains("subscribe") && !grant.getKey().startsWith("$") && MqttTopics.matches(grant.getKey(), topic)) {
                return true;
            }
        }
        return false;
    }

    /** Deleted devices leave the subscriber sets they were found in. */
    private CompletionStage<Void> forget(List<String> gone, List<String> filterKeys) {
        if (gone.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(filterKeys.stream()
                .map(key -> redis.srem(key, gone.toArray(String[]::new)).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }
}
