package io.tether.fanout.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.opentelemetry.context.Context;
import io.tether.fanout.intake.IdempotencyKeys;
import io.tether.fanout.intake.MessageAcceptor;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import io.tether.contract.problem.ProblemType;
import io.tether.runtime.failure.Failures;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Sends the messages of a batch one after the other, in order (two messages for one device keep their order), each
 * through {@link MessageAcceptor} with its own result. A failure that is not the message's own (Redis or Kafka away:
 * 503; a bug: 500) stops the batch: the messages after it are answered 503 and were not sent.
 */
final class BatchSender {
    private static final Logger LOG = Logger.getLogger(BatchSender.class);
    static final int MAX_MESSAGES = 100;
    private static final String INSTANCE = "/v1/messages/batch";

    private final MessageAcceptor acceptor;

    BatchSender(MessageAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    /**
     * The result of one message: {@code status} 202 with its id, or the status and problem that refused it, with
     * {@code retryAfter} (seconds) where a single send would have said {@code Retry-After} (429, 409 in hand, 503).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(int index, int status, String messageId, Problem problem, Long retryAfter) {
        static Result accepted(int index, String messageId) {
            return new Result(index, 202, messageId, null, null);
        }

        static Result refused(int index, ProblemException problem) {
            Long retryAfter = problem.retryAfterSeconds() != null ? problem.retryAfterSeconds()
                    : problem.status() == 503 ? Long.valueOf(1) : null;
            return new Result(index, problem.status(), null, problem.toProblem(INSTANCE + "#" + index), retryAfter);
        }
    }

    /** Answer of {@code POST /v1/messages/batch}: one result per message, in the order given. */
    public record Results(List<Result> results) {
    }

    CompletionStage<Results> send(SendBatchRequest request, String idempotencyKey, ApiPrincipal caller, String traceparent, Context trace) {
        if (request == null || request.messages() == null || request.messages().isEmpty() || request.messages().size() > MAX_MESSAGES) {
            throw ProblemException.validation("the batch is not valid",
                    List.of(new Problem.FieldError("messages", "must hold 1 to " + MAX_MESSAGES + " messages")));
        }
        // Checked for the whole batch first: a key too long for the later messages' suffix refused them after the
        // earlier ones were sent.
        if (idempotencyKey != null
                && !IdempotencyKeys.isValid(IdempotencyKeys.ofBatchMessage(idempotencyKey, request.messages().size() - 1).value())) {
            throw ProblemException.validation("the Idempotency-Key is not valid for this batch", List.of(new Problem.FieldError(
                    "Idempotency-Key", "must be visible ASCII characters, at most 255 with the suffix #<index> of the batch's "
                            + "last message (#" + (request.messages().size() - 1) + ")")));
        }
        List<Result> results = new ArrayList<>();
        CompletionStage<Boolean> chain = CompletableFuture.completedFuture(true);
        for (int i = 0; i < request.messages().size(); i++) {
            int index = i;
            chain = chain.thenCompose(going -> going ? one(request.messages().get(index), index, idempotencyKey, caller, traceparent, trace)
                    .thenApply(result -> {
                        results.add(result);
                        return result.status() < 500;
                    }) : skipped(index, results));
        }
        return chain.thenApply(v -> new Results(List.copyOf(results)));
    }

    private CompletionStage<Result> one(SendMessageRequest message, int index, String idempotencyKey, ApiPrincipal caller,
            String traceparent, Context trace) {
        IdempotencyKeys.Key key = idempotencyKey == null ? null : IdempotencyKeys.ofBatchMessage(idempotencyKey, index);
        CompletionStage<MessageAcceptor.Accepted> accepted;
        try {
            accepted = acceptor.accept(message, key, caller, traceparent, trace);
        } catch (RuntimeException e) {
            accepted = CompletableFuture.failedFuture(e);
        }
        return accepted.handle((ok, error) -> ok != null ? Result.accepted(index, ok.messageId()) : refused(index, error));
    }

    /**
     * A message's own refusal keeps its problem; an outage (Redis or Kafka away) is 503, to retry; anything else is a
     * bug: 500 with a reference to the log, and nothing of the exception for the client. Both stop the batch.
     */
    static Result refused(int index, Throwable error) {
        Throwable cause = Failures.unwrap(error);
        ProblemException problem;
        if (cause instanceof ProblemException p) {
            problem = p;
        } else if (Failures.isOutage(cause)) {
            problem = ProblemException.unavailable("not sent: a store Tether needs is unavailable; retry later");
        } else {
            String reference = UUID.randomUUID().toString();
            LOG.errorf(cause, "%s#%d failed unexpectedly (reference %s)", INSTANCE, index, reference);
            problem = new ProblemException(ProblemType.INTERNAL, "not sent: unexpected error, reference " + reference);
        }
        return Result.refused(index, problem);
    }

    private static CompletionStage<Boolean> skipped(int index, List<Result> results) {
        ProblemException problem = ProblemException.unavailable("not sent: an earlier message of the batch could not be");
        results.add(Result.refused(index, problem));
        return CompletableFuture.completedFuture(false);
    }
}
