package io.tether.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.contract.TetherEvent;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.scope.AppScopes;
import io.tether.runtime.failure.Failures;
import io.tether.webhook.delivery.Attempt;
import io.tether.webhook.delivery.DeadLetter;
import io.tether.webhook.delivery.DeliveryQueues;
import io.tether.webhook.delivery.Signature;
import io.tether.webhook.registry.DestinationCheck;
import io.tether.webhook.registry.Webhook;
import io.tether.webhook.registry.WebhookDirectory;
import io.tether.webhook.registry.WebhookStore;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code /v1/webhooks}: webhooks, their delivery log and dead letters. A key sees and manages the webhooks of the apps
 * it may reach and its own; a key of every app sees all.
 */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RequiresScope(Scopes.WEBHOOKS_MANAGE)
@Tag(name = "webhooks")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Backend API key with the scope webhooks:manage (or admin)")
@SecurityRequirement(name = "apiKey")
public class WebhooksResource {
    private static final Logger LOG = Logger.getLogger(WebhooksResource.class);
    private static final int MAX_LIST = 1000;
    private static final int DEFAULT_LIST = 100;

    private final WebhookStore webhooks;
    private final WebhookDirectory directory;
    private final DeliveryQueues queues;
    private final CurrentCaller caller;
    private final DestinationCheck destinations;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public WebhooksResource(WebhookStore webhooks, WebhookDirectory directory, DeliveryQueues queues, CurrentCaller caller,
            DestinationCheck destinations) {
        this.webhooks = webhooks;
        this.directory = directory;
        this.queues = queues;
        this.caller = caller;
        this.destinations = destinations;
    }

    /** Body of a replay: the dead letters to send again, by event id; none listed: all of them. */
    public record Replay(List<String> eventIds) {
    }

    /** Answer of a replay. */
    public record Replayed(int replayed) {
    }

    /** The delivery log. */
    public record Items<T>(List<T> items) {
    }

    /**
     * A page of dead letters, newest first.
     *
     * @param next pass as {@code cursor} for the next page; absent on the last page
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeadLetterPage(List<DeadLetter> items, String next) {
    }

    /**
     * The dead letters' cursor: the number it stands for, or a 400 naming it (never echoing it). The limit is clamped
     * to 1..1000, as it always was and as the delivery log's is.
     */
    static OptionalLong before(String cursor) {
        if (cursor == null) {
            return OptionalLong.empty();
        }
        OptionalLong before = DeadLetterCursor.decode(cursor);
        if (before.isEmpty()) {
            List<Problem.FieldError> errors = List.of(new Problem.FieldError("cursor", "is not a cursor this API issued"));
            throw ProblemException.validation("invalid query parameters: cursor", errors);
        }
        return before;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook", description = "Scope webhooks:manage. Answers 201 with the signing secret, "
            + "shown only here. With appId: every event of the app's devices (message.status, device.presence); without: "
            + "the status changes of the messages the calling key sends. A url whose host is, or resolves to, a loopback, "
            + "link-local, private, unspecified or multicast address is refused (400 naming url) unless the service allows "
            + "private destinations (tether.webhooks.allow-private-destinations).")
    public CompletionStage<Response> create(@NotNull(message = "a JSON body is required") @Valid CreateWebhookRequest body) {
        ApiPrincipal principal = principal();
        if (body.appId() != null) {
            AppScopes.requireApp(caller, body.appId());
        }
        List<String> events = body.events() != null && !body.events().isEmpty() ? body.events().stream().distinct().toList()
                : body.appId() != null ? List.of(TetherEvent.MESSAGE_STATUS, TetherEvent.DEVICE_PRESENCE) : List.of(TetherEvent.MESSAGE_STATUS);
        if (body.appId() == null && events.contains(TetherEvent.DEVICE_PRESENCE)) {
            throw ProblemException.validation("the webhook is not valid", List.of(new Problem.FieldError("events",
                    "device.presence needs an appId: presence belongs to an app's devices, not to a key's messages")));
        }
        byte[] id = new byte[8];
        random.nextBytes(id);
        Webhook webhook = new Webhook("wh_" + HexFormat.of().formatHex(id), body.url(), body.appId(),
                body.appId() == null ? principal.keyId() : null, events, Signature.newSecret(random), System.currentTimeMillis());
        // This instance matches events against it from the answer on; the others within a poll interval.
        return allowed(body.url()).thenCompose(ok -> webhooks.save(webhook)).thenCompose(v -> directory.refresh()).thenApply(v -> {
            LOG.infof("webhook %s for %s created by %s", webhook.id(), webhook.appId() != null ? "app " + webhook.appId()
                    : "key " + webhook.keyId(), principal.keyId());
            return Response.status(Response.Status.CREATED)
                    .header(HttpHeaders.LOCATION, "/v1/webhooks/" + webhook.id())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store") // carries the secret
                    .entity(WebhookResponse.created(webhook))
                    .build();
        });
    }

