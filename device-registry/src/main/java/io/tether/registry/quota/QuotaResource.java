package io.tether.registry.quota;

import io.tether.registry.device.rest.Fields;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.scope.AppScopes;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v1/quotas/{appId}}: an app's quotas, set by admins; fanout and the registry enforce them. */
@Path("/v1/quotas/{appId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "quotas")
@SecurityRequirement(name = "apiKey")
public class QuotaResource {
    private final QuotaStore quotas;
    private final CurrentCaller caller;

    @Inject
    public QuotaResource(QuotaStore quotas, CurrentCaller caller) {
        this.quotas = quotas;
        this.caller = caller;
    }

    @GET
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE, Scopes.MESSAGES_SEND})
    @Operation(summary = "An app's quotas", description = "Scope devices:read, devices:write or messages:send; a key "
            + "limited to some apps sees only theirs (404 for others).")
    public CompletionStage<AppQuota> get(@PathParam("appId") String appId) {
        requireApp(appId);
        AppScopes.requireApp(caller, appId);
        return quotas.get(appId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.ADMIN)
    @Operation(summary = "Set an app's quotas", description = "Scope admin, with a key of every app. Replaces every "
            + "limit: messagesPerSecond and messagesPerDay (fanout answers 429 with Retry-After beyond them), devices "
            + "(registration answers 429 beyond it); a limit left out is none.")
    public CompletionStage<AppQuota> put(@PathParam("appId") String appId, @NotNull(message = "a JSON body is required") @Valid AppQuota body) {
        requireApp(appId);
        requireEveryApp();
        return quotas.put(appId, body).thenApply(v -> body);
    }

    @DELETE
    @RequiresScope(Scopes.ADMIN)
    @Operation(summary = "Remove an app's quotas", description = "Scope admin, with a key of every app.")
    public CompletionStage<Response> delete(@PathParam("appId") String appId) {
        requireApp(appId);
        requireEveryApp();
        return quotas.put(appId, new AppQuota(null, null, null)).thenApply(v -> Response.noContent().build());
    }

    private static void requireApp(String appId) {
        if (!Fields.isAppId(appId)) {
            throw ProblemException.notFound("no such app");
        }
    }

    /** A team's own key must not raise its own quota. */
    private void requireEveryApp() {
        AppScopes.requireEveryApp(caller, "setting quotas");
    }
}
