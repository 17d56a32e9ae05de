package io.tether.contract;

/** MQTT topic names and filters ({@code +} one level, {@code #} the rest), per MQTT 3.1.1 §4.7: one matcher for every service. */
public final class MqttTopics {
    /** Longest topic a backend may send to (and a grant may name). */
    public static final int MAX_LENGTH = 256;

    private MqttTopics() {
    }

    /** Whether {@code topic} (a name, no wildcards) is matched by {@code filter}. */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("#") || filter.startsWith("+"))) {
            return false; // §4.7.2: "#" and "+/..." never match "$..." topics
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /**
     * A topic a backend may send to: a plain name (no wildcards), not reserved ({@code $}), not inside a device's own
     * namespace ({@code devices/...}: address the device instead), at most {@link #MAX_LENGTH} characters.
     */
    public static boolean isSendableTopic(String topic) {
        return topic != null && !topic.isEmpty() && topic.length() <= MAX_LENGTH && !topic.startsWith("$")
                && !topic.startsWith("devices/") && topic.indexOf('+') < 0 && topic.indexOf('#') < 0 && topic.indexOf('\u0000') < 0;
    }
}
