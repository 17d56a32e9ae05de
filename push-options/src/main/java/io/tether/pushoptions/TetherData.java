package io.tether.pushoptions;

import io.tether.contract.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import io.tether.contract.attachment.AttachmentDocument;
import io.tether.contract.attachment.AttachmentWire;

/**
 * The custom key {@code "tether"} of a notification: the message id, and the message data when it fits. Text
 * travels as a string, JSON as the JSON value itself, anything else in base64.
 */
public final class TetherData {
    public static final String KEY = "tether";

    private TetherData() {
    }

    /** {"messageId", "data" | "dataBase64"}; just the message id when there is no data. */
    public static Map<String, Object> withData(String messageId, byte[] payload, String contentType) {
        Map<String, Object> tether = new LinkedHashMap<>();
        tether.put("messageId", messageId);
        if (payload == null || payload.length == 0) {
            return tether;
        }
        String type = mediaType(contentType);
        if (type.startsWith("text/")) {
            String text = utf8(payload);
            if (text != null) {
                tether.put("data", text);
                return tether;
            }
        } else if (type.equals("application/json") || type.endsWith("+json")) {
            try {
                tether.put("data", Json.MAPPER.readValue(payload, Object.class));
                return tether;
            } catch (IOException notJson) {
                // Labelled JSON but is not: send the bytes as they are.
            }
        }
        tether.put("dataBase64", Base64.getEncoder().encodeToString(payload));
        return tether;
    }

    /**
     * The data did not fit: tell the app to fetch it (it waits in the device's inbox), with a token for the device
     * HTTPS fetch when there is one (null otherwise).
     */
    public static Map<String, Object> fetchHint(String messageId, String fetchToken) {
        Map<String, Object> tether = new LinkedHashMap<>();
        tether.put("messageId", messageId);
        tether.put("fetch", true);
        if (fetchToken != null) {
            tether.put(AttachmentWire.PUSH_FETCH_TOKEN, fetchToken);
        }
        return tether;
    }

    /** Whether the payload is an attachment document (the message carries a download descriptor). */
    public static boolean isAttachment(String contentType) {
        return AttachmentWire.DOCUMENT_CONTENT_TYPE.equals(contentType);
    }

    /**
     * {"messageId", "attachment" (the signed download descriptor), and the backend's own data as {@link #withData}
     * puts it}; without the data when {@code withData} is false. Empty when the payload is not a valid document.
     */
    public static Optional<Map<String, Object>> withAttachment(String messageId, byte[] document, boolean withData) {
        AttachmentDocument parsed;
        try {
            parsed = Json.fromBytes(document, AttachmentDocument.class);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (parsed.attachment() == null) {
            return Optional.empty();
        }
        Map<String, Object> tether = new LinkedHashMap<>();
        tether.put("messageId", messageId);
        tether.put(AttachmentWire.PUSH_ATTACHMENT, parsed.attachment());
        if (withData && parsed.payload() != null && !parsed.payload().isNull()) {
            tether.put("data", parsed.payload().isTextual() ? parsed.payload().asText() : parsed.payload());
        } else if (withData && parsed.payloadBase64() != null) {
            tether.put("dataBase64", parsed.payloadBase64());
        }
        return Optional.of(tether);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The text, or null when the bytes are not valid UTF-8. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
