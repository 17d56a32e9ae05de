package io.tether.rest.problem;

import java.util.Optional;

/**
 * The stable {@code type} URIs of Tether's problem documents. Clients branch on these, never on
 * {@code title} or {@code detail}, so a slug never changes once released.
 */
public enum ProblemType {
    VALIDATION("validation", 400, "Request is not valid"),
    MALFORMED_JSON("malformed-json", 400, "Request body is not valid JSON"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Not allowed"),
    NOT_FOUND("not-found", 404, "Not found"),
    CONFLICT("conflict", 409, "Conflict"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    /** An {@code Idempotency-Key} used again with a different request. */
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency key reused with another request"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    /** An app's quota (messages per second or per day, devices) is used up; {@code Retry-After} when it refills. */
    QUOTA_EXCEEDED("quota-exceeded", 429, "Quota exceeded"),
    INTERNAL("internal", 500, "Internal error"),
    UNAVAILABLE("unavailable", 503, "Service unavailable");

    public static final String URN_PREFIX = "urn:tether:problem:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** {@code urn:tether:problem:<slug>}. */
    public String uri() {
        return URN_PREFIX + slug;
    }

    public String slug() {
        return slug;
    }

    /** The HTTP status this type is normally answered with. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /**
     * The type used for a bare HTTP status (a {@code WebApplicationException} from the framework). Empty
     * for statuses without a Tether type; those are answered as {@code about:blank} (RFC 9457 §4.2.1).
     * 400 maps to {@link #VALIDATION}, never to {@link #MALFORMED_JSON}, which is only chosen from the cause; 422 has no
     * type of its own (only Tether's idempotency check answers {@link #IDEMPOTENCY_KEY_REUSED}).
     */
    public static Optional<ProblemType> forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != MALFORMED_JSON && type != IDEMPOTENCY_KEY_REUSED) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
