package io.tether.registry.device;

import io.tether.contract.Platform;

/**
 * Which devices to list: all filters that are given must match. Already validated at the edge.
 *
 * @param userId   may be null
 * @param appId    may be null
 * @param platform may be null
 * @param afterId  list devices whose id sorts after this one (the previous page's last); null for the first page
 * @param limit    at most this many devices
 */
public record DeviceQuery(String userId, String appId, Platform platform, String afterId, int limit) {

    public DeviceQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    boolean matches(Device device) {
        return (userId == null || userId.equals(device.userId()))
                && (appId == null || appId.equals(device.appId()))
                && (platform == null || platform == device.platform());
    }
}
