package io.tether.registry.device.rest;

import io.tether.rest.scope.DeviceInPath;
import io.tether.registry.device.DeviceService;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * A device's MQTT credentials. Both operations raise the device's credential version and publish the device id on
 * {@code RedisKeys.credentialChanges()} in the same script that writes, so every gateway closes the device's
 * connections at once (and at its next check if it missed the message).
 */
@Path("/v1/devices/{id}/credentials")
@Produces(MediaType.APPLICATION_JSON)
@RequiresScope(Scopes.DEVICES_WRITE)
@Tag(name = "devices")
@SecurityRequirement(name = "apiKey")
@DeviceInPath
public class CredentialsResource {
    private static final Logger LOG = Logger.getLogger(CredentialsResource.class);

    private final DeviceService devices;
    private final CurrentCaller caller;

    @Inject
    public CredentialsResource(DeviceService devices, CurrentCaller caller) {
        this.devices = devices;
        this.caller = caller;
    }

    /** Answer of a rotation: the new password, shown only here. */
    public record RotatedCredentials(String id, DeviceResponse.MqttCredentials mqtt) {
        @Override
        public String toString() {
            return "RotatedCredentials[id=" + id + ", mqtt=" + mqtt + "]";
        }
    }

    @POST
    @Path("rotate")
    @Operation(summary = "Issue a new MQTT password", description = "Scope devices:write. The old password stops "
            + "working at once and connected sessions are dropped; the new one is shown only in this answer. "
            + "Also ends a revocation.")
    public CompletionStage<Response> rotate(@PathParam("id") String id) {
        String by = callerName();
        return devices.rotateCredentials(id).thenApply(password -> {
            String secret = password.orElseThrow(DeviceResource::notFound);
            LOG.infof("credentials of device %s rotated by %s", id, by);
            return Response.ok(new RotatedCredentials(id, DeviceResponse.MqttCredentials.of(id, secret)))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .build();
        });
    }

    @POST
    @Path("revoke")
    @Operation(summary = "Revoke the MQTT credentials", description = "Scope devices:write. Neither a password nor a "
            + "client certificate authenticates the device afterwards, and its connected sessions are dropped on every "
            + "gateway, until the credentials are rotated.")
    public CompletionStage<Response> revoke(@PathParam("id") String id) {
        String by = callerName();
        return devices.revokeCredentials(id).thenApply(done -> {
            if (!done) {
                throw DeviceResource.notFound();
            }
            LOG.infof("credentials of device %s revoked by %s", id, by);
            return Response.noContent().build();
        });
    }

    /** Read on the request's thread: the request scope is not active where the store completes. */
    private String callerName() {
        return caller.principal().map(principal -> "API key " + principal.keyId()).orElse("unknown");
    }
}
