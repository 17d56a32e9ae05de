package io.tether.rest.auth;

/** Which request paths belong to the backend API and need an API key. */
public final class ApiPaths {
    private ApiPaths() {
    }

    /** {@code /v1} and everything under it; {@code /q/*} (health, metrics, OpenAPI) and the rest stay open. */
    public static boolean requiresApiKey(String path) {
        if (path == null) {
            return false;
        }
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++; // "//v1/devices" routes like "/v1/devices", so it must be protected like it
        }
        return path.startsWith("v1", start) && (path.length() == start + 2 || path.charAt(start + 2) == '/');
    }
}
