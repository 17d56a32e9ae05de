package io.tether.bench.measure;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups a heap's growth by who owns the classes, from their names alone: Netty's channel and pipeline, the JDK's
 * socket objects, Vert.x's (and Vert.x MQTT's) connection objects, Tether's own, Micrometer's. Strings, arrays,
 * collections and locks cannot be told apart by name (a String may be Tether's or Netty's): they are a group of
 * their own. Diagnosis only: it says how much of the memory per connection code other than Tether's decides.
 */
public final class HeapByOwner {
    /** The group of classes whose owner a histogram cannot tell. */
    public static final String UNKNOWN = "JDK strings, arrays, collections, locks (owner not known)";
    private static final List<Map.Entry<String, List<String>>> OWNERS = List.of(
            Map.entry("Netty (io.netty)", List.of("io.netty.")),
            Map.entry("JDK sockets (sun.nio.ch, java.net, java.io)", List.of("sun.nio.ch.", "java.net.", "java.io.")),
            Map.entry("Vert.x and Vert.x MQTT (io.vertx)", List.of("io.vertx.")),
            Map.entry("Tether (io.tether)", List.of("io.tether.")),
            Map.entry("Micrometer (io.micrometer)", List.of("io.micrometer.")));

    private HeapByOwner() {
    }

    /**
     * Bytes each owner's classes grew by between two histograms (class → bytes), divided by {@code per}; every owner
     * is listed, in a fixed order, {@link #UNKNOWN} last. The values add up to the total growth divided by {@code per}.
     */
    public static Map<String, Double> growth(Map<String, Long> before, Map<String, Long> after, long per) {
        Map<String, Long> sums = new LinkedHashMap<>();
        OWNERS.forEach(owner -> sums.put(owner.getKey(), 0L));
        sums.put(UNKNOWN, 0L);
        Set<String> classes = new HashSet<>(before.keySet());
        classes.addAll(after.keySet());
        for (String cls : classes) {
            long grew = after.getOrDefault(cls, 0L) - before.getOrDefault(cls, 0L);
            sums.merge(ownerOf(cls), grew, Long::sum);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((owner, bytes) -> out.put(owner, (double) bytes / per));
        return out;
    }

    static String ownerOf(String cls) {
        for (Map.Entry<String, List<String>> owner : OWNERS) {
            for (String prefix : owner.getValue()) {
                if (cls.startsWith(prefix)) {
                    return owner.getKey();
                }
            }
        }
        return UNKNOWN;
    }
}
