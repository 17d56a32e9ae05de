package io.tether.registry.presence;

import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.Problem;
import io.tether.rest.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The presence of many devices at once ({@link PresenceResource} for one). Changes as they happen are on the Kafka
 * topic {@code tether.events} and in webhooks.
 */
@Path("/v1/presence")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "presence")
@SecurityRequirement(name = "apiKey")
@RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE, Scopes.MESSAGES_SEND})
public class PresenceQueryResource {
    static final int MAX_DEVICES = 500;

    private final PresenceStore presence;
    private final CurrentCaller caller;

    @Inject
    public PresenceQueryResource(PresenceStore presence, CurrentCaller caller) {
        this.presence = presence;
        this.caller = caller;
    }

    /** Body of {@code POST /v1/presence/query}. */
    public record Query(List<String> deviceIds) {
    }

    /** Answer of {@code POST /v1/presence/query}: the devices found, and the ids that are not devices (or not the key's). */
    public record Page(List<PresenceResponse> items, List<String> unknown) {
    }

    @POST
    @Path("query")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The presence of many devices", description = "Scope devices:read, devices:write or "
            + "messages:send. Body {\"deviceIds\": [...]}, 1 to " + MAX_DEVICES + " ids; ids that are no device of the key's "
            + "apps are listed under unknown.")
    public CompletionStage<Page> query(Query body) {
        if (body == null || body.deviceIds() == null || body.deviceIds().isEmpty() || body.deviceIds().size() > MAX_DEVICES) {
            throw ProblemException.validation("the query is not valid",
                    List.of(new Problem.FieldError("deviceIds", "must list 1 to " + MAX_DEVICES + " device ids")));
        }
        List<String> ids = body.deviceIds().stream().distinct().toList();
        ApiPrincipal principal = caller.principal().orElseThrow();
        return presence.findAll(ids).thenApply(found -> {
            List<PresenceResponse> items = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                var device = found.get(i);
                if (device.isPresent() && principal.mayReach(device.get().appId())) {
                    items.add(PresenceResponse.of(ids.get(i), device.get().presence()));
                } else {
                    unknown.add(ids.get(i));
                }
            }
            return new Page(items, unknown);
        });
    }
}
