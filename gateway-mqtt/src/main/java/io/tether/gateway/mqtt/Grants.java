package io.tether.gateway.mqtt;

import java.util.List;
import java.util.Map;

/**
 * Topic filters a device may use beyond its own namespace, granted in the registry to the device or to its
 * user. Read once per connection.
 */
public record Grants(List<Grant> grants) {
    public static final Grants NONE = new Grants(List.of());

    /** One granted filter and what it allows. */
    public record Grant(String filter, boolean subscribe, boolean publish) {
    }

    /** From the registry's hashes: filter → "subscribe", "publish" or "subscribe,publish". */
    public static Grants fromHashes(List<Map<String, String>> hashes) {
        List<Grant> out = new java.util.ArrayList<>();
        for (Map<String, String> hash : hashes) {
            hash.forEach((filter, actions) -> {
                if (TopicFilter.isValid(filter) && !filter.startsWith("$")) {
                    out.add(new Grant(filter, actions.contains("subscribe"), actions.contains("publish")));
                }
            });
        }
        return new Grants(List.copyOf(out));
    }

    public boolean allowsSubscribe(String filter) {
        return grants.stream().anyMatch(g -> g.subscribe() && TopicFilter.covers(g.filter(), filter));
    }

    public boolean allowsPublish(String topic) {
        return grants.stream().anyMatch(g -> g.publish() && TopicFilter.matches(g.filter(), topic));
    }
}
