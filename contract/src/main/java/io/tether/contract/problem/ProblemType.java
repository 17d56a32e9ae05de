package io.tether.contract.problem;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The stable {@code type} URIs of Tether's problem documents, for the backends' REST APIs and the device HTTPS
 * endpoint alike. Clients branch on these, never on {@code title} or {@code detail}, so a slug never changes once
 * released.
 */
public enum ProblemType {
    VALIDATION("validation", 400, "Request is not valid"),
    MALFORMED_JSON("malformed-json", 400, "Request body is not valid JSON"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Not allowed"),
    NOT_FOUND("not-found", 404, "Not found"),
    /** A request whose body stopped arriving (an upload the client sent nothing of for too long). */
    REQUEST_TIMEOUT("request-timeout", 408, "Request timeout"),
    CONFLICT("conflict", 409, "Conflict"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    /** A download URL whose token is altered, or not signed by a key Tether knows. */
    INVALID_DOWNLOAD_URL("invalid-download-url", 403, "Download URL is not valid"),
    /** A download URL past its expiry (the message's). */
    DOWNLOAD_EXPIRED("download-expired", 410, "Download URL has expired"),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
    /** An {@code Idempotency-Key} used again with a different request. */
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency key reused with another request"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    /** An app's quota (messages per second or per day, devices) is used up; {@code Retry-After} when it refills. */
    QUOTA_EXCEEDED("quota-exceeded", 429, "Quota exceeded"),
    INTERNAL("internal", 500, "Internal error"),
    UNAVAILABLE("unavailable", 503, "Service unavailable");

    public static final String URN_PREFIX = "urn:tether:problem:";
    /** Types only the code that knows the cause chooses, never a bare HTTP status. */
    private static final Set<ProblemType> BY_CAUSE_ONLY = EnumSet.of(MALFORMED_JSON, IDEMPOTENCY_KEY_REUSED,
            INVALID_DOWNLOAD_URL, DOWNLOAD_EXPIRED, RANGE_NOT_SATISFIABLE);

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
     * 400 maps to {@link #VALIDATION}, never to {@link #MALFORMED_JSON}, which is only chosen from the cause (as are
     * the download types); 422 has no type of its own (only Tether's idempotency check answers
     * {@link #IDEMPOTENCY_KEY_REUSED}).
     */
    public static Optional<ProblemType> forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && !BY_CAUSE_ONLY.contains(type)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
