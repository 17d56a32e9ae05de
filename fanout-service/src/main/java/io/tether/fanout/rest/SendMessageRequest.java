package io.tether.fanout.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/messages}. */
@Schema(description = "A message for one device, a list of devices, a user's devices, a topic's subscribers or an app's devices")
public record SendMessageRequest(
        @Schema(description = "Exactly one of device, devices, user, topic, app") To to,
        @Schema(description = "The data: a string is sent as UTF-8 text, any other JSON value as JSON") JsonNode payload,
        @Schema(description = "Binary data instead of payload, base64") String payloadBase64,
        @Schema(description = "MIME type of the payload (MQTT 5 content type)") String contentType,
        @Schema(description = "Topic level(s) under devices/<id>/ to deliver on; default messages") String subtopic,
        @Schema(description = "Seconds the message may wait for the device, at least 1; default 1 day") Long ttl,
        @Schema(description = "Newer messages with the same key replace older ones in APNs") String collapseKey,
        @Schema(description = "APNs options used when the device is reached by push; see the README's push options") JsonNode push,
        @Schema(description = "MQTT 5 user properties for the device: an object of string values (names not starting with tether-)")
        JsonNode properties,
        @Schema(description = "MQTT 5 Response Topic: where the device is to answer this message (a request)") String responseTopic,
        @Schema(description = "MQTT 5 Correlation Data, base64: passed to the device as is, e.g. the one of the request this answers")
        String correlationData,
        @Schema(description = "A large body the device downloads in the background: an uploaded one (id) or one the "
                + "backend hosts (url, size, sha256). Devices get a signed download descriptor") Attachment attachment) {

    /** A request without MQTT 5 properties or an attachment. */
    public SendMessageRequest(To to, JsonNode payload, String payloadBase64, String contentType, String subtopic, Long ttl,
            String collapseKey, JsonNode push) {
        this(to, payload, payloadBase64, contentType, subtopic, ttl, collapseKey, push, null, null, null, null);
    }

    /** A request with MQTT 5 properties, without an attachment. */
    public SendMessageRequest(To to, JsonNode payload, String payloadBase64, String contentType, String subtopic, Long ttl,
            String collapseKey, JsonNode push, JsonNode properties, String responseTopic, String correlationData) {
        this(to, payload, payloadBase64, contentType, subtopic, ttl, collapseKey, push, properties, responseTopic,
                correlationData, null);
    }

    /** A request with an attachment, without MQTT 5 properties. */
    public SendMessageRequest(To to, JsonNode payload, String payloadBase64, String contentType, String subtopic, Long ttl,
            String collapseKey, JsonNode push, Attachment attachment) {
        this(to, payload, payloadBase64, contentType, subtopic, ttl, collapseKey, push, null, null, null, attachment);
    }

    /**
     * Exactly one of {@code id} (from {@code POST /v1/attachments}) or {@code url} (HTTPS by DNS name, with size and
     * SHA-256 as hex) names the body.
     */
    public record Attachment(
            @Schema(description = "Id of an uploaded body (att_...)") String id,
            @Schema(description = "HTTPS URL, by DNS name, of a body the backend hosts (e.g. its CDN)") String url,
            @Schema(description = "Bytes of the hosted body") Long size,
            @Schema(description = "SHA-256 of the hosted body, 64 hex digits") String sha256,
            @Schema(description = "MIME type of the hosted body; default application/octet-stream") String contentType,
            @Schema(description = "A file name to suggest to the app") String name) {
    }

    /**
     * Whom the message is for.
     *
     * @param topic    every device that subscribed to a filter matching this topic and whose grants allow it
     * @param activity with {@code device}: the Live Activity a {@code push.liveActivity} update or end is for
     * @param app      every device of this app
     */
    public record To(String device, List<String> devices, String user, String topic, String activity, String app) {
        public To(String device, List<String> devices, String user, String topic) {
            this(device, devices, user, topic, null, null);
        }

        public To(String device, List<String> devices, String user, String topic, String activity) {
            this(device, devices, user, topic, activity, null);
        }
    }
}
