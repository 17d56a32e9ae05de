package io.tether.registry.user.rest;

import io.tether.registry.device.DeviceService;
import io.tether.registry.device.rest.DevicePageResponse;
import io.tether.registry.device.rest.Fields;
import io.tether.registry.device.rest.ListParameters;
import io.tether.registry.grant.GrantStore;
import io.tether.registry.grant.rest.GrantBody;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.scope.AppScopes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v1/users/{userId}}. Users are not registered on their own: a user exists through its devices'
 * {@code userId}, so a user without devices simply has none (200, empty). A user id that cannot exist is 404.
 */
@Path("/v1/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
@SecurityRequirement(name = "apiKey")
public class UserResource {
    private final DeviceService devices;
    private final GrantStore grants;
    private final CurrentCaller caller;

    @Inject
    public UserResource(DeviceService devices, GrantStore grants, CurrentCaller caller) {
        this.devices = devices;
        this.grants = grants;
        this.caller = caller;
    }

    @GET
    @Path("devices")
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE})
    @Operation(summary = "The user's devices", description = "Scope devices:read or devices:write. Paged like GET /v1/devices.")
    public CompletionStage<DevicePageResponse> devices(@PathParam("userId") String userId,
                                                       @QueryParam("limit") String limit,
                                                       @QueryParam("cursor") String cursor) {
        requireUserId(userId);
        java.util.Set<String> apps = caller.principal().map(ApiPrincipal::apps).orElse(java.util.Set.of());
        return devices.list(ListParameters.toQuery(limit, cursor, userId, null, null).within(apps)).thenApply(DevicePageResponse::of);
    }

    @PUT
    @Path("grants")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.DEVICES_WRITE)
    @Operation(summary = "Replace the topic grants of all the user's devices", description = "Scope devices:write. "
            + "At most 32; an empty array removes all. Takes effect when a device next connects.")
    public CompletionStage<List<GrantBody>> putGrants(@PathParam("userId") String userId, List<GrantBody> body) {
        var parsed = GrantBody.toGrants(body);
        requireUserId(userId);
        requireEveryApp();
        return grants.replaceForUser(userId, parsed).thenApply(done -> parsed.stream()
                .map(GrantBody::of).sorted(Comparator.comparing(GrantBody::filter)).toList());
    }

    @GET
    @Path("grants")
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE})
    @Operation(summary = "The user's topic grants", description = "Scope devices:read or devices:write.")
    public CompletionStage<List<GrantBody>> getGrants(@PathParam("userId") String userId) {
        requireUserId(userId);
        return grants.forUser(userId).thenApply(found -> found.stream().map(GrantBody::of).toList());
    }

    @DELETE
    @Path("grants")
    @RequiresScope(Scopes.DEVICES_WRITE)
    @Operation(summary = "Remove all of the user's topic grants", description = "Scope devices:write.")
    public CompletionStage<Response> deleteGrants(@PathParam("userId") String userId) {
        requireUserId(userId);
        requireEveryApp();
        return grants.replaceForUser(userId, List.of()).thenApply(done -> Response.noContent().build());
    }

    /** A user's grants reach the user's devices of every app, so only a key of every app may change them. */
    private void requireEveryApp() {
        AppScopes.requireEveryApp(caller, "changing a user's grants (they apply to the user's devices of every app)");
    }

    private static void requireUserId(String userId) {
        if (!Fields.isUserId(userId)) {
            throw ProblemException.notFound("no such user");
        }
    }
}
