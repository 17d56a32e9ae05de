package io.tether.registry.grant;

import java.util.Optional;

/**
 * Which MQTT topic filters may be granted: valid MQTT filters (wildcards only as whole levels, {@code #} only
 * last), not reserved ({@code $} topics are the broker's and Tether's own signals), of bounded length.
 */
public final class TopicFilters {
    public static final int MAX_LENGTH = 256;

    private TopicFilters() {
    }

    /** Empty when {@code filter} may be granted, else why not (without quoting it). */
    public static Optional<String> problem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return Optional.of("is required");
        }
        if (filter.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (filter.startsWith("$")) {
            return Optional.of("must not start with $: those topics are reserved");
        }
        if (filter.indexOf('\u0000') >= 0) {
            return Optional.of("must not contain the NUL character");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return Optional.of("# must be a whole level and the last one");
            }
            if (level.contains("+") && !level.equals("+")) {
                return Optional.of("+ must be a whole level");
            }
        }
        return Optional.empty();
    }
}
