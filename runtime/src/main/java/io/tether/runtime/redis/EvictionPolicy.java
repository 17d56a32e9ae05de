package io.tether.runtime.redis;

import java.util.Optional;

/**
 * Tether's Redis keys must never be evicted: nearly all of them carry a TTL, so a {@code volatile-*} policy (the default
 * of some managed Redis offerings) would drop inbox entries, that is accepted messages, once Redis reaches
 * {@code maxmemory}. With {@code noeviction} a full Redis refuses writes instead, which every service treats as an
 * outage (503, refused CONNECT, retried record) and nothing acknowledged is lost.
 */
public final class EvictionPolicy {
    static final String SAFE = "noeviction";

    private EvictionPolicy() {
    }

    /**
     * What to warn about, read from {@code INFO memory}; empty when the policy is {@code noeviction}, when Redis has no
     * memory limit ({@code maxmemory:0}: it never evicts) or when the answer does not say.
     */
    public static Optional<String> warning(String infoMemory) {
        String policy = field(infoMemory, "maxmemory_policy");
        String maxmemory = field(infoMemory, "maxmemory");
        if (policy == null || policy.equals(SAFE) || maxmemory == null || maxmemory.equals("0")) {
            return Optional.empty();
        }
        return Optional.of("Redis's maxmemory-policy is " + policy + " with maxmemory " + maxmemory + " bytes: once full it "
                + "may evict inbox entries, that is accepted messages. Set maxmemory-policy noeviction.");
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
