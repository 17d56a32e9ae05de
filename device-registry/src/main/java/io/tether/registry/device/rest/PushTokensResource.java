package io.tether.registry.device.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.contract.PushTokenKind;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.StoredPushToken;
import io.tether.registry.device.DeviceService;
import io.tether.registry.device.PushTokens;
import io.tether.registry.pushapp.PushApps;
import io.tether.rest.auth.DeviceAuthenticated;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.scope.DeviceInPath;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A device's tokens of every kind: the PushKit VoIP token, ActivityKit's push-to-start token per Live Activity
 * type and update token per running activity (the standard token stays at {@code /push-token}). Backends call it
 * with devices:write; the device itself with HTTP Basic, as for {@code /push-token}. Token values never come back.
 */
@Path("/v1/devices/{id}/push-tokens")
@Produces(MediaType.APPLICATION_JSON)
@DeviceAuthenticated
@RequiresScope(Scopes.DEVICES_WRITE)
@Tag(name = "devices")
// Either credential, as for /push-token (whose class declares the deviceBasic scheme).
@SecurityRequirementsSet(@SecurityRequirement(name = "apiKey"))
@SecurityRequirementsSet(@SecurityRequirement(name = "deviceBasic"))
@DeviceInPath
public class PushTokensResource {
    private final DeviceService devices;
    private final PushTokens tokens;
    private final PushApps apps;

    @Inject
    public PushTokensResource(DeviceService devices, PushTokens tokens, PushApps apps) {
        this.devices = devices;
        this.tokens = tokens;
        this.apps = apps;
    }

