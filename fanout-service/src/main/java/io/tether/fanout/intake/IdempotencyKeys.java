package io.tether.fanout.intake;

import io.tether.contract.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key}s of {@code POST /v1/messages}. The message id is derived from the sending API key and the
 * idempotency key, so a retry lands on the same message record (one Redis script decides, on every fanout instance),
 * and two API keys never share an idempotency key. The request's fingerprint tells a retry from a different request.
 */
public final class IdempotencyKeys {
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private IdempotencyKeys() {
    }

    /** 1 to 255 visible ASCII characters (what RFC 9110 allows in a header value without quoting trouble). */
    public static boolean isValid(String key) {
        return key != null && VALID.matcher(key).matches();
    }

    /** The idempotency key of message {@code index} of a batch sent with {@code batchKey}. */
    public static String ofBatchMessage(String batchKey, int index) {
        return batchKey + "#" + index;
    }

    /** {@code msg_} and 32 hex digits of SHA-256 over the API key id and the idempotency key. */
    public static String messageId(String apiKeyId, String idempotencyKey) {
        return "msg_" + sha256Hex(apiKeyId + "\u0000" + idempotencyKey).substring(0, 32);
    }

    /** SHA-256 of the request as JSON: the same body gives the same fingerprint, any change another one. */
    public static String fingerprint(Object request) {
        return sha256Hex(Json.toString(request));
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
