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
        @Schema(description = "Seconds the message may wait for the device; default 1 day") Long ttl,
        @Schema(description = "Newer messages with the same key replace older ones in APNs") String collapseKey,
        @Schema(description = "APNs options used when the device is reached by push; see the README's push options") JsonNode push) {

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
