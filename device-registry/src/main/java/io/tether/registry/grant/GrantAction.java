package io.tether.registry.grant;

import java.util.Locale;
import java.util.Optional;

/** What a grant allows on the topics its filter matches. */
public enum GrantAction {
    SUBSCRIBE, PUBLISH;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<GrantAction> parse(String value) {
        for (GrantAction action : values()) {
            if (action.wire().equals(value)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
