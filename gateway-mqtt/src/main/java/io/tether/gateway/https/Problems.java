package io.tether.gateway.https;

import io.tether.contract.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device endpoint's errors as {@code application/problem+json} (RFC 9457), in the shape and {@code type} URNs of
 * the REST APIs ({@code urn:tether:problem:<slug>}). The detail says what was wrong, never a secret or a token.
 */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    /** A problem type: a stable slug, its HTTP status and title. */
    enum Type {
        VALIDATION("validation", 400, "Request is not valid"),
        UNAUTHORIZED("unauthorized", 401, "Authentication required"),
        INVALID_URL("invalid-download-url", 403, "Download URL is not valid"),
        NOT_FOUND("not-found", 404, "Not found"),
        EXPIRED("download-expired", 410, "Download URL has expired"),
        PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
        RANGE("range-not-satisfiable", 416, "Range not satisfiable"),
        INTERNAL("internal", 500, "Internal error"),
        UNAVAILABLE("unavailable", 503, "Service unavailable");

        final String slug;
        final int status;
        final String title;

        Type(String slug, int status, String title) {
            this.slug = slug;
            this.status = status;
            this.title = title;
        }
    }

    private Problems() {
    }

    static void send(HttpServerResponse response, Type type, String detail, String instance) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:tether:problem:" + type.slug);
        problem.put("title", type.title);
        problem.put("status", type.status);
        problem.put("detail", detail);
        problem.put("instance", instance);
        response.setStatusCode(type.status).putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE).end(Json.toString(problem));
    }
}
