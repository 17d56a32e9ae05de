package io.tether.registry.presence;

import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.scope.DeviceInPath;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Presence for backends: what fanout settled for a device (after epochs, deaf-socket detection and dead gateways).
 * Changes as they happen are on the Kafka topic {@code tether.events} and in webhooks.
 */
@Path("/v1/devices/{id}/presence")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "presence")
@SecurityRequirement(name = "apiKey")
@RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE, Scopes.MESSAGES_SEND})
@DeviceInPath
public class PresenceResource {
    private final PresenceStore presence;

    @Inject
    public PresenceResource(PresenceStore presence) {
        this.presence = presence;
    }

    @GET
    @Operation(summary = "A device's presence", description = "Scope devices:read, devices:write or messages:send. "
            + "state LIVE, BACKGROUND, SUSPECT or OFFLINE; appState, since, lastSeen, gatewayId, epoch, receiving.")
    public CompletionStage<PresenceResponse> get(@PathParam("id") String id) {
        return presence.find(id).thenApply(found -> PresenceResponse.of(id,
                found.orElseThrow(() -> ProblemException.notFound("no such device")).presence()));
    }

}
