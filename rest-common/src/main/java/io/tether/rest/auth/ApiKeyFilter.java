package io.tether.rest.auth;

import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import io.tether.contract.DeviceId;
import io.tether.contract.SourceAddress;
import io.tether.rest.limit.FailedAuthLimiter;
import io.tether.rest.limit.RateLimiter;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemResponses;
import io.tether.runtime.failure.ThrottledLog;
import io.tether.contract.problem.ProblemType;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards every {@code /v1/} request, in this order: whether its source address failed to authenticate too often
 * ({@link FailedAuthLimiter}: 429 with {@code Retry-After}, its credentials unread), who is calling (a bearer API key,
 * or on {@link DeviceAuthenticated} endpoints a device with HTTP Basic; 401 otherwise, counted against the address),
 * the caller's request rate (429 with {@code Retry-After}), and the key's scopes ({@link RequiresScope}; 403). Runs after matching (it
 * needs the resource's annotations) but before the body is read, so an unauthenticated caller learns nothing
 * from validation errors. Presented secrets never reach a log or an answer.
 */
public class ApiKeyFilter {
    static final String CHALLENGE = "Bearer realm=\"tether\"";
    static final String INVALID_TOKEN_CHALLENGE = CHALLENGE + ", error=\"invalid_token\"";
    static final String DEVICE_CHALLENGE = "Basic realm=\"tether-device\", charset=\"UTF-8\"";
    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    /** While Redis is down every request fails its key check: one line per interval (the 503s are in http_server_requests). */
    private static final ThrottledLog UNAVAILABLE = ThrottledLog.warnings(LOG, Duration.ofSeconds(10));

    private final ApiKeyVerifier verifier;
    private final DeviceCredentialVerifier devices;
    private final CurrentCaller caller;
    private final RateLimiter limiter;
    private final FailedAuthLimiter failures;

    @Inject
    public ApiKeyFilter(ApiKeyVerifier verifier, DeviceCredentialVerifier devices, CurrentCaller caller,
                        RateLimiter limiter, FailedAuthLimiter failures) {
        this.verifier = verifier;
        this.devices = devices;
        this.caller = caller;
        this.limiter = limiter;
        this.failures = failures;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        if (!isApiRequest(request, resource)) {
            return Uni.createFrom().nullItem();
        }
        String path = request.getUriInfo().getRequestUri().getRawPath();
        String source = SourceAddress.of(http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        Optional<Duration> wait = failures.waiting(source);
        if (wait.isPresent()) {
            return Uni.createFrom().item(tooMany("too many failed authentications from this address, retry later", wait.get(), path));
        }
        AccessRule rule = AccessRule.of(resource);
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        // The verifiers may complete on another thread, where the request-scoped proxy cannot be resolved.
        CurrentCaller target = ClientProxy.unwrap(caller);
        if (rule.devicesMayCall() && BasicCredentials.isBasic(authorization)) {
            String about = request.getUriInfo().getPathParameters().getFirst(rule.devicePathParam());
            return authenticateDevice(BasicCredentials.parse(authorization), about, rule, path, target, source);
        }
        Optional<String> key = BearerToken.parse(authorization);
        if (key.isEmpty()) {
            return Uni.createFrom().item(unauthorized(source, rule, CHALLENGE, "a bearer API key is required", path));
        }
        return Uni.createFrom().completionStage(() -> verifier.verify(key.get()))
                .onItemOrFailure().transform((principal, failure) -> {
                    if (failure != null) {
                        return unavailable("API key", failure, path);
                    }
                    if (principal.isEmpty()) {
                        return unauthorized(source, rule, INVALID_TOKEN_CHALLENGE, "the API key is not valid", path);
                    }
                    Optional<Response> limited = rateLimit("key:" + principal.get().keyId(), path);
                    if (limited.isPresent()) {
                        return limited.get();
                    }
                    if (!principal.get().hasAnyScope(rule.scopes())) {
                        return ProblemResponses.of(ProblemType.FORBIDDEN,
                                "the API key needs the scope " + rule.describeScopes(), path);
                    }
                    target.set(principal.get());
                    return null; // continue with the request
                });
    }

    private Uni<Response> authenticateDevice(Optional<BasicCredentials> credentials, String about, AccessRule rule,
                                             String path, CurrentCaller target, String source) {
        if (credentials.isEmpty() || !DeviceId.isValid(credentials.get().user())) {
            return Uni.createFrom().item(unauthorized(source, rule, null, "the device credentials are not valid", path));
        }
        String deviceId = credentials.get().user();
        return Uni.createFrom().completionStage(() -> devices.verify(deviceId, credentials.get().password()))
                .onItemOrFailure().transform((valid, failure) -> {
                    if (failure != null) {
                        return unavailable("device credential", failure, path);
                    }
                    if (!Boolean.TRUE.equals(valid)) {
                        return unauthorized(source, rule, null, "the device credentials are not valid", path);
                    }
                    if (!deviceId.equals(about)) {
                        return ProblemResponses.of(ProblemType.FORBIDDEN, "a device may only act on itself", path);
                    }
                    Optional<Response> limited = rateLimit("device:" + deviceId, path);
                    if (limited.isPresent()) {
                        return limited.get();
                    }
                    target.setDevice(deviceId);
                    return null;
                });
    }

    private Optional<Response> rateLimit(String callerKey, String path) {
        return limiter.tryAcquire(callerKey).map(wait -> tooMany("too many requests from this caller, retry later", wait, path));
    }

    private static Response tooMany(String detail, Duration wait, String path) {
        return Response.fromResponse(ProblemResponses.of(ProblemType.RATE_LIMITED, detail, path))
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(wait))
                .build();
    }

    static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** Redis down or slow: worth retrying, not the caller's fault. The failure may not name the secret; only its type is logged. */
    private static Response unavailable(String what, Throwable failure, String path) {
        UNAVAILABLE.warnf("%s: %s check failed (%s)", path, what, failure.getClass().getSimpleName());
        return Response.fromResponse(ProblemResponses.of(ProblemType.UNAVAILABLE,
                "cannot check credentials right now, retry later", path)).header(HttpHeaders.RETRY_AFTER, "1").build();
    }

    /**
     * Belt and braces: the raw path, the normalised path the router matched, and the matched resource's
     * own {@code @Path} must all be outside {@code /v1} for a request to go through unauthenticated.
     */
    private static boolean isApiRequest(ContainerRequestContext request, ResourceInfo resource) {
        if (ApiPaths.requiresApiKey(request.getUriInfo().getRequestUri().getRawPath())
                || ApiPaths.requiresApiKey(request.getUriInfo().getPath())) {
            return true;
        }
        if (resource == null || resource.getResourceClass() == null) {
            return false;
        }
        Path classPath = resource.getResourceClass().getAnnotation(Path.class);
        return classPath != null && ApiPaths.requiresApiKey(classPath.value());
    }

    /** 401 with the challenges the endpoint accepts: a bearer key, and on device endpoints Basic too; counted against the source. */
    private Response unauthorized(String source, AccessRule rule, String bearerChallenge, String detail, String path) {
        failures.failed(source);
        Problem problem = Problem.of(ProblemType.UNAUTHORIZED, detail, path);
        Response.ResponseBuilder answer = Response.fromResponse(ProblemResponses.of(problem))
                .header(HttpHeaders.WWW_AUTHENTICATE, bearerChallenge == null ? CHALLENGE : bearerChallenge);
        if (rule.devicesMayCall()) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, DEVICE_CHALLENGE);
        }
        return answer.build();
    }
}
