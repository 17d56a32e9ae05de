package io.tether.chaos.stack;

import java.util.Arrays;
import java.util.Locale;

/** The processes of Tether that the chaos suite crashes and freezes, by the names {@code --only} takes. */
public enum Component {
    REDIS("redis"),
    KAFKA("kafka"),
    GATEWAY("gateway-mqtt"),
    FANOUT("fanout-service"),
    PUSH("push-service"),
    REGISTRY("device-registry");

    private final String label;

    Component(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** {@code redis}, {@code kafka}, {@code gateway}, {@code fanout}, {@code push}, {@code registry}, or a full module name. */
    public static Component parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(c -> c.label.equals(wanted) || c.label.startsWith(wanted + "-") || c.name().equalsIgnoreCase(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown component " + name
                        + " (redis, kafka, gateway, fanout, push, registry)"));
    }
}
