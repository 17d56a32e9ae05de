package io.tether.contract;

import java.util.Locale;
import java.util.Optional;

/** Apple platforms; routing differs by platform (DESIGN.md §5). */
public enum Platform {
    IOS, IPADOS, MACOS, TVOS, WATCHOS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Platform> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Platform p : values()) {
            if (p.wire().equals(value.toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
