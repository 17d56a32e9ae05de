package io.tether.registry.grant;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A topic filter and what it allows, as the gateway reads it: one field of a grants hash, the filter as the
 * field name and the actions as {@code subscribe}, {@code publish} or {@code subscribe,publish}.
 */
public record Grant(String filter, Set<GrantAction> actions) {

    public Grant {
        Objects.requireNonNull(filter, "filter");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a grant allows something");
        }
        actions = Set.copyOf(EnumSet.copyOf(actions));
    }

    /** Subscribe before publish, whatever order they were given in. */
    public String storedActions() {
        return EnumSet.copyOf(actions).stream().map(GrantAction::wire).collect(Collectors.joining(","));
    }

    /** From the hash; unknown actions (a newer registry's) are ignored. Null when none is known. */
    public static Grant fromStored(String filter, String actions) {
        Set<GrantAction> known = Arrays.stream(actions.split(","))
                .map(String::strip)
                .flatMap(action -> GrantAction.parse(action).stream())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(GrantAction.class)));
        return known.isEmpty() ? null : new Grant(filter, known);
    }
}
