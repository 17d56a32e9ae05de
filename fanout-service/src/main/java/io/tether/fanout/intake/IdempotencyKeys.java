package io.tether.fanout.intake;

import io.tether.contract.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key}s of {@code POST /v1/messages} and its batches. The message id is derived from the sending API
 * key and the idempotency key, so a retry lands on the same message record (one Redis script decides, on every fanout
 * instance), and two API keys never share an idempotency key. The request's fingerprint tells a retry from a
 * different request.
 */
public final class IdempotencyKeys {
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");
    /** What {@link #ofBatchMessage} makes: a key, '#' and the index in decimal without leading zeros. */
    private static final Pattern BATCH_MESSAGE_SHAPE = Pattern.compile(".+#(0|[1-9][0-9]*)");

    private IdempotencyKeys() {
    }

    /**
     * The key one message is remembered under: a single send's {@code Idempotency-Key} as it came, or that of message
     * <i>i</i> of a batch sent with the key <i>K</i>, {@code K#i}.
     *
     * @param ofBatch whether it is a batch message's; a single send's key may look like one ({@code K#i})
     */
    public record Key(String value, boolean ofBatch) {
    }

    /** A single send's key. */
    public static Key single(String idempotencyKey) {
        return new Key(idempotencyKey, false);
    }

    /** 1 to 255 visible ASCII characters (what RFC 9110 allows in a header value without quoting trouble). */
    public static boolean isValid(String key) {
        return key != null && VALID.matcher(key).matches();
    }

    /** The key of message {@code index} of a batch sent with {@code batchKey}. */
    public static Key ofBatchMessage(String batchKey, int index) {
        return new Key(batchKey + "#" + index, true);
    }

    /**
     * {@code msg_} and 32 hex digits of SHA-256 over the API key id and the key. A batch message's id is derived from
     * {@code K#i} as it always was, so a batch retried across an upgrade still finds its messages. A single send whose
     * own key has that shape would land on message <i>i</i> of the batch <i>K</i> (refused as a reused key, or answered
     * as that message's replay and not sent): its id is derived from the key set apart by a prefix no key has (NUL is
     * not a visible character). Two batch keys cannot meet: {@code K#i} splits at its last '#' into one key and index.
     */
    public static String messageId(String apiKeyId, Key key) {
        String derivedFrom = !key.ofBatch() && BATCH_MESSAGE_SHAPE.matcher(key.value()).matches()
                ? "single\u0000" + key.value()
                : key.value();
        return "msg_" + sha256Hex(apiKeyId + "\u0000" + derivedFrom).substring(0, 32);
    }

    /**
     * The id earlier versions derived for a single send whose key has the shape {@code K#i} (from the key as it came, as
     * {@link #messageId} still does for every other key); empty for any other key, whose id did not change. A request
     * an earlier version accepted and that is retried here within the idempotency window has its record under this id.
     *
     * <p>Only for the rolling upgrade: it (and its use in {@link MessageAcceptor}) can go once one idempotency window
     * (tether.fanout.idempotency-window, 24 h by default) has passed after every fanout instance runs this version.
     */
    public static java.util.Optional<String> legacyMessageId(String apiKeyId, Key key) {
        return !key.ofBatch() && BATCH_MESSAGE_SHAPE.matcher(key.value()).matches()
                ? java.util.Optional.of("msg_" + sha256Hex(apiKeyId + "\u0000" + key.value()).substring(0, 32))
                : java.util.Optional.empty();
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
