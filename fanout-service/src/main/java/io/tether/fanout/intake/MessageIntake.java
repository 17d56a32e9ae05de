package io.tether.fanout.intake;

import io.opentelemetry.context.Context;
import io.tether.contract.Target;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.routing.AcceptedRoutes;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;

/**
 * Accepts a message, which is when the REST API may answer 202: a message to one device once its route script has
 * queued it in the device's inbox ({@link AcceptedRoutes}); any other once Kafka acknowledged its downstream record
 * ({@code acks=all}), routed behind Kafka by {@code Router}.
 */
public final class MessageIntake {
    private final Producer<String, byte[]> producer;
    private final MessagingSpans spans;
    private final FanoutMetrics metrics;
    private final AcceptedRoutes direct;

    /** Every message through the downstream topic. */
    public MessageIntake(Producer<String, byte[]> producer, MessagingSpans spans, FanoutMetrics metrics) {
        this(producer, spans, metrics, null);
    }

    /** @param direct routes what it {@linkplain AcceptedRoutes#applies applies to} at once, without the downstream topic */
    public MessageIntake(Producer<String, byte[]> producer, MessagingSpans spans, FanoutMetrics metrics, AcceptedRoutes direct) {
        this.direct = direct;
        this.metrics = metrics;
        this.producer = producer;
        this.spans = spans;
    }

    /**
     * Routes the message, or writes it to Kafka, once it is recorded for {@code GET /v1/messages/<id>} (so a 202 is
     * always followed by a status to read, and a failure before the write leaves nothing to retry twice).
     *
     * @param recorded the record of the message and the devices it names (when it names them), written or being written
     * @param trace    the request's trace context: the route or the Kafka send is its child, and the entry or the record
     *                 carries it on
     */
    public CompletionStage<Void> accept(OutgoingMessage message, CompletionStage<Void> recorded, Context trace) {
        if (direct != null && direct.applies(message)) {
            return recorded.thenCompose(v -> direct.accept(message, trace)).thenRun(() -> metrics.accepted("device"));
        }
        return recorded.thenCompose(v -> spans.send(producer, DownstreamCodec.toRecord(message), trace))
                .thenRun(() -> metrics.accepted(targetKind(message.target())));
    }

    static String targetKind(Target target) {
        if (target == null) {
            return "unknown";
        }
        return target.device() != null ? "device" : target.user() != null ? "user" : target.topic() != null ? "topic"
                : target.app() != null ? "app" : "devices";
    }
}
