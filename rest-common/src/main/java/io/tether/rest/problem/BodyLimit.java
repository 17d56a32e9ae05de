package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose declared {@code Content-Length} is above {@code quarkus.http.limits.max-body-size}
 * with a 413 {@value Problem#MEDIA_TYPE} document, before anything parses the body. Quarkus's own check right
 * after this one answers such requests with an empty 413; it still does for chunked bodies, whose size is
 * only known while reading.
 *
 * <p>A client that sends its whole body before reading the answer would see a reset connection, not the
 * 413, if the connection closed at once; so a body up to {@link #DRAIN_LIMIT_BYTES} is read and dropped
 * (the connection stays usable), and only a larger one closes the connection after the answer.
 */
@Singleton
public class BodyLimit {
    static final long DRAIN_LIMIT_BYTES = 16L * 1024 * 1024;

    private final long maxBytes;
    private final ObjectMapper mapper;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max,
                     ObjectMapper mapper) {
        this.maxBytes = max.asLongValue();
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        long declared = declaredLength(context.request());
        if (declared <= maxBytes) {
            context.next();
            return;
        }
        HttpServerRequest request = context.request();
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "request body is larger than " + maxBytes + " bytes", request.path());
        String json;
        try {
            json = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serializes", e);
        }
        if (declared > DRAIN_LIMIT_BYTES) {
            context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .endHandler(ended -> request.connection().close());
        } else {
            request.handler(chunk -> {
                // dropped: read only so the client gets to read the answer
            });
            request.resume();
        }
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(json);
    }

    /** -1 without a (valid) Content-Length. */
    private static long declaredLength(HttpServerRequest request) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return -1;
        }
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1; // the HTTP codec rejects it anyway
        }
    }
}
