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
    /**
     * One owner of classes.
     *
     * @param key      its name in results.json
     * @param label    its name in the report
     * @param prefixes the class name prefixes that are its; none for {@link #UNKNOWN}
     */
    public record Owner(String key, String label, List<String> prefixes) {
    }

    /** The group of classes whose owner a histogram cannot tell. */
    public static final Owner UNKNOWN = new Owner("unknown", "JDK strings, arrays, collections, locks (owner not known)", List.of());
    private static final List<Owner> OWNERS = List.of(
            new Owner("netty", "Netty (io.netty)", List.of("io.netty.")),
            new Owner("jdk_sockets", "JDK sockets (sun.nio.ch, java.net, java.io)", List.of("sun.nio.ch.", "java.net.", "java.io.")),
            new Owner("vertx", "Vert.x and Vert.x MQTT (io.vertx)", List.of("io.vertx.")),
            new Owner("tether", "Tether (io.tether)", List.of("io.tether.")),
            new Owner("micrometer", "Micrometer (io.micrometer)", List.of("io.micrometer.")));

    private HeapByOwner() {
    }

    /**
     * Bytes each owner's classes grew by between two histograms (class → bytes), divided by {@code per}; every owner
     * is listed, in a fixed order, {@link #UNKNOWN} last. The values add up to the total growth divided by {@code per}.
     */
    public static Map<Owner, Double> growth(Map<String, Long> before, Map<String, Long> after, long per) {
        Map<Owner, Long> sums = new LinkedHashMap<>();
        OWNERS.forEach(owner -> sums.put(owner, 0L));
        sums.put(UNKNOWN, 0L);
        Set<String> classes = new HashSet<>(before.keySet());
        classes.addAll(after.keySet());
        for (String cls : classes) {
            long grew = after.getOrDefault(cls, 0L) - before.getOrDefault(cls, 0L);
            sums.merge(ownerOf(cls), grew, Long::sum);
        }
        Map<Owner, Double> out = new LinkedHashMap<>();
        sums.forEach((owner, bytes) -> out.put(owner, (double) bytes / per));
        return out;
    }

    static Owner ownerOf(String cls) {
        for (Owner owner : OWNERS) {
            for (String prefix : owner.prefixes()) {
                if (cls.startsWith(prefix)) {
                    return owner;
                }
            }
        }
        return UNKNOWN;
    }
}
