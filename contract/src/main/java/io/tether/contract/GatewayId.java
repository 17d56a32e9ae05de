package io.tether.contract;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Gateway instance ids: safe in a Kafka topic name and a Redis key. */
public final class GatewayId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private GatewayId() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** A fresh id for an instance that was not given one: {@code gw-} and 8 random hex digits. */
    public static String random() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "gw-" + HexFormat.of().formatHex(bytes);
    }
}
