package io.tether.deploy;

import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML (maps and lists), failing with the path when something is missing. */
final class Objects {
    private Objects() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object parent, String key) {
        Object value = ((Map<String, Object>) parent).get(key);
        if (!(value instanceof Map)) {
            throw new AssertionError("no map at " + key + " in " + parent);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object parent, String key) {
        Object value = ((Map<String, Object>) parent).get(key);
        return value == null ? List.of() : (List<Object>) value;
    }

    /** Follows a path of map keys, e.g. "spec", "template", "spec". */
    static Map<String, Object> path(Object root, String... keys) {
        Object current = root;
        for (String key : keys) {
            current = map(current, key);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) current;
        return out;
    }

    static String string(Object parent, String key) {
        Object value = ((Map<?, ?>) parent).get(key);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object parent, String key) {
        return (List<Map<String, Object>>) (List<?>) list(parent, key);
    }
}
