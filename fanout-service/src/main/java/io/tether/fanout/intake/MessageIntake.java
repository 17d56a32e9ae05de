package io.tether.fanout.intake;

import io.tether.contract.KafkaSend;
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

    public MessageIntake(Producer<String, byte[]> producer, StatusStore statuses) {
        this.producer = producer;
        this.statuses = statuses;
    }

    public CompletionStage<Void> accept(OutgoingMessage message) {
        CompletableFuture<Void> durable = KafkaSend.send(producer, DownstreamCodec.toRecord(message));
        // The message is safe once in Kafka; recording it for GET is a convenience the consumer repeats.
        return durable.thenCompose(v -> statuses.recordAccepted(message).exceptionally(error -> {
            LOG.warnf("accepted %s but could not record it yet: %s", message.messageId(), error.getMessage());
            return null;
        }));
    }
}
