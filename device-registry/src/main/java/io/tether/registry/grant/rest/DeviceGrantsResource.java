package io.tether.registry.grant.rest;

import io.tether.rest.scope.DeviceInPath;
import io.tether.contract.DeviceId;
import io.tether.registry.grant.GrantStore;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Topics one device may use beyond its own {@code devices/<id>/#}. Gateways read them when the device connects,
 * together with its user's grants.
 */
@Path("/v1/devices/{id}/grants")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "grants")
@SecurityRequirement(name = "apiKey")
@DeviceInPath
public class DeviceGrantsResource {
    private final GrantStore grants;

    @Inject
    public DeviceGrantsResource(GrantStore grants) {
        this.grants = grants;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.DEVICES_WRITE)
    @Operation(summary = "Replace the device's topic grants", description = "Scope devices:write. At most 32; an "
            + "empty array removes all. Takes effect when the device next connects.")
    public CompletionStage<List<GrantBody>> put(@PathParam("id") String id, List<GrantBody> body) {
        var parsed = GrantBody.toGrants(body);
        if (!DeviceId.isValid(id)) {
            throw notFound();
        }
        return grants.replaceForDevice(id, parsed).thenApply(done -> {
            if (!done) {
                throw notFound();
            }
            return parsed.stream().map(GrantBody::of).sorted(Comparator.comparing(GrantBody::filter)).toList();
        });
    }

    @GET
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE})
    @Operation(summary = "The device's own topic grants", description = "Scope devices:read or devices:write. "
            + "Without its user's grants.")
    public CompletionStage<List<GrantBody>> get(@PathParam("id") String id) {
        if (!DeviceId.isValid(id)) {
            return CompletableFuture.failedFuture(notFound());
        }
        return grants.forDevice(id).thenApply(found -> found.orElseThrow(DeviceGrantsResource::notFound)
                .stream().map(GrantBody::of).toList());
    }

    @DELETE
    @RequiresScope(Scopes.DEVICES_WRITE)
    @Operation(summary = "Remove all of the device's topic grants", description = "Scope devices:write.")
    public CompletionStage<Response> delete(@PathParam("id") String id) {
        if (!DeviceId.isValid(id)) {
            return CompletableFuture.failedFuture(notFound());
        }
        return grants.replaceForDevice(id, List.of()).thenApply(done -> {
            if (!done) {
                throw notFound();
            }
            return Response.noContent().build();
        });
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("no such device");
    }
}
