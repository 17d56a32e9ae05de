package io.tether.fanout.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Headers;
import io.tether.contract.MessageProperties;
import io.tether.contract.problem.Problem;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MQTT 5 part of {@code POST /v1/messages}: {@code properties} (user properties), {@code responseTopic} and
 * {@code correlationData}, checked field by field. Names starting with {@code tether-} and {@code traceparent} are
 * Tether's own (message id, trace context) and refused.
 */
final class MqttPropertiesRequest {
    static final int MAX_PROPERTIES = 32;
    static final int MAX_NAME = 128;
    static final int MAX_VALUE = 1024;
    static final int MAX_TOPIC = 256;
    static final int MAX_CORRELATION_BYTES = 4096;

    private MqttPropertiesRequest() {
    }

    /** The properties to carry, null when the request has none; problems go to {@code errors}. */
    static MessageProperties properties(SendMessageRequest request, List<Problem.FieldError> errors) {
        return MessageProperties.orNull(user(request.properties(), errors), responseTopic(request.responseTopic(), errors),
                correlationData(request.correlationData(), errors));
    }

    private static List<MessageProperties.UserProperty> user(JsonNode properties, List<Problem.FieldError> errors) {
        List<MessageProperties.UserProperty> out = new ArrayList<>();
        if (properties == null || properties.isNull()) {
            return out;
        }
        if (!properties.isObject()) {
            errors.add(new Problem.FieldError("properties", "must be an object of string values"));
            return out;
        }
        if (properties.size() > MAX_PROPERTIES) {
            errors.add(new Problem.FieldError("properties", "may hold at most " + MAX_PROPERTIES + " properties"));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String name = property.getKey();
            String field = "properties." + name;
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.length() > MAX_NAME) {
                errors.add(new Problem.FieldError(field, "names must be 1 to " + MAX_NAME + " characters"));
            } else if (lower.startsWith("tether-") || lower.equals(Headers.TRACEPARENT)) {
                errors.add(new Problem.FieldError(field, "is reserved: names starting with tether- and traceparent are Tether's own"));
            } else if (!property.getValue().isTextual()) {
                errors.add(new Problem.FieldError(field, "must be a string"));
            } else if (property.getValue().asText().length() > MAX_VALUE) {
                errors.add(new Problem.FieldError(field, "must be at most " + MAX_VALUE + " characters"));
            } else {
                out.add(new MessageProperties.UserProperty(name, property.getValue().asText()));
            }
        }
        return out;
    }

    private static String responseTopic(String topic, List<Problem.FieldError> errors) {
        if (topic == null) {
            return null;
        }
        if (topic.isEmpty() || topic.length() > MAX_TOPIC || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0
                || topic.indexOf('\u0000') >= 0) {
            errors.add(new Problem.FieldError("responseTopic", "must be an MQTT topic name of 1 to " + MAX_TOPIC
                    + " characters without wildcards"));
            return null;
        }
        return topic;
    }

    private static byte[] correlationData(String base64, List<Problem.FieldError> errors) {
        if (base64 == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length > MAX_CORRELATION_BYTES) {
                errors.add(new Problem.FieldError("correlationData", "must be at most " + MAX_CORRELATION_BYTES + " bytes"));
                return null;
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("correlationData", "is not valid base64"));
            return null;
        }
    }
}
