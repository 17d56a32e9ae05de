package io.tether.fanout.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.tether.contract.DeviceFields;
import io.tether.contract.Headers;
import io.tether.contract.attachment.AttachmentWire;
import io.tether.contract.QuotaFields;
import io.tether.contract.RedisKeys;
import io.tether.fanout.attachments.AttachmentRecords;
import io.tether.fanout.attachments.MessageAttachments;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.quota.AppQuotas;
import io.tether.fanout.quota.QuotaMetrics;
import io.tether.fanout.rest.MessageRequests;
import io.tether.fanout.rest.PushAppCheck;
import io.tether.fanout.rest.SendMessageRequest;
import io.tether.fanout.status.StatusStore;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.scope.DeviceApps;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.testkit.Poll;
import io.tether.testkit.RedisFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a message costs its app when it is refused after the charge, against a real Redis (Kafka: a mock producer). */
class MessageAcceptorIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static RedisAsyncCommands<String, String> redis;
    private static final ApiPrincipal CALLER = new ApiPrincipal("key-1", Set.of(ApiPrincipal.ALL_SCOPES));

    private final long now = System.currentTimeMillis();
    private final String app = "com.example.refund" + System.nanoTime();
    private final String device = "dev-refund-" + System.nanoTime();
    private final MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final MessageAcceptor acceptor = new MessageAcceptor(new MessageRequests(Duration.ofDays(1), Duration.ofDays(7), 4096),
            new MessageIntake(kafka, MessagingSpans.off(), new FanoutMetrics(new SimpleMeterRegistry())),
            new StatusStore(redis, 86_400, 604_800, 86_400), new DeviceApps(redis),
            new AppQuotas(redis, () -> now, new QuotaMetrics(new SimpleMeterRegistry())), new PushAppCheck(redis, false),
            new MessageAttachments(Optional.empty(), Optional.empty(), new AttachmentRecords(redis)), 1000);

    @BeforeAll
    static void start() {
        redis = REDIS.connect().async();
    }

    private void deviceWithADayQuota() throws Exception {
        redis.hset(RedisKeys.device(device).record(), Map.of(DeviceFields.APP_ID, app)).get(5, TimeUnit.SECONDS);
        redis.hset(RedisKeys.appQuota(app), Map.of(QuotaFields.MESSAGES_PER_DAY, "10")).get(5, TimeUnit.SECONDS);
    }

    private String chargedToday() throws Exception {
        String day = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate().toString();
        String count = redis.get(RedisKeys.appMessagesOnDay(app, day)).get(5, TimeUnit.SECONDS);
        return count == null ? "0" : count;
    }

    private CompletableFuture<MessageAcceptor.Accepted> send(SendMessageRequest request) {
        return send(request, (IdempotencyKeys.Key) null);
    }

    private CompletableFuture<MessageAcceptor.Accepted> send(SendMessageRequest request, String idempotencyKey) {
        return send(request, idempotencyKey == null ? null : IdempotencyKeys.single(idempotencyKey));
    }

    private CompletableFuture<MessageAcceptor.Accepted> send(SendMessageRequest request, IdempotencyKeys.Key idempotencyKey) {
        return acceptor.accept(request, idempotencyKey, CALLER, null, Context.root()).toCompletableFuture();
    }

    private static Throwable failure(CompletableFuture<?> stage) throws Exception {
        try {
            stage.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected the send to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aMessageWhoseAttachmentIsRefusedIsNotSentAndCostsItsAppNothing() throws Exception {
        deviceWithADayQuota();
        SendMessageRequest withAttachment = new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("hi"), null, null, null, null, null, null,
                new SendMessageRequest.Attachment(AttachmentWire.randomId(), null, null, null, null, null));

        Throwable refused = failure(send(withAttachment));

        assertInstanceOf(ProblemException.class, refused, "attachments are not enabled here: " + refused);
        assertEquals("0", chargedToday());
        assertTrue(kafka.history().isEmpty());
    }

    @Test
    void aMessageKafkaDidNotTakeCostsItsAppNothingAndKeepsItsRecord() throws Exception {
        deviceWithADayQuota();
        CompletableFuture<MessageAcceptor.Accepted> sent = send(new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("hi"), null, null, null, null, null, null));
        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> kafka.history().size() == 1), "the send reached Kafka");
        assertEquals("1", chargedToday(), "charged before the send");

        kafka.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"));
        failure(sent);

        assertEquals("0", chargedToday());
        String messageId = new String(kafka.history().get(0).headers().lastHeader(Headers.MESSAGE_ID).value(), StandardCharsets.UTF_8);
        assertEquals(1L, redis.exists(RedisKeys.message(messageId)).get(5, TimeUnit.SECONDS),
                "kept: the broker may have appended it before the error, and routing reads the record");
    }

    @Test
    void aKeyedMessageKafkaDidNotTakeKeepsItsChargeForItsRetryIsAnUnchargedReplay() throws Exception {
        deviceWithADayQuota();
        SendMessageRequest request = new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("hi"), null, null, null, null, null, null);
        String key = "order-" + System.nanoTime();
        CompletableFuture<MessageAcceptor.Accepted> first = send(request, key);
        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> kafka.history().size() == 1), "the send reached Kafka");
        kafka.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"));
        failure(first);
        assertEquals("1", chargedToday(), "kept");

        CompletableFuture<MessageAcceptor.Accepted> retry = send(request, key);
        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> kafka.history().size() == 2), "the retry was sent");
        kafka.completeNext();

        assertTrue(retry.get(5, TimeUnit.SECONDS).replayed(), "sent again as a replay, at once: the failed request let go of the key");
        assertEquals("1", chargedToday(), "one message, one charge");
    }

    @Test
    void aSingleSendWithTheKeyOfABatchMessageIsAnotherMessage() throws Exception {
        deviceWithADayQuota();
        String key = "order-" + System.nanoTime();
        CompletableFuture<MessageAcceptor.Accepted> inBatch = send(new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("message 0 of the batch"), null, null, null, null, null, null), IdempotencyKeys.ofBatchMessage(key, 0));
        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> kafka.history().size() == 1), "the batch message reached Kafka");
        kafka.completeNext();
        String batchMessage = inBatch.get(5, TimeUnit.SECONDS).messageId();

        CompletableFuture<MessageAcceptor.Accepted> single = send(new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("a message of its own"), null, null, null, null, null, null), key + "#0");
        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> kafka.history().size() == 2),
                "sent, not refused as a reused key");
        kafka.completeNext();
        MessageAcceptor.Accepted accepted = single.get(5, TimeUnit.SECONDS);

        assertNotEquals(batchMessage, accepted.messageId());
        assertFalse(accepted.replayed());
    }

    /** What an instance of the earlier version recorded and sent for a single send keyed {@code K#i}: the id of the key as it came. */
    private String acceptedByAnEarlierVersion(SendMessageRequest request, String key) throws Exception {
        // The earlier version derived a single send's id from its key as it came, as a batch message's still is.
        int before = kafka.history().size();
        CompletableFuture<MessageAcceptor.Accepted> earlier = send(request, new IdempotencyKeys.Key(key, true));
        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> kafka.history().size() == before + 1), "sent");
        kafka.completeNext();
        String id = earlier.get(5, TimeUnit.SECONDS).messageId();
        assertEquals(IdempotencyKeys.legacyMessageId(CALLER.keyId(), IdempotencyKeys.single(key)).orElseThrow(), id);
        return id;
    }

    @Test
    void aSingleSendAcceptedByAnEarlierVersionAndRetriedHereIsAnsweredAsItsReplayNotSentAgain() throws Exception {
        deviceWithADayQuota();
        String key = "order-" + System.nanoTime() + "#3";
        SendMessageRequest request = new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("accepted before the upgrade"), null, null, null, null, null, null);
        String earlier = acceptedByAnEarlierVersion(request, key);

        MessageAcceptor.Accepted retried = send(request, key).get(5, TimeUnit.SECONDS);

        assertEquals(earlier, retried.messageId());
        assertTrue(retried.replayed());
        assertEquals(1, kafka.history().size(), "sent once");
        assertEquals("1", chargedToday(), "charged once");
        String derivedNow = IdempotencyKeys.messageId(CALLER.keyId(), IdempotencyKeys.single(key));
        assertEquals(0L, redis.exists(RedisKeys.message(derivedNow)).get(5, TimeUnit.SECONDS), "nothing recorded under the new id");
    }

    @Test
    void anotherRequestWithTheKeyOfOneAnEarlierVersionAcceptedIsNotAnsweredAsItsReplay() throws Exception {
        deviceWithADayQuota();
        String key = "order-" + System.nanoTime() + "#0";
        String earlier = acceptedByAnEarlierVersion(new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("accepted before the upgrade"), null, null, null, null, null, null), key);

        CompletableFuture<MessageAcceptor.Accepted> other = send(new SendMessageRequest(new SendMessageRequest.To(device, null, null, null),
                TextNode.valueOf("another body"), null, null, null, null, null, null), key);
        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> kafka.history().size() == 2),
                "sent as a message of its own (it may as well be message 0 of the batch " + key + ")");
        kafka.completeNext();
        MessageAcceptor.Accepted accepted = other.get(5, TimeUnit.SECONDS);

        assertNotEquals(earlier, accepted.messageId());
        assertEquals(IdempotencyKeys.messageId(CALLER.keyId(), IdempotencyKeys.single(key)), accepted.messageId());
        assertFalse(accepted.replayed());
    }
}
