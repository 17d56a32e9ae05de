package io.tether.contract.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem document, answered as {@value #MEDIA_TYPE}. {@code detail} is written for a
 * human and never carries secrets, request bodies or exception internals.
 *
 * @param type     {@link ProblemType#uri()}, or {@code about:blank} for a bare HTTP status
 * @param instance the request path (without the query, which might carry secrets); may be null
 * @param errors   per-field errors for validation problems; empty otherwise (and then not serialized)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String ABOUT_BLANK = "about:blank";

    /** One failing field: {@code field} is a JSON property name (or dotted path), never the value. */
    public record FieldError(String field, String message) {
        public FieldError {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return of(type, detail, instance, List.of());
    }

    public static Problem of(ProblemType type, String detail, String instance, List<FieldError> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, errors);
    }

    /** A problem for an HTTP status: its Tether type when there is one, else {@code about:blank}. */
    public static Problem ofStatus(int status, String reasonPhrase, String instance) {
        return ProblemType.forStatus(status)
                .map(type -> new Problem(type.uri(), type.title(), status, null, instance, List.of()))
                .orElseGet(() -> new Problem(ABOUT_BLANK, reasonPhrase == null ? "HTTP " + status : reasonPhrase,
                        status, null, instance, List.of()));
    }
}
