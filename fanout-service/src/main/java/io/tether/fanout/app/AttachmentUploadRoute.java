package io.tether.fanout.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.tether.attachments.AttachmentsConfig;
import io.tether.attachments.storage.AttachmentStore;
import io.tether.fanout.attachments.AttachmentUploads;
import io.tether.fanout.attachments.BodyPublisher;
import io.tether.rest.auth.ApiKeyVerifier;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.BearerToken;
import io.tether.rest.auth.Scopes;
import io.tether.rest.limit.RateLimiter;
import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/attachments}: a backend uploads a large body (any size up to {@code tether.attachments.max-upload-bytes})
 * as the raw request body. A Vert.x route ahead of the REST layer, because the REST layer reads bodies into memory
 * and refuses anything beyond {@code quarkus.http.limits.max-body-size}; this one streams the body into object
 * storage as it arrives. Same API keys (scope messages:send), rate limit and problem documents as the REST API.
 */
@Singleton
public class AttachmentUploadRoute {
    static final String PATH = "/v1/attachments";
    private static final Logger LOG = Logger.getLogger(AttachmentUploadRoute.class);

    private final AttachmentUploads uploads;
    private final ApiKeyVerifier verifier;
    private final RateLimiter limiter;
    private final ObjectMapper json;
    private final long maxBytes;
    private final Duration stallTimeout;

    AttachmentUploadRoute(AttachmentUploads uploads, ApiKeyVerifier verifier, RateLimiter limiter, ObjectMapper json,
            AttachmentsConfig config) {
        this.uploads = uploads;
        this.verifier = verifier;
        this.limiter = limiter;
        this.json = json;
        this.maxBytes = config.maxUploadBytes();
        this.stallTimeout = config.uploadStallTimeout();
    }

    void install(@Observes Router router) {
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::upload);
    }

    private void upload(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        request.pause();
        Context context = Vertx.currentContext();
        Optional<String> key = BearerToken.parse(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (key.isEmpty()) {
            problem(routing, ProblemType.UNAUTHORIZED, "a bearer API key is required");
            return;
        }
        long declared = declaredLength(request);
        if (declared > maxBytes) {
            problem(routing, ProblemType.PAYLOAD_TOO_LARGE, "the body is " + declared + " bytes; at most " + maxBytes + " are accepted");
            return;
        }
        verifier.verify(key.get()).whenComplete((principal, error) -> context.runOnContext(v -> {
            if (error != null) {
                LOG.warnf("%s: API key check failed (%s)", PATH, error.getClass().getSimpleName());
                problem(routing, ProblemType.UNAVAILABLE, "cannot check credentials right now, retry later");
            } else if (principal.isEmpty()) {
                problem(routing, ProblemType.UNAUTHORIZED, "the API key is not valid");
            } else {
                authorized(routing, principal.get(), context);
            }
        }));
    }

    private void authorized(RoutingContext routing, ApiPrincipal principal, Context context) {
        Optional<Duration> wait = limiter.tryAcquire("key:" + principal.keyId());
        if (wait.isPresent()) {
            routing.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.get().toSeconds() + 1)));
            problem(routing, ProblemType.RATE_LIMITED, "too many requests from this caller, retry later");
            return;
        }
        if (!principal.hasAnyScope(Scopes.MESSAGES_SEND)) {
            problem(routing, ProblemType.FORBIDDEN, "the API key needs the scope " + Scopes.MESSAGES_SEND);
            return;
        }
        HttpServerRequest request = routing.request();
        String name = request.getParam("name");
        if (name != null && (name.isEmpty() || name.length() > 255 || name.contains("/") || name.contains("\\"))) {
            problem(routing, ProblemType.VALIDATION, "name must be a file name of 1 to 255 characters, without '/' or '\\'");
            return;
        }
        String contentType = Optional.ofNullable(request.getHeader(HttpHeaders.CONTENT_TYPE)).orElse("application/octet-stream");
        BodyPublisher body = new BodyPublisher(request, context, maxBytes, stallTimeout);
        uploads.upload(contentType, name, principal.apps(), body).whenComplete((uploaded, error) -> context.runOnContext(v -> {
            if (error == null) {
                send(routing.response().setStatusCode(201), "application/json", uploaded);
                return;
            }
            // What the body failed with, not the store's error: the S3 client wraps it.
            RuntimeException failure = body.failure().orElse(null);
            if (failure instanceof BodyPublisher.TooLarge) {
                problem(routing, ProblemType.PAYLOAD_TOO_LARGE, failure.getMessage() + "; at most " + maxBytes + " are accepted");
            } else if (failure instanceof BodyPublisher.Stalled stalled && stalled.waitingForClient()) {
                problem(routing, ProblemType.REQUEST_TIMEOUT, failure.getMessage());
            } else if (failure instanceof BodyPublisher.Stalled) {
                LOG.warnf("upload failed: %s", failure.getMessage());
                problem(routing, ProblemType.UNAVAILABLE, failure.getMessage() + "; retry later");
            } else {
                LOG.warnf(AttachmentStore.unwrap(error), "upload failed");
                problem(routing, ProblemType.UNAVAILABLE, "the body could not be stored, retry later");
            }
        }));
    }

    /** Answers with a problem document; a body not read to its end cannot be left on the connection, so it closes. */
    private void problem(RoutingContext routing, ProblemType type, String detail) {
        HttpServerResponse response = routing.response();
        if (!routing.request().isEnded()) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE).endHandler(v -> routing.request().connection().close());
        }
        if (type == ProblemType.UNAUTHORIZED) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"tether\"");
        }
        if (type == ProblemType.UNAVAILABLE) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "1"); // as every other 503 of the API
        }
        send(response.setStatusCode(type.status()), Problem.MEDIA_TYPE, Problem.of(type, detail, PATH));
    }

    private void send(HttpServerResponse response, String contentType, Object body) {
        try {
            response.putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            response.setStatusCode(500).end();
        }
    }

    private static long declaredLength(HttpServerRequest request) {
        try {
            String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
