package io.tether.contract;

/** Metric label values every service derives the same way. */
public final class MetricTags {
    private static final int MAX_LENGTH = 64;

    private MetricTags() {
    }

    /**
     * A bounded label for a reason: its first word ("BadDeviceToken", "push-failed", "puback-0x87"), never the free
     * text after it, which would make a label value (a time series) per failure; "none" when there is none.
     */
    public static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return "none";
        }
        int end = reason.length();
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c == ' ' || c == ':' || c == '(') {
                end = i;
                break;
            }
        }
        String tag = reason.substring(0, Math.min(end, MAX_LENGTH));
        return tag.isEmpty() ? "none" : tag;
    }
}
