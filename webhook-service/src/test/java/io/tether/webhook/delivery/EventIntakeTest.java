package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisConnectionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.Json;
import io.tether.contract.Topics;
import io.tether.contract.TetherEvent;
import io.tether.runtime.failure.Failures;
import io.tether.webhook.registry.WebhookDirectory;
import io.tether.webhook.registry.WebhooksNotRead;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EventIntakeTest {

    @Test
    void whileTheWebhooksCannotBeReadAnEventFailsTransientlyInsteadOfBeingCommittedAsWantedByNone() throws Exception {
        WebhookDirectory directory = new WebhookDirectory(() -> CompletableFuture.failedFuture(new RedisConnectionException("refused")));
        directory.refresh().toCompletableFuture().get(5, TimeUnit.SECONDS);
        // No queue and no Redis: an event is matched against no webhook before they are read.
        EventIntake intake = new EventIntake(directory, null, null, new DeliveryMetrics(new SimpleMeterRegistry()), () -> 0L);

        CompletableFuture<Void> handled = intake.handle(record(TetherEvent.status("dev-1", "msg-1", "delivered", null, "live", 1)))
                .toCompletableFuture();

        ExecutionException failed = assertThrows(ExecutionException.class, () -> handled.get(5, TimeUnit.SECONDS));
        assertInstanceOf(WebhooksNotRead.class, Failures.unwrap(failed));
        assertTrue(Failures.isTransient(failed), "retried by the consumer, not dead-lettered or committed");
    }

    private static ConsumerRecord<String, byte[]> record(TetherEvent event) {
        return new ConsumerRecord<>(Topics.EVENTS, 0, 7, event.deviceId(), Json.toBytes(event));
    }
}
