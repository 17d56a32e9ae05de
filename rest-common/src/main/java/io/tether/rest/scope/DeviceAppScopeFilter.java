package io.tether.rest.scope;

import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.problem.ProblemResponses;
import io.tether.rest.problem.ProblemType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Keeps a key that is limited to some apps away from other apps' devices on every {@link DeviceInPath} endpoint: the
 * device's app is looked up once here, and a device of another app is answered exactly like one that does not exist
 * (404 "no such device"), so the key learns nothing. Runs after {@code ApiKeyFilter} (a higher priority number);
 * devices calling with their own credentials and keys of every app pass untouched.
 */
public class DeviceAppScopeFilter {
    private final CurrentCaller caller;
    private final Instance<DeviceApps> apps;

    @Inject
    public DeviceAppScopeFilter(CurrentCaller caller, Instance<DeviceApps> apps) {
        this.caller = caller;
        this.apps = apps;
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> check(ContainerRequestContext request, ResourceInfo resource) {
        Optional<String> param = pathParam(resource);
        Optional<ApiPrincipal> principal = ClientProxy.unwrap(caller).principal();
        if (param.isEmpty() || principal.isEmpty() || !principal.get().isAppScoped() || !apps.isResolvable()) {
            return Uni.createFrom().nullItem();
        }
        String deviceId = request.getUriInfo().getPathParameters().getFirst(param.get());
        String path = request.getUriInfo().getRequestUri().getRawPath();
        return Uni.createFrom().completionStage(() -> apps.get().appOf(deviceId))
                .onItemOrFailure().transform((app, failure) -> {
                    if (failure != null) {
                        return Response.fromResponse(ProblemResponses.of(ProblemType.UNAVAILABLE,
                                "cannot check the device right now, retry later", path)).header(HttpHeaders.RETRY_AFTER, "1").build();
                    }
                    if (app.isPresent() && !principal.get().mayReach(app.get())) {
                        return ProblemResponses.of(ProblemType.NOT_FOUND, "no such device", path);
                    }
                    return null; // the endpoint answers for devices that exist in the key's apps, and for unknown ones
                });
    }

    private static Optional<String> pathParam(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null || resource.getResourceClass() == null) {
            return Optional.empty();
        }
        DeviceInPath marked = resource.getResourceMethod().getAnnotation(DeviceInPath.class);
        if (marked == null) {
            marked = resource.getResourceClass().getAnnotation(DeviceInPath.class);
        }
        return Optional.ofNullable(marked).map(DeviceInPath::value);
    }
}
