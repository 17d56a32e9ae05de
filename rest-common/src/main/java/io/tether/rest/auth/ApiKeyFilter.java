package io.tether.rest.auth;

import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import io.tether.rest.problem.Problem;
import io.tether.rest.problem.ProblemResponses;
import io.tether.rest.problem.ProblemType;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires a valid backend API key on every {@code /v1/} request except {@link DeviceAuthenticated}
 * resources. Runs after matching (it needs the resource to see the annotation), but before the body is
 * read, so an unauthenticated caller learns nothing from validation errors.
 */
public class ApiKeyFilter {
    static final String CHALLENGE = "Bearer realm=\"tether\"";
    static final String INVALID_TOKEN_CHALLENGE = CHALLENGE + ", error=\"invalid_token\"";

    private final ApiKeyVerifier verifier;
    private final CurrentCaller caller;

    @Inject
    public ApiKeyFilter(ApiKeyVerifier verifier, CurrentCaller caller) {
        this.verifier = verifier;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (!isApiRequest(request, resource) || isDeviceAuthenticated(resource)) {
            return Uni.createFrom().nullItem();
        }
        Optional<String> key = BearerToken.parse(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key.isEmpty()) {
            return Uni.createFrom().item(unauthorized(CHALLENGE, "a bearer API key is required", path));
        }
        // The verifier may complete on another thread, where the request-scoped proxy cannot be resolved.
        CurrentCaller target = ClientProxy.unwrap(caller);
        return Uni.createFrom().completionStage(() -> verifier.verify(key.get()))
                .map(principal -> {
                    if (principal.isEmpty()) {
                        return unauthorized(INVALID_TOKEN_CHALLENGE, "the API key is not valid", path);
                    }
                    target.set(principal.get());
                    return null; // continue with the request
                });
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

    private static boolean isDeviceAuthenticated(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return false;
        }
        return resource.getResourceMethod().isAnnotationPresent(DeviceAuthenticated.class)
                || resource.getResourceClass().isAnnotationPresent(DeviceAuthenticated.class);
    }

    private static Response unauthorized(String challenge, String detail, String path) {
        Problem problem = Problem.of(ProblemType.UNAUTHORIZED, detail, path);
        return Response.fromResponse(ProblemResponses.of(problem)).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }
}
