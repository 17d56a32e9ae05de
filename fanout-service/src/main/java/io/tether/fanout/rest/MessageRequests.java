package io.tether.fanout.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.DeviceId;
import io.tether.contract.Json;
import io.tether.contract.MessageId;
import io.tether.contract.MessageProperties;
import io.tether.contract.MqttTopics;
import io.tether.contract.Target;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import io.tether.contract.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Turns a {@link SendMessageRequest} into an {@link OutgoingMessage}, or a 400/413 problem naming the fields. */
public final class MessageRequests {
    private static final Pattern SUBTOPIC = Pattern.compile("[A-Za-z0-9._-]{1,64}(/[A-Za-z0-9._-]{1,64}){0,7}");
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    /** Any text but control characters and line breaks; push-options sends a key that is not printable ASCII hashed. */
    private static final Pattern COLLAPSE_KEY = Pattern.compile("[^\\p{Cc}\\p{Zl}\\p{Zp}]{1,64}");
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9.-]{1,155}");
    private static final int MAX_DEVICES = 1000;

    private final Duration defaultTtl;
    private final Duration maxTtl;
    private final int maxPayloadBytes;

    public MessageRequests(Duration defaultTtl, Duration maxTtl, int maxPayloadBytes) {
        this.defaultTtl = defaultTtl;
        this.maxTtl = maxTtl;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public OutgoingMessage toMessage(SendMessageRequest request, String traceparent, long nowMillis) {
        if (request == null) {
            throw ProblemException.validation("a JSON body is required", List.of(new Problem.FieldError("body", "must not be empty")));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Target target = target(request.to(), errors);
        boolean liveActivity = request.push() != null && request.push().has("liveActivity");
        byte[] payload = liveActivity && request.payload() == null && request.payloadBase64() == null ? new byte[0] : payload(request, errors);
        AttachmentRequests.validate(request.attachment(), errors);
        if (liveActivity && request.attachment() != null) {
            errors.add(new Problem.FieldError("attachment", "a Live Activity update carries no attachment: ActivityKit reads only its content-state"));
        }
        String subtopic = request.subtopic() == null ? "messages" : request.subtopic();
        if (request.subtopic() != null && request.to() != null && request.to().topic() != null) {
            errors.add(new Problem.FieldError("subtopic", "does not apply to a topic message: it is delivered on the topic"));
        } else if (!SUBTOPIC.matcher(subtopic).matches()) {
            errors.add(new Problem.FieldError("subtopic", "must be topic levels of letters, digits, '.', '_' or '-'"));
        }
        long ttlSeconds = request.ttl() == null ? defaultTtl.toSeconds() : request.ttl();
        // A message of ttl 0 expires as it is accepted: no route could deliver it, so it would be 202 and then expired.
        if (ttlSeconds < 1 || ttlSeconds > maxTtl.toSeconds()) {
            errors.add(new Problem.FieldError("ttl", "must be between 1 and " + maxTtl.toSeconds() + " seconds"));
        }
        if (request.collapseKey() != null && !COLLAPSE_KEY.matcher(request.collapseKey()).matches()) {
            errors.add(new Problem.FieldError("collapseKey", "must be 1 to 64 characters, without control characters or line breaks"));
        }
        String activity = request.to() == null ? null : request.to().activity();
        if (activity != null && (request.to().device() == null)) {
            errors.add(new Problem.FieldError("to.activity", "goes with to.device: a Live Activity runs on one device"));
        }
        PushOptionsCheck.Checked push = PushOptionsCheck.check(request.push(), activity, payload, contentType(request, payload),
                nowMillis, nowMillis + ttlSeconds * 1000, request.collapseKey(), errors);
        MessageProperties properties = MqttPropertiesRequest.properties(request, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation("the message is not valid", errors);
        }
        if (payload.length > maxPayloadBytes) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, 413,
                    "payload is " + payload.length + " bytes; at most " + maxPayloadBytes + " are accepted", List.of());
        }
        return new OutgoingMessage(MessageId.random(), target, payload, contentType(request, payload), subtopic, nowMillis,
                nowMillis + ttlSeconds * 1000, request.collapseKey(), push == null ? null : push.json(), traceparent, properties);
    }

    private static Target target(SendMessageRequest.To to, List<Problem.FieldError> errors) {
        if (to == null) {
            errors.add(new Problem.FieldError("to", "is required: one of device, devices, user, topic, app"));
            return null;
        }
        int given = (to.device() != null ? 1 : 0) + (to.devices() != null ? 1 : 0) + (to.user() != null ? 1 : 0) + (to.topic() != null ? 1 : 0)
                + (to.app() != null ? 1 : 0);
        if (given != 1) {
            errors.add(new Problem.FieldError("to", "must name exactly one of device, devices, user, topic, app"));
            return null;
        }
        if (to.device() != null && !DeviceId.isValid(to.device())) {
            errors.add(new Problem.FieldError("to.device", "is not a valid device id"));
        }
        if (to.devices() != null) {
            if (to.devices().isEmpty() || to.devices().size() > MAX_DEVICES) {
                errors.add(new Problem.FieldError("to.devices", "must list 1 to " + MAX_DEVICES + " device ids"));
            }
            for (int i = 0; i < to.devices().size(); i++) {
                if (!DeviceId.isValid(to.devices().get(i))) {
                    errors.add(new Problem.FieldError("to.devices[" + i + "]", "is not a valid device id"));
                }
            }
        }
        if (to.user() != null && !USER_ID.matcher(to.user()).matches()) {
            errors.add(new Problem.FieldError("to.user", "is not a valid user id"));
        }
        if (to.topic() != null && !MqttTopics.isSendableTopic(to.topic())) {
            errors.add(new Problem.FieldError("to.topic", "must be a topic name of at most " + MqttTopics.MAX_LENGTH
                    + " characters without wildcards, not starting with $ or devices/"));
        }
        if (to.app() != null && !APP_ID.matcher(to.app()).matches()) {
            errors.add(new Problem.FieldError("to.app", "must be a bundle id: 1 to 155 of A-Z a-z 0-9 . -"));
        }
        return new Target(to.device(), to.devices(), to.user(), to.topic(), to.app());
    }

    private static byte[] payload(SendMessageRequest request, List<Problem.FieldError> errors) {
        JsonNode payload = request.payload();
        boolean noPayload = (payload == null || payload.isNull()) && request.payloadBase64() == null;
        if (noPayload && request.attachment() != null) {
            return new byte[0]; // the attachment is the message
        }
        if ((payload == null || payload.isNull()) == (request.payloadBase64() == null)) {
            errors.add(new Problem.FieldError("payload", "give exactly one of payload and payloadBase64"));
            return new byte[0];
        }
        if (request.payloadBase64() != null) {
            try {
                return Base64.getDecoder().decode(request.payloadBase64());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("payloadBase64", "is not valid base64"));
                return new byte[0];
            }
        }
        return payload.isTextual() ? payload.asText().getBytes(StandardCharsets.UTF_8) : Json.toBytes(payload);
    }

    private static String contentType(SendMessageRequest request, byte[] payload) {
        if (request.contentType() != null) {
            return request.contentType();
        }
        if (payload.length == 0 && request.payload() == null && request.payloadBase64() == null) {
            return null; // a Live Activity message: no data
        }
        if (request.payloadBase64() != null) {
            return "application/octet-stream";
        }
        if (request.payload() == null || request.payload().isNull()) {
            return null;
        }
        return request.payload().isTextual() ? "text/plain; charset=utf-8" : "application/json";
    }
}
