package io.tether.registry.apikey.rest;

import io.tether.registry.apikey.ApiKeyService;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** {@code /v1/api-keys}: backend API keys, for admins. */
@Path("/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@RequiresScope(Scopes.ADMIN)
@Tag(name = "api-keys")
@SecurityRequirement(name = "apiKey")
public class ApiKeyResource {
    private static final Logger LOG = Logger.getLogger(ApiKeyResource.class);

    private final ApiKeyService keys;
    private final CurrentCaller caller;

    @Inject
    public ApiKeyResource(ApiKeyService keys, CurrentCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "Scope admin, with a key of every app. Answers 201 with the "
            + "key, shown only here (the registry keeps its SHA-256 alone). Names are unique: 409 for a name in use. "
            + "apps limits the key to those apps: it neither sees nor reaches other apps' devices (404).")
    public CompletionStage<Response> create(@NotNull(message = "a JSON body is required") @Valid CreateApiKeyRequest body) {
        String by = callerName();
        requireEveryApp();
        Set<String> apps = body.apps() == null ? Set.of() : Set.copyOf(body.apps());
        return keys.create(body.name(), Set.copyOf(body.scopes()), apps).thenApply(issued -> {
            LOG.infof("API key %s (%s) with scopes %s%s created by %s", issued.apiKey().id(), issued.apiKey().name(),
                    issued.apiKey().scopes(), apps.isEmpty() ? "" : " for apps " + apps, by);
            return Response.status(Response.Status.CREATED)
                    .header(HttpHeaders.LOCATION, "/v1/api-keys/" + issued.apiKey().id())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store") // carries the key
                    .entity(ApiKeyResponse.created(issued))
                    .build();
        });
    }

    @GET
    @Operation(summary = "List API keys", description = "Scope admin. Ids, names, scopes and creation times; never the keys.")
    public CompletionStage<ApiKeyResponse.Page> list() {
        requireEveryApp();
        return keys.list().thenApply(all -> new ApiKeyResponse.Page(all.stream().map(ApiKeyResponse::of).toList()));
    }

    @DELETE
    @Path("{keyId}")
    @Operation(summary = "Delete an API key", description = "Scope admin. The key stops working at once on this "
            + "registry and within tether.api.key-cache-ttl (5 s by default) everywhere else.")
    public CompletionStage<Response> delete(@PathParam("keyId") String keyId) {
        String by = callerName();
        requireEveryApp();
        return keys.delete(keyId).thenApply(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("no such API key");
            }
            LOG.infof("API key %s deleted by %s", keyId, by);
            return Response.noContent().build();
        });
    }

    /** Keys are managed with a key of every app: a key limited to some apps could otherwise mint one without limits. */
    private void requireEveryApp() {
        AppScopes.requireEveryApp(caller, "managing API keys");
    }

    private String callerName() {
        return caller.principal().map(principal -> principal.keyId()).orElse("unknown");
    }
}
