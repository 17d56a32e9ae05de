package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Holds request bodies to {@code quarkus.http.limits.max-body-size} with 413 {@value Problem#MEDIA_TYPE} answers,
 * where Quarkus's own checks answer an empty 413. A declared {@code Content-Length} above the limit is answered
 * here, before anything parses the body (Quarkus's check runs right after this one). A body without one (chunked)
 * is only measured while it is read: this takes Quarkus's check of it, made from inside its input stream, out of
 * play, and {@link UnsizedBodyLimit} holds the REST layer's reading of it to the same limit instead.
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
        // After Quarkus's check, which marks a body without a length for its input stream to measure.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::takeOverUnsized);
    }

    long maxBytes() {
        return maxBytes;
    }

    /** The detail of every 413 for the body as a whole. */
    String tooLarge() {
        return "request body is larger than " + maxBytes + " bytes";
    }

    private void check(RoutingContext context) {
        long declared = declaredLength(context.request());
        if (declared <= maxBytes) {
            context.next();
            return;
        }
        HttpServerRequest request = context.request();
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE, tooLarge(), request.path());
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

    /**
     * Quarkus's input stream answers an empty 413 itself once more than the limit arrived, and its mark is all that
     * turns that on. Without it, {@link UnsizedBodyLimit} measures what the REST layer reads, and a read beyond the
     * limit is answered as a problem.
     * What is left of the body then is read and dropped after the answer, as a declared one's, and the connection
     * closed once more than {@link #DRAIN_LIMIT_BYTES} came in all: nothing else reads it, and a client still
     * sending would otherwise hold a stalled connection.
     */
    private void takeOverUnsized(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (declaredLength(request) < 0 && !request.isEnded()) {
            context.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
            Context eventLoop = Vertx.currentContext(); // the answer may end on a worker thread
            context.addEndHandler(answered -> {
                if (answered.succeeded() && context.response().getStatusCode() == 413) {
                    eventLoop.runOnContext(v -> dropTheRest(request));
                }
            });
        }
        context.next();
    }

    private static void dropTheRest(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        request.handler(chunk -> {
            if (request.bytesRead() > DRAIN_LIMIT_BYTES) {
                request.connection().close();
            }
        });
        request.resume();
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
