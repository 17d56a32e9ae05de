package io.tether.push.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.tether.contract.DeviceId;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.Receipt;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsCredentials;
import io.tether.push.apns.ApnsEnvironment;
import io.tether.push.device.PushTarget;
import io.tether.pushoptions.NotificationFactory;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Failures;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.tracing.MessagingSpans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records of {@code tether.push} to receipts, or to the dead-letter topic: a record that can never be handled fails
 * the stage permanently ({@link Failures}), which is what makes the shared consumer loop dead-letter it.
 */
class PushRecordHandlerTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String BUNDLE = "com.example.chat";
    private static final PushTopics TOPICS = new PushTopics("push", "receipts", "dead-letters");

    private final PushFakes.Registry registry = new PushFakes.Registry();
    private final PushFakes.Apns apns = new PushFakes.Apns();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final MessagingSpans spans = new MessagingSpans(OpenTelemetry.noop());
    private final Backoff backoff = new Backoff(Duration.ofMillis(2), Duration.ofMillis(2), () -> 0.5);
    private final PushMetrics metrics = new PushMetrics(new SimpleMeterRegistry());
    private final PushFakes.MutableClock clock = new PushFakes.MutableClock(NOW);
    private final Retry retry = new Retry(backoff, scheduler);
    private final PushRecordHandler handler = new PushRecordHandler(
            new PushProcessor(registry, apns, new NotificationFactory(), backoff, scheduler, metrics, clock,
                    OpenTelemetry.noop().getTracer("test"), new AppRateLimiter(System::nanoTime, (task, delay) -> {
                        throw new AssertionError("no app here has a rate limit");
                    })),
            new OutcomePublisher(producer, TOPICS, Runnable::run, spans), metrics, retry, spans);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aRequestBecomesAnApnsSendAndAReceiptKeyedByDevice() throws Exception {
        apns.add(new ApnsApp("chat", BUNDLE, new ApnsCredentials.SigningKey(Path.of("AuthKey_K.p8"), "T", "K")));
        String device = DeviceId.random();
        registry.add(new PushTarget(device, "ios", BUNDLE, PushTokenSlot.ALERT, "ab".repeat(32), ApnsEnvironment.PRODUCTION, 0));
        PushRequest request = new PushRequest(device, "msg_1", NOW, NOW + 60_000, null, null, null, null, "offline", null);

        handler.handle(record(Json.toBytes(request))).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(1, apns.sent.size());
        assertEquals(1, producer.history().size());
        var sent = producer.history().get(0);
        assertEquals("receipts", sent.topic());
        assertEquals(device, sent.key());
        Receipt receipt = Json.fromBytes(sent.value(), Receipt.class);
        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals("msg_1", receipt.messageId());
    }

    @Test
    void anEmptyRecordIsDeadLettered() {
        assertDeadLettered("empty record", record(new byte[0]));
        assertDeadLettered("empty record", record(null));
    }

    @Test
    void aRecordThatIsNoPushRequestIsDeadLettered() {
        Throwable failure = assertDeadLettered(null, record("{not json".getBytes(StandardCharsets.UTF_8)));

        assertTrue(failure instanceof IllegalArgumentException, String.valueOf(failure));
    }

    /**
     * Handled as the consumer loop (KeyedConsumer) does, through {@link Retry#whileTransient}: the handling failed for
     * good, so the loop sends the record to the dead letters with this reason.
     */
    private Throwable assertDeadLettered(String reason, ConsumerRecord<String, byte[]> record) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> retry.whileTransient("record", () -> handler.handle(record)).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(Failures.isPermanent(failed.getCause()), String.valueOf(failed.getCause()));
        if (reason != null) {
            assertEquals(reason, Failures.reason(failed.getCause()));
        }
        assertTrue(apns.sent.isEmpty());
        assertTrue(producer.history().isEmpty(), "no receipt");
        return Failures.unwrap(failed.getCause());
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>("push", 0, 0, DeviceId.random(), value);
    }
}
