package io.tether.registry.device;

import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pages through devices in id order, from the most selective index the query allows (user, else app, else
 * platform, else all devices) and filters the records by the rest of the query. Ids are the cursor, so a
 * device added or removed between pages never shifts another one in or out. A page may end early (with a
 * next cursor) after {@link #SCAN_BUDGET} candidates, so a query that matches little never reads a whole
 * large index in one request.
 */
public class DeviceLister {
    static final int SCAN_BUDGET = 2_000;
    private static final int FILTERED_BATCH = 200;

    private final DeviceStore store;

    public DeviceLister(DeviceStore store) {
        this.store = store;
    }

    public CompletionStage<DevicePage> list(DeviceQuery query) {
        if (!query.mayMatchAnything()) {
            return CompletableFuture.completedFuture(new DevicePage(List.of(), null));
        }
        Source source = source(query);
        int batch = source.filtersEnough ? query.limit() + 1 : Math.max(FILTERED_BATCH, query.limit() + 1);
        return collect(source, query, query.afterId(), new ArrayList<>(), 0, batch);
    }

    private CompletionStage<DevicePage> collect(Source source, DeviceQuery query, String after, List<Device> found,
                                                int scanned, int batch) {
        return source.after(after, batch).thenCompose(ids -> store.findAll(ids).thenCompose(devices -> {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                Device device = devices.get(id);
                if (device != null && query.matches(device)) {
                    found.add(device);
                }
                boolean maybeMore = i < ids.size() - 1 || ids.size() == batch;
                if (found.size() == query.limit() || (scanned + i + 1 >= SCAN_BUDGET && maybeMore)) {
                    return CompletableFuture.completedFuture(new DevicePage(found, maybeMore ? id : null));
                }
            }
            if (ids.size() < batch) {
                return CompletableFuture.completedFuture(new DevicePage(found, null));
            }
            return collect(source, query, ids.get(ids.size() - 1), found, scanned + ids.size(), batch);
        }));
    }

    private Source source(DeviceQuery query) {
        if (query.userId() != null) {
            return new Source(store, null, RedisKeys.userDevices(query.userId()),
                    query.appId() == null && query.platform() == null && query.apps().isEmpty());
        }
        if (query.appId() != null) {
            return new Source(store, RedisKeys.appDevices(query.appId()), null, query.platform() == null);
        }
        if (query.apps().size() == 1) {
            // A key of one app lists from that app's index.
            return new Source(store, RedisKeys.appDevices(query.apps().iterator().next()), null, query.platform() == null);
        }
        if (query.platform() != null) {
            return new Source(store, RedisKeys.platformDevices(query.platform()), null, query.apps().isEmpty());
        }
        return new Source(store, RedisKeys.allDevices(), null, query.apps().isEmpty());
    }

    /**
     * Ids in order from a sorted-set index, or from a user's set (read once per request and sorted here: a
     * user has few devices).
     *
     * @param filtersEnough true when the index alone answers the query (records need no filtering)
     */
    private static final class Source {
        private final DeviceStore store;
        private final String sortedSet;
        private final String set;
        private final boolean filtersEnough;
        private List<String> members;

        Source(DeviceStore store, String sortedSet, String set, boolean filtersEnough) {
            this.store = store;
            this.sortedSet = sortedSet;
            this.set = set;
            this.filtersEnough = filtersEnough;
        }

        CompletionStage<List<String>> after(String afterId, int count) {
            if (sortedSet != null) {
                return store.indexRange(sortedSet, afterId, count);
            }
            CompletionStage<List<String>> all = members != null ? CompletableFuture.completedFuture(members)
                    : store.indexMembers(set).thenApply(ids -> {
                        members = ids.stream().sorted().toList();
                        return members;
                    });
            return all.thenApply(ids -> ids.stream()
                    .filter(id -> afterId == null || id.compareTo(afterId) > 0)
                    .limit(count)
                    .toList());
        }
    }
}
