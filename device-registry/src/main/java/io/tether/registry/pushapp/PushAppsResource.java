package io.tether.registry.pushapp;

import io.tether.contract.PushApp;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /v1/apps}: the apps push-service can reach devices of, with their topics, environments and push types. */
@Path("/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "apps")
@SecurityRequirement(name = "apiKey")
public class PushAppsResource {
    private final PushApps apps;
    private final CurrentCaller caller;

    @Inject
    public PushAppsResource(PushApps apps, CurrentCaller caller) {
        this.apps = apps;
        this.caller = caller;
    }

    /** The answer: {@code {"items": [...]}}. */
    public record AppList(List<PushApp> items) {
    }

    @GET
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE})
    @Operation(summary = "Apps with APNs credentials", description = "Scope devices:read or devices:write. As push-service "
            + "published them at its last start; an app id * stands for every bundle id (a local APNs). A key limited to "
            + "some apps sees only those (and *).")
    public CompletionStage<AppList> list() {
        // Other apps do not exist for a key limited to some apps, as everywhere else (AppScopes).
        var principal = caller.principal();
        return apps.all().thenApply(all -> new AppList(all.stream()
                .filter(app -> PushApp.ANY.equals(app.appId()) || principal.map(p -> p.mayReach(app.appId())).orElse(true))
                .toList()));
    }
}
