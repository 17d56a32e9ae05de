package io.tether.rest.problem;

import java.util.List;
import java.util.Objects;

/**
 * A failure a service means to answer with a problem document. Thrown (or used to complete a stage
 * exceptionally) by services; translated once, by {@link ProblemExceptionMappers}. It has no stack
 * trace: it is an answer, not a bug.
 */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final int status;
    private final List<Problem.FieldError> errors;
    private final Long retryAfterSeconds;

    public ProblemException(ProblemType type, String detail) {
        this(type, type.status(), detail, List.of());
    }

    public ProblemException(ProblemType type, int status, String detail, List<Problem.FieldError> errors) {
        this(type, status, detail, errors, null);
    }

    private ProblemException(ProblemType type, int status, String detail, List<Problem.FieldError> errors, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.type = Objects.requireNonNull(type, "type");
        this.status = status;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A problem answered with {@code Retry-After}: the caller may try again after that many seconds. */
    public static ProblemException retryAfter(ProblemType type, String detail, long seconds) {
        return new ProblemException(type, type.status(), detail, List.of(), Math.max(1, seconds));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.UNAVAILABLE, detail);
    }

    public static ProblemException validation(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(ProblemType.VALIDATION, ProblemType.VALIDATION.status(), detail, errors);
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** Seconds for {@code Retry-After}, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem(String instance) {
        return new Problem(type.uri(), type.title(), status, getMessage(), instance, errors);
    }
}
