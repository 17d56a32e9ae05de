package io.tether.gateway.mqtt;

/** MQTT topic filter matching ({@code +} one level, {@code #} the rest), per MQTT 3.1.1 §4.7. */
public final class TopicFilter {
    private TopicFilter() {
    }

    public static boolean matches(String filter, String topic) {
        return io.tether.contract.MqttTopics.matches(filter, topic);
    }

    /**
     * Whether every topic matched by {@code filter} is also matched by {@code grant}: a subscription to
     * {@code filter} stays inside what {@code grant} allows.
     */
    public static boolean covers(String grant, String filter) {
        if (reservedForServer(filter) && startsWithWildcard(grant)) {
            return false; // a grant of "#" does not reach the server's "$..." topics
        }
        String[] g = grant.split("/", -1);
        String[] f = filter.split("/", -1);
        for (int i = 0; i < g.length; i++) {
            if (g[i].equals("#")) {
                return true;
            }
            if (i >= f.length) {
                return false;
            }
            if (f[i].equals("#")) {
                return false;
            }
            if (!g[i].equals("+") && (f[i].equals("+") || !g[i].equals(f[i]))) {
                return false;
            }
        }
        return g.length == f.length;
    }

    private static boolean reservedForServer(String topic) {
        return topic.startsWith("$");
    }

    private static boolean startsWithWildcard(String filter) {
        return filter.startsWith("#") || filter.startsWith("+");
    }

    /** A syntactically valid filter: wildcards only as whole levels, {@code #} only last, no U+0000 [MQTT-1.5.4-2]. */
    public static boolean isValid(String filter) {
        if (filter == null || filter.isEmpty() || filter.indexOf('\u0000') >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }
}
