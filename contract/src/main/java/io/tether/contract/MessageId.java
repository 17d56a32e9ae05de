package io.tether.contract;

import java.util.UUID;
import java.util.regex.Pattern;

/** Message ids: a random UUID, prefixed so that they are recognisable in logs and MQTT properties. */
public final class MessageId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private MessageId() {
    }

    public static String random() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
