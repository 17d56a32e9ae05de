package io.tether.registry.device.rest;

import io.tether.contract.DeviceId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque paging cursor: the last device id of the previous page, base64url. Clients must not build it;
 * the format may change (the {@code d1.} prefix versions it).
 */
final class Cursor {
    private static final String VERSION = "d1.";

    private Cursor() {
    }

    static String encode(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** The device id the cursor stands for; empty when it is not a cursor this API issued. */
    static Optional<String> decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(VERSION)) {
                return Optional.empty();
            }
            String id = text.substring(VERSION.length());
            return DeviceId.isValid(id) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
