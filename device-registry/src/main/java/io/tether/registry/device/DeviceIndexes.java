package io.tether.registry.device;

import io.tether.contract.Platform;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The secondary indexes a device is in. The user index is a set (fanout reads it with SMEMBERS); the others
 * are sorted sets with every score 0, so ZRANGEBYLEX pages through them in id order.
 *
 * @param sets       set keys ({@link RedisKeys#userDevices})
 * @param sortedSets sorted-set keys ({@link RedisKeys#allDevices}, {@link RedisKeys#appDevices},
 *                   {@link RedisKeys#platformDevices})
 */
record DeviceIndexes(List<String> sets, List<String> sortedSets) {
    static final DeviceIndexes NONE = new DeviceIndexes(List.of(), List.of());

    DeviceIndexes {
        sets = List.copyOf(sets);
        sortedSets = List.copyOf(sortedSets);
    }

    static DeviceIndexes of(String userId, String appId, Platform platform) {
        return new DeviceIndexes(userId == null ? List.of() : List.of(RedisKeys.userDevices(userId)),
                List.of(RedisKeys.allDevices(), RedisKeys.appDevices(appId), RedisKeys.platformDevices(platform)));
    }

    static DeviceIndexes of(Device device) {
        return of(device.userId(), device.appId(), device.platform());
    }

    /** The indexes of this one that {@code other} is not in. */
    DeviceIndexes minus(DeviceIndexes other) {
        List<String> s = new ArrayList<>(sets);
        s.removeAll(other.sets);
        List<String> z = new ArrayList<>(sortedSets);
        z.removeAll(other.sortedSets);
        return new DeviceIndexes(s, z);
    }

    /** Sets first, then sorted sets: the order the scripts expect in KEYS. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(sets);
        keys.addAll(sortedSets);
        return keys;
    }

    /** The indexed fields of a device, as the scripts compare them: user ('' for none), app, platform. */
    static String[] fingerprint(Device device) {
        return new String[] {Objects.requireNonNullElse(device.userId(), ""), device.appId(), device.platform().wire()};
    }
}
