package io.tether.contract;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Device ids double as MQTT client ids and as a level of MQTT topics and Redis keys, so they may not
 * hold topic wildcards, separators or hash-tag braces.
 */
public final class DeviceId {
    /** Longest device id: ASCII letters, digits, {@code .}, {@code _} and {@code -}, 1 to this many. */
    public static final int MAX_LENGTH = 64;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceId() {
    }

    /**
     * 1 to {@link #MAX_LENGTH} ASCII letters, digits, {@code .}, {@code _} or {@code -}. Checked several times per
     * message and per CONNECT, so a plain loop instead of a regex matcher allocated per call.
     */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("invalid device id");
        }
        return id;
    }

    /** 130 random bits as 26 lowercase base32 characters. */
    public static String random() {
        byte[] bytes = new byte[17];
        RANDOM.nextBytes(bytes);
        StringBuilder out = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < 26) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
