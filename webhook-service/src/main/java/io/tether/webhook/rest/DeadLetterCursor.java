package io.tether.webhook.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * The opaque paging cursor of the dead letters, in the style of the device list's: the number of the last dead letter
 * of the previous page, base64url. Clients must not build it; the format may change (the {@code dl1.} prefix versions
 * it).
 */
final class DeadLetterCursor {
    private static final String VERSION = "dl1.";

    private DeadLetterCursor() {
    }

    static String encode(long last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + last).getBytes(StandardCharsets.UTF_8));
    }

    /** The number the cursor stands for; empty when it is not a cursor this API issued. */
    static OptionalLong decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(VERSION)) {
                return OptionalLong.empty();
            }
            long last = Long.parseLong(text.substring(VERSION.length()));
            return last > 0 ? OptionalLong.of(last) : OptionalLong.empty();
        } catch (IllegalArgumentException e) { // not base64, or no number (NumberFormatException is one)
            return OptionalLong.empty();
        }
    }
}
