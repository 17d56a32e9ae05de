package io.tether.fanout.rest;

import io.opentelemetry.context.Context;
import io.tether.contract.MessageId;
import io.tether.runtime.tracing.TraceContext;
import io.tether.fanout.attachments.MessageAttachments;
import io.tether.fanout.intake.MessageIntake;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.status.MessageStatus;
import io.tether.fanout.status.StatusStore;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The backend API for messages. */
@Path("/v1/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {
    private final MessageRequests requests;
    private final MessageIntake intake;
    private final StatusStore statuses;
    private final PushAppCheck pushApps;
    private final MessageAttachments attachments;

    public MessagesResource(MessageRequests requests, MessageIntake intake, StatusStore statuses, PushAppCheck pushApps,
            MessageAttachments attachments) {
        this.requests = requests;
        this.intake = intake;
        this.statuses = statuses;
        this.pushApps = pushApps;
        this.attachments = attachments;
    }

    /** Answer of {@code POST /v1/messages}. */
    public record Accepted(String messageId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.MESSAGES_SEND)
    @Operation(summary = "Send a message", description = "Scope messages:send. Answers 202 once the message is "
            + "durable in Kafka; 413 when the body or the decoded payload is too large.")
    @APIResponse(responseCode = "202", description = "Accepted")
    public CompletionStage<Response> send(SendMessageRequest request, @HeaderParam("traceparent") String traceparent) {
        // The server span of this request (its parent is the caller's traceparent); with the SDK off, the header itself.
        Context trace = TraceContext.orTraceparent(Context.current(), traceparent);
        OutgoingMessage parsed = requests.toMessage(request, traceparent, System.currentTimeMillis());
        List<String> named = parsed.target().device() != null ? List.of(parsed.target().device())
                : parsed.target().devices() != null ? parsed.target().devices() : List.of();
        // Push no APNs app could send is refused before anything is recorded (it costs a Redis read only with push options).
        return pushApps.check(parsed.push(), named, parsed.target().device() != null).thenCompose(refused -> {
            if (!refused.isEmpty()) {
                throw ProblemException.validation("no APNs app can send this push", refused);
            }
            // The check and the record go to Redis together; the message goes to Kafka only after both.
            CompletionStage<List<String>> unknown = named.isEmpty() ? CompletableFuture.completedFuture(List.of())
                    : statuses.unknownDevices(named);
            CompletionStage<Void> recorded = statuses.record(parsed, named.stream().distinct().toList());
            return unknown.thenCompose(missing -> {
                if (!missing.isEmpty()) {
                    throw ProblemException.notFound("unknown device(s): " + String.join(", ", missing));
                }
                // An attachment turns the payload into a signed descriptor document (uploaded bodies are looked up first).
                return request.attachment() == null ? CompletableFuture.completedFuture(parsed) : attachments.attach(parsed, request);
            }).thenCompose(message -> intake.accept(message, recorded, trace));
        }).thenApply(v -> Response.accepted(new Accepted(parsed.messageId()))
                // A plain header: resolving a relative URI needs the request context, absent on Redis/Kafka threads.
                .header("Location", "/v1/messages/" + parsed.messageId())
                .build());
    }

    @GET
    @Path("/{id}")
    @RequiresScope({Scopes.MESSAGES_SEND, Scopes.DEVICES_READ})
    @Operation(summary = "Delivery status of a message, per device", description = "Scope messages:send or devices:read.")
    public CompletionStage<MessageStatus> status(@PathParam("id") String id) {
        if (!MessageId.isValid(id)) {
            throw ProblemException.notFound("no message " + id);
        }
        return statuses.read(id).thenApply(found -> found.orElseThrow(() -> ProblemException.notFound("no message " + id)));
    }
}
