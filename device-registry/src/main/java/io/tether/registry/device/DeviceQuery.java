package io.tether.registry.device;

import io.tether.contract.Platform;
import java.util.Set;

/**
 * Which devices to list: all filters that are given must match. Already validated at the edge.
 *
 * @param userId   may be null
 * @param appId    may be null
 * @param platform may be null
 * @param afterId  list devices whose id sorts after this one (the previous page's last); null for the first page
 * @param limit    at most this many devices
 * @param apps     only devices of these apps (the caller's key is limited to them); empty: any app
 */
public record DeviceQuery(String userId, String appId, Platform platform, String afterId, int limit, Set<String> apps) {

    public DeviceQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        apps = Set.copyOf(apps);
    }

    public DeviceQuery(String userId, String appId, Platform platform, String afterId, int limit) {
        this(userId, appId, platform, afterId, limit, Set.of());
    }

    /** The same query, limited to {@code keyApps} (a key's apps; empty: no limit). */
    public DeviceQuery within(Set<String> keyApps) {
        return new DeviceQuery(userId, appId, platform, afterId, limit, keyApps);
    }

    /** False when the query names an app the key may not see: the answer is empty. */
    boolean mayMatchAnything() {
        return apps.isEmpty() || appId == null || apps.contains(appId);
    }

    boolean matches(Device device) {
        return (userId == null || userId.equals(device.userId()))
                && (appId == null || appId.equals(device.appId()))
                && (platform == null || platform == device.platform())
                && (apps.isEmpty() || apps.contains(device.appId()));
    }
}
