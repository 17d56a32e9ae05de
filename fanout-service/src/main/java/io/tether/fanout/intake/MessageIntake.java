package io.tether.fanout.intake;

import io.opentelemetry.context.Context;
import io.tether.contract.Target;
import io.tether.contract.tracing.MessagingSpans;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.status.StatusStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Accepts a message: it is accepted once Kafka acknowledged it ({@code acks=all}), which is when the REST
 * API may answer 202. Routing happens behind Kafka, in {@code RoutingConsumer}.
 */
public final class MessageIntake {
    private static final Logger LOG = Logger.getLogger(MessageIntake.class);

    private final Producer<String, byte[]> producer;
    private final StatusStore statuses;
    private final MessagingSpans spans;
    private final FanoutMetrics metrics;

    public MessageIntake(Producer<String, byte[]> producer, StatusStore statuses, MessagingSpans spans, FanoutMetrics metrics) {
        this.metrics = metrics;
        this.producer = producer;
        this.statuses = statuses;
        this.spans = spans;
    }

    /** @param trace the request's trace context: the Kafka send is its child, and the record carries it on */
    public CompletionStage<Void> accept(OutgoingMessage message, Context trace) {
        CompletableFuture<Void> durable = spans.send(producer, DownstreamCodec.toRecord(message), trace)
                .thenRun(() -> metrics.accepted(targetKind(message.target())));
        // The message is safe once in Kafka; recording it for GET is a convenience the consumer repeats.
        return durable.thenCompose(v -> statuses.recordAccepted(message).exceptionally(error -> {
            LOG.warnf("accepted %s but could not record it yet: %s", message.messageId(), error.getMessage());
            return null;
        }));
    }

    static String targetKind(Target target) {
        if (target == null) {
            return "unknown";
        }
        return target.device() != null ? "device" : target.user() != null ? "user" : target.topic() != null ? "topic" : "devices";
    }
}
