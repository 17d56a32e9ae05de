package io.tether.fanout.rest;

import io.opentelemetry.context.Context;
import io.tether.contract.MessageId;
import io.tether.fanout.intake.IdempotencyKeys;
import io.tether.fanout.intake.MessageAcceptor;
import io.tether.fanout.status.MessageStatus;
import io.tether.fanout.status.StatusStore;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import io.tether.runtime.tracing.TraceContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The backend API for messages. */
@Path("/v1/messages")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Backend API key, with scopes messages:send, devices:read, devices:write or admin")
@SecurityRequirement(name = "apiKey")
public class MessagesResource {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final MessageAcceptor acceptor;
    private final BatchSender batches;
    private final StatusStore statuses;
    private final CurrentCaller caller;

    public MessagesResource(MessageAcceptor acceptor, StatusStore statuses, CurrentCaller caller) {
        this.acceptor = acceptor;
        this.batches = new BatchSender(acceptor);
        this.statuses = statuses;
        this.caller = caller;
    }

    /** Answer of {@code POST /v1/messages}. */
    public record Accepted(String messageId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.MESSAGES_SEND)
    @Operation(summary = "Send a message", description = "Scope messages:send. Answers 202 once the message is "
            + "durable in Kafka; 413 when the body or the decoded payload is too large. With an Idempotency-Key, a retry "
            + "with the same body within 24 h answers the first 202 and sends nothing; another body is 422. A key limited "
            + "to some apps gets 404 for devices and apps beyond them; an app over its quota gets 429 with Retry-After.")
    @APIResponse(responseCode = "202", description = "Accepted")
    public CompletionStage<Response> send(SendMessageRequest request, @HeaderParam("traceparent") String traceparent,
            @Parameter(description = "makes retries safe: the same key and body within 24 h is one message")
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        // The server span of this request (its parent is the caller's traceparent); with the SDK off, the header itself.
        Context trace = TraceContext.orTraceparent(Context.current(), traceparent);
        IdempotencyKeys.Key key = idempotencyKey == null ? null : IdempotencyKeys.single(idempotencyKey);
        return acceptor.accept(request, key, principal(), traceparent, trace)
                .thenApply(accepted -> Response.accepted(new Accepted(accepted.messageId()))
                        // A plain header: resolving a relative URI needs the request context, absent on Redis/Kafka threads.
                        .header("Location", "/v1/messages/" + accepted.messageId())
                        .header("Idempotent-Replayed", accepted.replayed() ? "true" : null)
                        .build());
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.MESSAGES_SEND)
    @Operation(summary = "Send several distinct messages", description = "Scope messages:send. Up to "
            + BatchSender.MAX_MESSAGES + " messages, accepted one after the other in the order given; each gets its own "
            + "result (status 202 and messageId, or the problem). Answers 200 when the batch was read. With an "
            + "Idempotency-Key, message i is remembered as <key>#<i>: the same batch sent again with the key answers "
            + "the messages already accepted with their first messageId and sends only the others. A single send whose "
            + "key is <key>#<i> is another message.")
    public CompletionStage<BatchSender.Results> sendBatch(SendBatchRequest request, @HeaderParam("traceparent") String traceparent,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        Context trace = TraceContext.orTraceparent(Context.current(), traceparent);
        return batches.send(request, idempotencyKey, principal(), traceparent, trace);
    }

    @GET
    @Path("/{id}")
    @RequiresScope({Scopes.MESSAGES_SEND, Scopes.DEVICES_READ})
    @Operation(summary = "Delivery status of a message, per device", description = "Scope messages:send or devices:read. "
            + "A key limited to some apps sees only their devices.")
    public CompletionStage<MessageStatus> status(@PathParam("id") String id) {
        if (!MessageId.isValid(id)) {
            throw ProblemException.notFound("no message " + id);
        }
        ApiPrincipal principal = principal();
        return statuses.read(id, principal::mayReach, principal.isAppScoped(), principal.keyId())
                .thenApply(found -> found.orElseThrow(() -> ProblemException.notFound("no message " + id)));
    }

    private ApiPrincipal principal() {
        return caller.principal().orElseThrow(() -> new IllegalStateException("no caller on an authenticated endpoint"));
    }
}