    /** One token as listed: never the token itself. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenInfo(String environment, String updatedAt, String activityType) {
        static TokenInfo of(StoredPushToken stored) {
            return new TokenInfo(stored.environment(), Instant.ofEpochMilli(stored.updatedAt()).toString(), stored.activityType());
        }
    }

    /** The answer of GET: which tokens the device has, by kind. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TokenList(TokenInfo alert, TokenInfo voip, Map<String, TokenInfo> pushToStart, Map<String, TokenInfo> liveActivities) {
    }

    @GET
    @RequiresScope({Scopes.DEVICES_READ, Scopes.DEVICES_WRITE})
    @Operation(summary = "The device's push tokens by kind", description = "Scope devices:read or devices:write, or the device "
            + "itself. Environments and update times; never the tokens.")
    public CompletionStage<TokenList> list(@PathParam("id") String id) {
        if (!io.tether.contract.DeviceId.isValid(id)) {
            throw DeviceResource.notFound();
        }
        return tokens.list(id).thenApply(found -> {
            Map<PushTokenSlot, StoredPushToken> all = found.orElseThrow(DeviceResource::notFound);
            Map<String, TokenInfo> starts = new LinkedHashMap<>();
            Map<String, TokenInfo> activities = new LinkedHashMap<>();
            TokenInfo alert = null;
            TokenInfo voip = null;
            for (var entry : all.entrySet()) {
                TokenInfo info = TokenInfo.of(entry.getValue());
                switch (entry.getKey().kind()) {
                    case ALERT -> alert = info;
                    case VOIP -> voip = info;
                    case PUSH_TO_START -> starts.put(entry.getKey().qualifier(), info);
                    case LIVE_ACTIVITY -> activities.put(entry.getKey().qualifier(), info);
                }
            }
            return new TokenList(alert, voip, starts, activities);
        });
    }

    @PUT
    @Path("voip")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the device's PushKit VoIP token", description = "Body {\"token\": hex, \"environment\": "
            + "\"sandbox\"|\"production\" (default)}. 400 when the device's app may not send VoIP pushes.")
    public CompletionStage<Response> putVoip(@PathParam("id") String id,
                                             @NotNull(message = "a JSON body is required") @Valid PushTokenRequest body) {
        return put(id, PushTokenSlot.VOIP, body, null);
    }

    @DELETE
    @Path("voip")
    @Operation(summary = "Remove the device's VoIP token")
    public CompletionStage<Response> deleteVoip(@PathParam("id") String id) {
        return delete(id, PushTokenSlot.VOIP);
    }

    @PUT
    @Path("push-to-start/{activityType}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the device's push-to-start token of a Live Activity type", description = "ActivityKit's "
            + "pushToStartTokenUpdates (iOS 17.2+) for the ActivityAttributes type in the path. Body as for voip.")
    public CompletionStage<Response> putPushToStart(@PathParam("id") String id, @PathParam("activityType") String activityType,
                                                    @NotNull(message = "a JSON body is required") @Valid PushTokenRequest body) {
        return put(id, slot(PushTokenKind.PUSH_TO_START, activityType, "activityType"), body, null);
    }

    @DELETE
    @Path("push-to-start/{activityType}")
    @Operation(summary = "Remove the device's push-to-start token of a Live Activity type")
    public CompletionStage<Response> deletePushToStart(@PathParam("id") String id, @PathParam("activityType") String activityType) {
        return delete(id, slot(PushTokenKind.PUSH_TO_START, activityType, "activityType"));
    }

    @PUT
    @Path("live-activities/{activityId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the update token of a running Live Activity", description = "ActivityKit's pushTokenUpdates "
            + "of the activity whose id is in the path. Body as for voip, plus an optional \"activityType\".")
    public CompletionStage<Response> putActivity(@PathParam("id") String id, @PathParam("activityId") String activityId,
                                                 @NotNull(message = "a JSON body is required") @Valid PushTokenRequest body) {
        if (body.activityType() != null && !PushTokenSlot.isValidQualifier(body.activityType())) {
            throw invalid("activityType", "must be " + PushTokenSlot.QUALIFIER_RULE);
        }
        return put(id, slot(PushTokenKind.LIVE_ACTIVITY, activityId, "activityId"), body, body.activityType());
    }

    @DELETE
    @Path("live-activities/{activityId}")
    @Operation(summary = "Remove the update token of a Live Activity (it ended)")
    public CompletionStage<Response> deleteActivity(@PathParam("id") String id, @PathParam("activityId") String activityId) {
        return delete(id, slot(PushTokenKind.LIVE_ACTIVITY, activityId, "activityId"));
    }

    private CompletionStage<Response> put(String id, PushTokenSlot slot, PushTokenRequest body, String activityType) {
        return devices.find(id).thenCompose(found -> {
            String appId = found.orElseThrow(DeviceResource::notFound).appId();
            return apps.refuseToken(appId, slot.kind(), body.pushEnvironment().wire());
        }).thenCompose(refusal -> {
            if (refusal.isPresent()) {
                throw invalid("token", refusal.get());
            }
            return tokens.set(id, slot, body.normalizedToken(), body.pushEnvironment(), activityType);
        }).thenApply(PushTokensResource::answer);
    }

    private CompletionStage<Response> delete(String id, PushTokenSlot slot) {
        if (!io.tether.contract.DeviceId.isValid(id)) {
            return CompletableFuture.failedFuture(DeviceResource.notFound());
        }
        return tokens.set(id, slot, null, null, null).thenApply(PushTokensResource::answer);
    }

    private static PushTokenSlot slot(PushTokenKind kind, String qualifier, String name) {
        if (!PushTokenSlot.isValidQualifier(qualifier)) {
            throw invalid(name, "must be " + PushTokenSlot.QUALIFIER_RULE);
        }
        return new PushTokenSlot(kind, qualifier);
    }

    private static ProblemException invalid(String field, String message) {
        return ProblemException.validation("the push token cannot be set", List.of(new Problem.FieldError(field, message)));
    }

    private static Response answer(PushTokens.Result result) {
        return switch (result) {
            case DONE -> Response.noContent().build();
            case NO_DEVICE -> throw DeviceResource.notFound();
            case FULL -> throw ProblemException.conflict("the device holds " + io.tether.contract.PushTokenScripts.MAX_TOKENS
                    + " push tokens already; remove ended Live Activities' tokens first");
        };
    }
}
