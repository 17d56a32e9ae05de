package io.tether.registry.device.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.device.DeviceChanges;
import io.tether.registry.device.DeviceService;
import io.tether.registry.device.NewDevice;
import io.tether.registry.grant.GrantStore;
import io.tether.contract.PushTokenKind;
import io.tether.registry.quota.DeviceQuota;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.scope.AppScopes;
import io.tether.rest.scope.DeviceInPath;
import io.tether.registry.pushapp.PushApps;
import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code /v1/devices}. Every method returns a CompletionStage, so Quarkus REST runs it on the event
 * loop: nothing here may block.
 */
@Path("/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "devices")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Backend API key, with scopes messages:send, devices:read, devices:write or admin")
@SecurityRequirement(name = "apiKey")
@DeviceInPath
public class DeviceResource {
    private static final Logger LOG = Logger.getLogger(DeviceResource.class);
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final DeviceService devices;
    private final PushApps apps;
    private final CurrentCaller caller;
    private final DeviceQuota quota;
    private final GrantStore grants;

    @Inject
    public DeviceResource(DeviceService devices, PushApps apps, CurrentCaller caller, DeviceQuota quota, GrantStore grants) {
        this.devices = devices;
        this.apps = apps;
        this.caller = caller;
        this.quota = quota;
        this.grants = grants;
    }

    @POST
    @RequiresScope(Scopes.DEVICES_WRITE)
    @Operation(summary = "Register a device", description = "Scope devices:write. Answers 201 with the device's MQTT "
            + "credentials. The password is shown only here: the registry keeps its SHA-256 alone.")
    public CompletionStage<Response> create(@NotNull(message = "a JSON body is required") @Valid CreateDeviceRequest body) {
        requireReachableApp(body.appId());
        NewDevice device = body.toNewDevice();
        java.util.Set<String> keyApps = keyApps(); // the request's caller: read here, not in a Redis callback
        return requireApp(body.appId())
                .thenCompose(v -> device.pushToken() == null ? done() : requireTokenFits(body.appId(), device.pushEnvironment().wire()))
                .thenCompose(v -> requireUserOpenToKey(body.userId(), keyApps))
                .thenCompose(v -> quota.check(body.appId()))
                .thenCompose(v -> devices.register(device)).thenApply(registered -> Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/v1/devices/" + registered.device().id())
                .header(HttpHeaders.CACHE_CONTROL, "no-store") // carries a password
                .entity(DeviceResponse.created(registered))
                .build());
    }

    @GET
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE})
    @Operation(summary = "List devices", description = "Scope devices:read or devices:write. In id order, a page "
            + "at a time: pass the answer's next as cursor for the following page. Filters combine.")
    public CompletionStage<DevicePageResponse> list(
            @Parameter(description = "devices per page, 1 to 500, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next of the previous page") @QueryParam("cursor") String cursor,
            @QueryParam("userId") String userId,
            @QueryParam("platform") String platform,
            @QueryParam("appId") String appId) {
        return devices.list(ListParameters.toQuery(limit, cursor, userId, platform, appId).within(keyApps()))
                .thenApply(DevicePageResponse::of);
    }

    @GET
    @Path("{id}")
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE})
    @Operation(summary = "Look up a device", description = "Scope devices:read or devices:write.")
    public CompletionStage<DeviceResponse> get(@PathParam("id") String id) {
        return devices.find(id).thenApply(device -> device.map(DeviceResponse::of).orElseThrow(DeviceResource::notFound));
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
    @RequiresScope(Scopes.DEVICES_WRITE)
    @Operation(summary = "Change a device's app, platform or user", description = "Scope devices:write. A JSON merge "
            + "patch of appId, platform and userId (null removes the user); the user and app indexes follow "
            + "atomically. 409 if the device kept changing concurrently.")
    public CompletionStage<DeviceResponse> update(@PathParam("id") String id, JsonNode body) {
        DeviceChanges changes = DevicePatch.parse(body);
        String newApp = body != null && body.path("appId").isTextual() ? body.path("appId").asText() : null;
        String newUser = body != null && body.path("userId").isTextual() ? body.path("userId").asText() : null;
        if (newApp != null) {
            requireReachableApp(newApp);
        }
        java.util.Set<String> keyApps = keyApps();
        return (newApp != null ? requireApp(newApp) : done())
                .thenCompose(v -> requireUserOpenToKey(newUser, keyApps))
                .thenCompose(v -> newApp == null ? done() : devices.find(id).thenCompose(current -> current.isEmpty()
                        || current.get().appId().equals(newApp) ? done() : quota.check(newApp)))
                .thenCompose(v -> devices.update(id, changes))
                .thenApply(device -> device.map(DeviceResponse::of).orElseThrow(DeviceResource::notFound));
    }

    @DELETE
    @Path("{id}")
    @RequiresScope(Scopes.DEVICES_WRITE)
    @Operation(summary = "Remove a device", description = "Scope devices:write. Removes the record, its grants and "
            + "its index entries together, and disconnects the device.")
    public CompletionStage<Response> delete(@PathParam("id") String id) {
        return devices.delete(id).thenApply(deleted -> {
            if (!deleted) {
                throw notFound();
            }
            LOG.infof("device %s deleted", id);
            return Response.noContent().build();
        });
    }

    /** A key limited to some apps registers and moves devices only into them; other apps do not exist for it. */
    private void requireReachableApp(String appId) {
        AppScopes.requireApp(caller, appId);
    }

    /**
     * A key limited to some apps may not add a device to a user who has topic grants: the device would take grants
     * only a key of every app may give (a user's grants reach the user's devices of every app). 403, before anything
     * is written; a key of every app attaches such a user's devices.
     */
    private CompletionStage<Void> requireUserOpenToKey(String userId, java.util.Set<String> keyApps) {
        if (userId == null || keyApps.isEmpty()) {
            return done();
        }
        return grants.forUser(userId).thenAccept(found -> {
            if (!found.isEmpty()) {
                throw new ProblemException(ProblemType.FORBIDDEN,
                        "adding a device to a user who has topic grants needs a key that is not limited to apps");
            }
        });
    }

    /** 400 naming pushToken when the app's credentials do not cover the token's environment. */
    private CompletionStage<Void> requireTokenFits(String appId, String environment) {
        return apps.refuseToken(appId, PushTokenKind.ALERT, environment).thenAccept(refusal -> {
            if (refusal.isPresent()) {
                throw ProblemException.validation("the push token cannot be set",
                        List.of(new Problem.FieldError("pushToken", refusal.get())));
            }
        });
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private java.util.Set<String> keyApps() {
        return caller.principal().map(ApiPrincipal::apps).orElse(java.util.Set.of());
    }

    /** 400 naming appId when push-service holds no APNs credentials for the app (see {@link PushApps}). */
    private CompletionStage<Void> requireApp(String appId) {
        return apps.refuseApp(appId, keyApps()).thenApply(refusal -> {
            if (refusal.isPresent()) {
                throw ProblemException.validation("the device's app cannot be reached by push",
                        List.of(new Problem.FieldError("appId", refusal.get())));
            }
            return null;
        });
    }

    static ProblemException notFound() {
        // The id is not echoed: it arrived in the path and may be anything.
        return ProblemException.notFound("no such device");
    }
}
