package io.tether.registry.device.rest;

import io.tether.rest.scope.DeviceInPath;
import io.tether.contract.PushTokenKind;
import io.tether.registry.device.DeviceService;
import io.tether.registry.pushapp.PushApps;
import io.tether.rest.problem.Problem;
import io.tether.rest.problem.ProblemException;
import java.util.List;
import io.tether.rest.auth.DeviceAuthenticated;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A device's APNs token. Backends call it with an API key (devices:write); the device itself may call it
 * with HTTP Basic {@code <deviceId>:<MQTT password>}, for itself only. Every write sets
 * {@code pushTokenUpdatedAt}, which push-service compares with APNs' token-invalidation time.
 */
@Path("/v1/devices/{id}/push-token")
@Produces(MediaType.APPLICATION_JSON)
@DeviceAuthenticated
@RequiresScope(Scopes.DEVICES_WRITE)
@Tag(name = "devices")
@SecurityScheme(securitySchemeName = "deviceBasic", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "The device itself: its id and MQTT password")
@SecurityRequirementsSet(@SecurityRequirement(name = "apiKey"))
@SecurityRequirementsSet(@SecurityRequirement(name = "deviceBasic"))
@DeviceInPath
public class PushTokenResource {
    private final DeviceService devices;
    private final PushApps apps;

    @Inject
    public PushTokenResource(DeviceService devices, PushApps apps) {
        this.devices = devices;
        this.apps = apps;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the device's APNs token", description = "Scope devices:write, or the device's own "
            + "credentials. Body {\"token\": hex, \"environment\": \"sandbox\"|\"production\" (default)}.")
    public CompletionStage<Response> put(@PathParam("id") String id,
                                         @NotNull(message = "a JSON body is required") @Valid PushTokenRequest body) {
        return devices.find(id).thenCompose(found -> apps.refuseToken(found.orElseThrow(DeviceResource::notFound).appId(),
                PushTokenKind.ALERT, body.pushEnvironment().wire())).thenCompose(refusal -> {
                    if (refusal.isPresent()) {
                        throw ProblemException.validation("the push token cannot be set",
                                List.of(new Problem.FieldError("token", refusal.get())));
                    }
                    return devices.setPushToken(id, body.normalizedToken(), body.pushEnvironment());
                }).thenApply(PushTokenResource::answer);
    }

    @DELETE
    @Operation(summary = "Remove the device's APNs token", description = "Scope devices:write, or the device's own "
            + "credentials. The device is then not reached by push.")
    public CompletionStage<Response> delete(@PathParam("id") String id) {
        return devices.clearPushToken(id).thenApply(PushTokenResource::answer);
    }

    private static Response answer(boolean done) {
        if (!done) {
            throw DeviceResource.notFound();
        }
        return Response.noContent().build();
    }
}
