package io.tether.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks on a service's served OpenAPI document (its {@code paths} object, as JSON maps). */
public final class OpenApiDocs {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private OpenApiDocs() {
    }

    /**
     * The /v1 operations ("POST /v1/…") that name no security requirement: Swagger UI sends no credentials with them,
     * and a reader takes them for open.
     */
    public static List<String> operationsWithoutCredentials(Map<String, Map<String, Object>> paths) {
        List<String> open = new ArrayList<>();
        paths.forEach((path, item) -> item.forEach((method, operation) -> {
            if (path.startsWith("/v1/") && HTTP_METHODS.contains(method) && !namesCredentials(operation)) {
                open.add(method.toUpperCase() + " " + path);
            }
        }));
        return open;
    }

    private static boolean namesCredentials(Object operation) {
        return ((Map<?, ?>) operation).get("security") instanceof List<?> security && !security.isEmpty();
    }
}
