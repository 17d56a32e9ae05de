package io.tether.contract;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Device ids double as MQTT client ids and as a level of MQTT topics and Redis keys, so they may not
 * hold topic wildcards, separators or hash-tag braces.
 */
public final class DeviceId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceId() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
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
