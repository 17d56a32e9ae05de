package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;
import io.tether.runtime.failure.Failures;
import io.tether.runtime.failure.ThrottledLog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of a Tether REST API becomes one {@value Problem#MEDIA_TYPE} answer here, and only here.
 * Mappers pick the closest exception type, so each Quarkus built-in we replace is named explicitly
 * (MismatchedInputException, ValidationException), and ours win ties by priority.
 */
public class ProblemExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);
    private static final int PRIORITY = Priorities.USER - 100;
    private static final long RETRY_AFTER_SECONDS = 1;
    /** During an outage every request gets this 503 (counted in http_server_requests): one line per interval. */
    private static final ThrottledLog UNAVAILABLE = ThrottledLog.warnings(LOG, Duration.ofSeconds(10));

    @ServerExceptionMapper(priority = PRIORITY)
    public Response problem(ProblemException e, UriInfo uri) {
        if (e.status() >= 500) {
            LOG.warnf("%s answered %d: %s", instance(uri), e.status(), e.getMessage());
        }
        return answer(e, uri);
    }

    private static Response answer(ProblemException e, UriInfo uri) {
        Response answer = ProblemResponses.of(e.toProblem(instance(uri)));
        return e.retryAfterSeconds() == null ? answer
                : Response.fromResponse(answer).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }

    /** A body without a Content-Length that went beyond the limit while it was read ({@link UnsizedBodyLimit}). */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response tooLarge(UnsizedBodyLimit.TooLarge e, UriInfo uri) {
        return ProblemResponses.of(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage(), instance(uri));
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        if (e.getConstraintViolations().stream().anyMatch(ViolationErrors::isReturnValue)) {
            return internal(e, uri);
        }
        List<Problem.FieldError> errors = ViolationErrors.of(e.getConstraintViolations());
        String fields = String.join(", ", errors.stream().map(Problem.FieldError::field).distinct().toList());
        return ProblemResponses.of(Problem.of(ProblemType.VALIDATION, "invalid fields: " + fields, instance(uri), errors));
    }

    /** Broken constraint declarations and the like: a bug on our side. */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response validationSetup(ValidationException e, UriInfo uri) {
        return internal(e, uri);
    }

    /** Quarkus REST rethrows these from the body reader unwrapped; other read failures come wrapped (see {@link #web}). */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response json(JsonProcessingException e, UriInfo uri) {
        if (!isBadInput(e)) {
            return internal(e, uri); // e.g. InvalidDefinitionException, or a failure writing a response
        }
        return ProblemResponses.of(JsonErrors.toProblem(e, instance(uri)));
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response web(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status < 400) {
            return original; // redirects are answers, not problems
        }
        var json = JsonErrors.find(e.getCause());
        if (status == 400 && json.isPresent() && isBadInput(json.get())) {
            return ProblemResponses.of(JsonErrors.toProblem(json.get(), instance(uri)));
        }
        if (status >= 500) {
            LOG.errorf(e, "%s failed with %d", instance(uri), status);
        }
        Problem problem = Problem.ofStatus(status, original.getStatusInfo().getReasonPhrase(), instance(uri));
        Response.ResponseBuilder answer = Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
        // Keep what the framework meant to say besides the body: Allow on 405, WWW-Authenticate on 401, Retry-After.
        for (Map.Entry<String, List<Object>> header : original.getHeaders().entrySet()) {
            if (!header.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)
                    && !header.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                header.getValue().forEach(value -> answer.header(header.getKey(), value));
            }
        }
        return answer.build();
    }

    /**
     * An outage of a store (Redis unreachable, timing out or full, a retriable Kafka error: {@link Failures#isOutage})
     * is not a bug: 503 with Retry-After, which clients retry, instead of a 500.
     */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response unexpected(Exception e, UriInfo uri) {
        if (Failures.isOutage(e)) {
            UNAVAILABLE.warnf("%s: unavailable: %s", instance(uri), Failures.reason(e));
            return answer(ProblemException.retryAfter(ProblemType.UNAVAILABLE, "a store Tether needs is unavailable; retry later",
                    RETRY_AFTER_SECONDS), uri);
        }
        return internal(e, uri);
    }

    /** 500 with a reference the operator can find in the log; nothing of the exception reaches the client. */
    private static Response internal(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "%s failed unexpectedly (reference %s)", instance(uri), reference);
        return ProblemResponses.of(ProblemType.INTERNAL, "unexpected error, reference " + reference, instance(uri));
    }

    /** Read-side Jackson failures are the client's fault; anything else Jackson throws is ours. */
    static boolean isBadInput(JsonProcessingException e) {
        return e instanceof StreamReadException
                || e instanceof MismatchedInputException
                || e instanceof ValueInstantiationException;
    }

    /** The request path, without the query: a query string may carry secrets. */
    private static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
