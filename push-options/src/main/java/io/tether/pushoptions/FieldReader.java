package io.tether.pushoptions;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads typed fields of one JSON object, collecting a {@link BadPushOptionsException.Violation} per wrong field
 * (named with its full path, e.g. {@code push.sound.volume}) instead of stopping at the first.
 */
final class FieldReader {
    private final JsonNode object;
    private final String path;
    private final List<BadPushOptionsException.Violation> violations;
    private final boolean strict;

    /** @param strict whether {@link #refuseUnknown} refuses (fanout) or ignores (push-service) fields not listed */
    FieldReader(JsonNode object, String path, List<BadPushOptionsException.Violation> violations, boolean strict) {
        this.object = object;
        this.path = path;
        this.violations = violations;
        this.strict = strict;
    }

    String path(String field) {
        return path + "." + field;
    }

    void refuse(String field, String message) {
        violations.add(new BadPushOptionsException.Violation(field == null ? path : path(field), message));
    }

    /** Fanout's parse, which refuses what push-service (reading requests accepted by an earlier version) lets pass. */
    boolean strict() {
        return strict;
    }

    /** When strict, refuses each field not in {@code known}, so a misspelt option is not silently dropped. */
    void refuseUnknown(List<String> known) {
        if (strict) {
            object.fieldNames().forEachRemaining(name -> {
                if (!known.contains(name)) {
                    refuse(name, "is not a push option");
                }
            });
        }
    }

        boolean has(String field) {
        JsonNode node = object.get(field);
        return node != null && !node.isNull();
    }

    JsonNode node(String field) {
        return has(field) ? object.get(field) : null;
    }

    /** A non-empty string. */
    String text(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            refuse(field, "must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    List<String> texts(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isTextual() || item.isNumber()) {
                    values.add(item.asText());
                } else {
                    values = null;
                    break;
                }
            }
        }
        if (!node.isArray() || values == null) {
            refuse(field, "must be an array of strings");
            return null;
        }
        return List.copyOf(values);
    }

    Integer nonNegativeInt(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            refuse(field, "must be a non-negative integer");
            return null;
        }
        return node.asInt();
    }

    /** Whole seconds since the epoch, after 2001 (so milliseconds sent by mistake are told apart). */
    Long epochSeconds(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1_000_000_000L || node.asLong() > 99_999_999_999L) {
            refuse(field, "must be a time in whole seconds since 1970 (UNIX time, not milliseconds)");
            return null;
        }
        return node.asLong();
    }

    /** A number from 0 to 1. */
    Double fraction(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
            refuse(field, "must be a number from 0 to 1");
            return null;
        }
        return node.asDouble();
    }

    Boolean bool(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            refuse(field, "must be true or false");
            return null;
        }
        return node.asBoolean();
    }

    /** A JSON object as plain maps, lists, strings, numbers and booleans (what Pushy's serializer writes). */
    Map<String, Object> object(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            refuse(field, "must be an object");
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = Json.MAPPER.convertValue(node, LinkedHashMap.class);
        return Collections.unmodifiableMap(values);
    }

    /** The value must be one of {@code allowed}. */
    String oneOf(String field, List<String> allowed) {
        String value = text(field);
        if (value != null && !allowed.contains(value)) {
            refuse(field, "must be one of " + String.join(", ", allowed));
            return null;
        }
        return value;
    }

    FieldReader nested(String field) {
        return new FieldReader(object.get(field), path(field), violations, strict);
    }
}
