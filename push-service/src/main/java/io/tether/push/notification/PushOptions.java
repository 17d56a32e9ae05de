package io.tether.push.notification;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message's push options (the {@code push} object of {@code POST /v1/messages}, carried as JSON text in the
 * push request). Every field is optional; unknown fields are ignored so that a newer fanout never breaks an
 * older push-service. See the README for the schema.
 */
public record PushOptions(Alert alert, String sound, Integer badge, String category, String threadId,
        Boolean contentAvailable, Boolean mutableContent, Map<String, Object> data, String pushType,
        String interruptionLevel, Double relevanceScore, String targetContentId) {

    /** No options at all: a background push that nudges the app to connect and drain its inbox. */
    public static final PushOptions NONE = new PushOptions(null, null, null, null, null, null, null, Map.of(), null, null, null, null);

    /**
     * @param text when the alert was given as a plain string: its body, sent as APNs' string form of alert
     */
    public record Alert(String text, String title, String subtitle, String body, String titleLocKey, List<String> titleLocArgs,
            String subtitleLocKey, List<String> subtitleLocArgs, String locKey, List<String> locArgs, String launchImage) {
    }

    /** Whether the options ask the user's attention (alert, sound or badge): then the push type is alert. */
    public boolean isVisible() {
        return alert != null || sound != null || badge != null;
    }

    /** @throws BadPushOptionsException when the text is not JSON or a field has the wrong type */
    public static PushOptions parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new BadPushOptionsException("not JSON");
        }
        if (root == null || root.isNull()) {
            return NONE;
        }
        if (!root.isObject()) {
            throw new BadPushOptionsException("must be a JSON object");
        }
        return new PushOptions(alert(root.get("alert")), text(root, "sound"), integer(root, "badge"), text(root, "category"),
                text(root, "threadId"), bool(root, "contentAvailable"), bool(root, "mutableContent"), data(root.get("data")),
                text(root, "pushType"), text(root, "interruptionLevel"), number(root, "relevanceScore"), text(root, "targetContentId"));
    }

    private static Alert alert(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return new Alert(node.asText(), null, null, null, null, null, null, null, null, null, null);
        }
        if (!node.isObject()) {
            throw new BadPushOptionsException("alert must be a string or an object");
        }
        return new Alert(null, text(node, "title"), text(node, "subtitle"), text(node, "body"), text(node, "titleLocKey"),
                texts(node, "titleLocArgs"), text(node, "subtitleLocKey"), texts(node, "subtitleLocArgs"), text(node, "locKey"),
                texts(node, "locArgs"), text(node, "launchImage"));
    }

    private static Map<String, Object> data(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new BadPushOptionsException("data must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = Json.MAPPER.convertValue(node, LinkedHashMap.class);
        return Collections.unmodifiableMap(values);
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadPushOptionsException(field + " must be a string");
        }
        return node.asText();
    }

    private static List<String> texts(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new BadPushOptionsException(field + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() && !item.isNumber()) {
                throw new BadPushOptionsException(field + " must be an array of strings");
            }
            values.add(item.asText());
        }
        return List.copyOf(values);
    }

    private static Integer integer(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw new BadPushOptionsException(field + " must be a non-negative integer");
        }
        return node.asInt();
    }

    private static Double number(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new BadPushOptionsException(field + " must be a number");
        }
        return node.asDouble();
    }

    private static Boolean bool(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new BadPushOptionsException(field + " must be true or false");
        }
        return node.asBoolean();
    }
}
