package io.tether.fanout.intake;

import io.opentelemetry.context.Context;
import io.tether.contract.Target;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.fanout.metrics.FanoutMetrics;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;

/**
 * Accepts a message: it is accepted once Kafka acknowledged it ({@code acks=all}), which is when the REST
 * API may answer 202. Routing happens behind Kafka, in {@code Router}.
 */
public final class MessageIntake {
    private final Producer<String, byte[]> producer;
    private final MessagingSpans spans;
    private final FanoutMetrics metrics;

    public MessageIntake(Producer<String, byte[]> producer, MessagingSpans spans, FanoutMetrics metrics) {
        this.metrics = metrics;
        this.producer = producer;
        this.spans = spans;
    }

    /**
     * Writes the message to Kafka once it is recorded for {@code GET /v1/messages/<id>} (so a 202 is always followed by
     * a status to read, and a failure before the write leaves nothing to retry twice).
     *
     * @param recorded the record of the message and the devices it names (when it names them), written or being written
     * @param trace    the request's trace context: the Kafka send is its child, and the record carries it on
     */
    public CompletionStage<Void> accept(OutgoingMessage message, CompletionStage<Void> recorded, Context trace) {
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