    @GET
    @Operation(summary = "List webhooks", description = "Scope webhooks:manage. Never the secrets.")
    public CompletionStage<WebhookResponse.Page> list() {
        ApiPrincipal principal = principal();
        return webhooks.all().thenApply(all -> new WebhookResponse.Page(all.stream().filter(w -> visible(w, principal))
                .map(WebhookResponse::of).toList()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Look up a webhook", description = "Scope webhooks:manage.")
    public CompletionStage<WebhookResponse> get(@PathParam("id") String id) {
        return find(id).thenApply(WebhookResponse::of);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a webhook", description = "Scope webhooks:manage. What it had queued, its delivery log "
            + "and its dead letters are removed with it; an attempt in flight may still reach the receiver, but records "
            + "nothing. Should the delete fail (5xx), the webhook stays listed and gets no more events: delete it again.")
    public CompletionStage<Response> delete(@PathParam("id") String id) {
        // Its keys first, the record last: a delete that fails midway leaves the webhook listed, so deleting it again
        // finishes the job, instead of keys that nothing lists any more.
        return find(id).thenCompose(webhook -> queues.forget(webhook.id()))
                .thenCompose(v -> webhooks.delete(id))
                .thenCompose(deleted -> directory.refresh())
                .thenApply(v -> Response.noContent().build());
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The webhook's delivery log", description = "Scope webhooks:manage. The newest attempts first, "
            + "limit of them (1 to 1000, default 100): event, attempt number, outcome (delivered, retrying, dead), HTTP status, error, "
            + "duration, next attempt.")
    public CompletionStage<Items<Attempt>> deliveries(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        return find(id).thenCompose(webhook -> queues.log(webhook.id(), bounded(limit))).thenApply(Items::new);
    }

    @GET
    @Path("{id}/dead-letters")
    @Operation(summary = "Events the webhook never took", description = "Scope webhooks:manage. Events whose delivery "
            + "failed for tether.webhooks.retry.give-up-after (24 h by default) or that found their device's queue full, "
            + "newest first, a page at a time of limit (1 to 1000, default 100; a limit beyond is taken as the nearest): pass "
            + "the answer's next as cursor for the following page (absent on the last; a cursor this API did not issue is "
            + "a 400). Every dead letter kept (tether.webhooks.dead-letter-size, 10,000 by default) is listed and can be "
            + "replayed.")
    public CompletionStage<DeadLetterPage> deadLetters(@PathParam("id") String id,
            @Parameter(description = "dead letters per page, default 100; below 1 counts as 1, above 1000 as 1000")
            @QueryParam("limit") Integer limit,
            @Parameter(description = "next of the previous page") @QueryParam("cursor") String cursor) {
        OptionalLong before = before(cursor);
        return find(id).thenCompose(webhook -> queues.deadLetters(webhook.id(), before, bounded(limit)))
                .thenApply(found -> new DeadLetterPage(found.items(),
                        found.next().isPresent() ? DeadLetterCursor.encode(found.next().getAsLong()) : null));
    }

    @POST
    @Path("{id}/dead-letters/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send dead letters again", description = "Scope webhooks:manage. Puts the dead letters listed by "
            + "eventIds (all of them without a body or a list), wherever they are among the dead letters kept, back at the end "
            + "of their device's queue, oldest first.")
    public CompletionStage<Replayed> replay(@PathParam("id") String id, Replay body) {
        Set<String> ids = body == null || body.eventIds() == null ? Set.of() : Set.copyOf(body.eventIds());
        return find(id).thenCompose(webhook -> queues.replay(webhook.id(), ids, System.currentTimeMillis())).thenApply(Replayed::new);
    }

    /**
     * Fails with 400 naming {@code url} when webhooks must not call it (an address inside the network), with 503 when
     * its host did not resolve in time.
     */
    private CompletionStage<Void> allowed(String url) {
        return destinations.refusal(url).handle((refusal, error) -> {
            if (error != null) {
                if (Failures.unwrap(error) instanceof TimeoutException) {
                    throw ProblemException.retryAfter(ProblemType.UNAVAILABLE, "the url's host did not resolve in time; retry later", 5);
                }
                throw error instanceof CompletionException e ? e : new CompletionException(error);
            }
            if (refusal.isPresent()) {
                throw ProblemException.validation("the webhook is not valid", List.of(new Problem.FieldError("url", refusal.get())));
            }
            return null;
        });
    }

    private CompletionStage<Webhook> find(String id) {
        ApiPrincipal principal = principal();
        return webhooks.find(id).thenApply(found -> found.filter(w -> visible(w, principal))
                .orElseThrow(() -> ProblemException.notFound("no such webhook")));
    }

    /** A key of every app sees every webhook; a limited key those of its apps and its own. */
    private static boolean visible(Webhook webhook, ApiPrincipal principal) {
        if (!principal.isAppScoped()) {
            return true;
        }
        return webhook.appId() != null ? principal.mayReach(webhook.appId()) : principal.keyId().equals(webhook.keyId());
    }

    private static int bounded(Integer limit) {
        return limit == null ? DEFAULT_LIST : Math.max(1, Math.min(MAX_LIST, limit));
    }

    private ApiPrincipal principal() {
        return caller.principal().orElseThrow(() -> new IllegalStateException("no caller on an authenticated endpoint"));
    }
}
