package io.tether.fanout.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.tether.contract.Json;
import io.tether.contract.MessageProperties;
import io.tether.contract.PresenceEvent;
import io.tether.contract.PushRequest;
import io.tether.contract.Receipt;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import io.tether.fanout.events.StatusEvents;
import io.tether.fanout.intake.DownstreamCodec;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.status.MessageRecords;
import io.tether.inbox.Inbox;
import io.tether.inbox.InboxEntry;
import io.tether.inbox.InboxSettings;
import io.tether.inbox.Pump;
import io.tether.runtime.tracing.MessagingSpans;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What fanout does with each record, given what the inbox script decided (a fake inbox stands in for Redis). */
class RouterTest {
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final FakeInbox inbox = new FakeInbox();
    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final List<String> indexed = new ArrayList<>();
    private final List<String> recorded = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MessageRecords records = new MessageRecords() {
        @Override
        public long ttlSeconds(OutgoingMessage message, long nowMillis) {
            return 60;
        }

        @Override
        public CompletionStage<List<String>> devicesOfUser(String userId) {
            return CompletableFuture.completedFuture(List.of("phone-1", "watch-1"));
        }

        @Override
        public CompletionStage<Void> record(OutgoingMessage message, List<String> deviceIds) {
            recorded.add(message.messageId() + " " + deviceIds);
            return CompletableFuture.completedFuture(null);
        }
    };
    private final Router router = new Router(inbox, new PushRequests(producer, MessagingSpans.off()), (device, at) -> {
        indexed.add(device + "@" + at);
        return CompletableFuture.completedFuture(null);
    }, records, producer, MessagingSpans.off(), new FanoutMetrics(registry));

    private static OutgoingMessage message(String id, Target target) {
        return new OutgoingMessage(id, target, "hello".getBytes(StandardCharsets.UTF_8), "text/plain", "messages", 1_000,
                System.currentTimeMillis() + 60_000, null, "{\"alert\":\"hi\"}", TRACEPARENT);
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record) {
        ConsumerRecord<String, byte[]> in = new ConsumerRecord<>(record.topic(), 0, 0, record.key(), record.value());
        record.headers().forEach(h -> in.headers().add(h));
        return in;
    }

    private CompletionStage<Void> route(OutgoingMessage message) {
        return router.route(consumed(DownstreamCodec.toRecord(message)), Context.root());
    }

    private static InboxEntry entry(String id) {
        return new InboxEntry(id, "devices/d1/messages", new byte[0], null, 1, System.currentTimeMillis() + 60_000, 0, null,
                "{\"alert\":\"hi\"}", TRACEPARENT);
    }

    private double counter(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aMessageForADeviceIsOneInboxCallCarryingItsTopicAndTraceAndLiveEntriesNeedNothingMore() {
        inbox.routes.add(new Inbox.Routed("queued", 1, null, 0, List.of(), true, new Pump.Live(1, 0)));

        route(message("m1", Target.device("d1"))).toCompletableFuture().join();

        assertEquals(List.of("route d1 m1"), inbox.calls);
        assertEquals("devices/d1/messages", inbox.routed.get(0).mqttTopic());
        assertEquals(TRACEPARENT, inbox.routed.get(0).traceparent(), "with tracing off the backend's traceparent travels on");
        assertTrue(producer.history().isEmpty(), "the script handed it to the gateway; nothing goes to Kafka");
        assertEquals(1, counter("tether.messages.routed", "route", "live"));
        assertTrue(indexed.isEmpty());
    }

    @Test
    void theMessagesMqttPropertiesGoIntoItsInboxEntry() {
        inbox.routes.add(new Inbox.Routed("queued", 1, null, 0, List.of(), true, new Pump.Live(1, 0)));
        MessageProperties properties = new MessageProperties(List.of(new MessageProperties.UserProperty("k", "v")), "devices/d1/re",
                new byte[] {7});
        OutgoingMessage plain = message("m1", Target.device("d1"));
        OutgoingMessage withProperties = new OutgoingMessage(plain.messageId(), plain.target(), plain.payload(), plain.contentType(),
                plain.subtopic(), plain.acceptedAt(), plain.expiresAt(), plain.collapseKey(), plain.push(), plain.traceparent(), properties);

        route(withProperties).toCompletableFuture().join();

        assertEquals(properties, inbox.routed.get(0).properties());
    }

    @Test
    void whenTheScriptSaysSoTheDeviceGoesIntoTheExpiryIndexBeforeTheRecordCounts() {
        inbox.routes.add(new Inbox.Routed("queued", 1, null, 123_456, List.of(), false, new Pump.Hold("policy")));
        route(message("m1", Target.device("d1"))).toCompletableFuture().join();
        assertEquals(List.of("d1@123456"), indexed);
    }

    @Test
    void pushCandidatesAreWrittenToKafkaAndOnlyThenConfirmed() {
        inbox.routes.add(new Inbox.Routed("queued", 2, null, 0, List.of(),
                false, new Pump.Push("deaf", "0", "2", "0", 2, List.of(entry("m1"), entry("m2")))));

        CompletableFuture<Void> done = route(message("m2", Target.device("d1"))).toCompletableFuture();
        assertEquals(2, producer.history().size());
        assertTrue(inbox.calls.stream().noneMatch(c -> c.startsWith("confirmPush")), "not confirmed before Kafka has the requests");

        producer.completeNext();
        producer.completeNext();
        done.join();
        assertEquals("confirmPush d1 2", inbox.calls.get(inbox.calls.size() - 1));
        for (ProducerRecord<String, byte[]> sent : producer.history()) {
            assertEquals(Topics.PUSH, sent.topic());
            assertEquals("d1", sent.key());
            assertEquals("deaf", Json.fromBytes(sent.value(), PushRequest.class).reason());
        }
        assertEquals(2, counter("tether.fallbacks", "reason", "deaf"));
    }

    @Test
    void aFailedPushWriteIsNotConfirmedSoTheCandidatesAreOfferedAgain() {
        inbox.routes.add(new Inbox.Routed("queued", 1, null, 0, List.of(), false, new Pump.Push("offline", "0", "1", "0", 1, List.of(entry("m1")))));
        CompletableFuture<Void> done = route(message("m1", Target.device("d1"))).toCompletableFuture();
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("kafka away"));
        assertThrows(Exception.class, done::join);
        assertTrue(inbox.calls.stream().noneMatch(c -> c.startsWith("confirmPush")));
    }

    @Test
    void aFullBatchOfCandidatesIsFollowedByALookBehindIt() {
        List<InboxEntry> batch = IntStream.range(0, 3).mapToObj(i -> entry("m" + i)).toList();
        inbox.routes.add(new Inbox.Routed("queued", 300, null, 0, List.of(),
                false, new Pump.Push("offline", "0", "200", "0", InboxSettings.PUSH_BATCH, batch)));
        inbox.pumps.add(new Pump.Push("offline", "200", "201", "0", 1, List.of(entry("m200"))));
        MockProducer<String, byte[]> sent = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Router auto = new Router(inbox, new PushRequests(sent, MessagingSpans.off()), (d, at) -> CompletableFuture.completedFuture(null),
                records, sent, MessagingSpans.off(), new FanoutMetrics(registry));

        auto.route(consumed(DownstreamCodec.toRecord(message("m300", Target.device("d1")))), Context.root()).toCompletableFuture().join();

        assertEquals(List.of("route d1 m300", "confirmPush d1 200", "pump d1", "confirmPush d1 201"), inbox.calls,
                "a batch that filled the limit is followed by the next one, until one is not full");
        assertEquals(4, sent.history().size());
    }

    @Test
    void aPresenceChangeMovesTheInboxAlongAndAnUnchangedOneDoesNothing() {
        PresenceEvent deaf = new PresenceEvent("d1", "gw", 5, PresenceEvent.Kind.ACK_TIMEOUT, null, 1);
        inbox.presences.add(new Inbox.PresenceChange(true, "SUSPECT", "foreground",
                new Pump.Push("deaf", "0", "1", "0", 1, List.of(entry("m1")))));
        inbox.presences.add(new Inbox.PresenceChange(false, "SUSPECT", "foreground", new Pump.Hold("unchanged")));
        MockProducer<String, byte[]> sent = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Router auto = new Router(inbox, new PushRequests(sent, MessagingSpans.off()), (d, at) -> CompletableFuture.completedFuture(null),
                records, sent, MessagingSpans.off(), new FanoutMetrics(registry));

        auto.route(new ConsumerRecord<>(Topics.PRESENCE, 0, 0, "d1", Json.toBytes(deaf)), Context.root()).toCompletableFuture().join();
        auto.route(new ConsumerRecord<>(Topics.PRESENCE, 0, 1, "d1", Json.toBytes(deaf)), Context.root()).toCompletableFuture().join();

        assertEquals(1, sent.history().size(), "one push for the change, none for the repeat");
        assertEquals(1, counter("tether.presence.transitions", "state", "SUSPECT"));
    }

    @Test
    void aDeafDevicesPushLeavesWithoutWaitingForThePresenceEventButTheRecordIsDoneOnlyOnceBothAreDurable() {
        PresenceEvent deaf = new PresenceEvent("d1", "gw", 5, PresenceEvent.Kind.ACK_TIMEOUT, null, 1);
        inbox.presences.add(new Inbox.PresenceChange(true, "SUSPECT", "foreground",
                new Pump.Push("deaf", "0", "1", "0", 1, List.of(entry("m1")))));
        CompletableFuture<Void> presenceWritten = new CompletableFuture<>();
        StatusEvents slowEvents = new StatusEvents() {
            @Override
            public CompletionStage<Void> status(String deviceId, String messageId, String status, String reason, String route) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> presence(PresenceEvent event, String stateAfter, String appState, String deletedDeviceApp) {
                return presenceWritten;
            }
        };
        MockProducer<String, byte[]> sent = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Router auto = new Router(inbox, new PushRequests(sent, MessagingSpans.off()), (d, at) -> CompletableFuture.completedFuture(null),
                records, sent, MessagingSpans.off(), new FanoutMetrics(registry), slowEvents);

        CompletableFuture<Void> done = auto.route(new ConsumerRecord<>(Topics.PRESENCE, 0, 0, "d1", Json.toBytes(deaf)), Context.root())
                .toCompletableFuture();

        assertEquals(List.of(Topics.PUSH), sent.history().stream().map(ProducerRecord::topic).toList(),
                "the push request is written while the presence event is still on its way");
        assertFalse(done.isDone(), "the record is not done (its offset not committed) before the presence event is durable");
        presenceWritten.complete(null);
        done.join();
    }

    @Test
    void pushOutcomesFromPushServiceReachTheInbox() {
        Receipt pushed = new Receipt("d1", "m1", 0, Receipt.Outcome.PUSHED, null, 1, "apns-1");
        Receipt failed = new Receipt("d1", "m2", 0, Receipt.Outcome.PUSH_FAILED, "BadDeviceToken", 1, null);
        router.route(new ConsumerRecord<>(Topics.RECEIPTS, 0, 0, "d1", Json.toBytes(pushed)), Context.root()).toCompletableFuture().join();
        router.route(new ConsumerRecord<>(Topics.RECEIPTS, 0, 1, "d1", Json.toBytes(failed)), Context.root()).toCompletableFuture().join();
        assertEquals(List.of("pushed d1 m1 apns-1", "pushFailed d1 m2 BadDeviceToken"), inbox.calls);
    }

    @Test
    void aMessageForAUserIsRecordedForItsDevicesAndFannedOutOneRecordPerDevice() {
        MockProducer<String, byte[]> sent = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Router auto = new Router(inbox, new PushRequests(sent, MessagingSpans.off()), (d, at) -> CompletableFuture.completedFuture(null),
                records, sent, MessagingSpans.off(), new FanoutMetrics(registry));

        auto.route(consumed(DownstreamCodec.toRecord(message("m1", new Target(null, null, "u1", null)))), Context.root()).toCompletableFuture().join();

        assertEquals(List.of("m1 [phone-1, watch-1]"), recorded);
        assertEquals(List.of("phone-1", "watch-1"), sent.history().stream().map(ProducerRecord::key).toList());
        assertTrue(sent.history().stream().allMatch(r -> r.topic().equals(Topics.DOWNSTREAM)));
        assertTrue(inbox.calls.isEmpty(), "each device's own record is routed by the owner of its partition");
    }

    @Test
    void aVoipCallOrALiveActivityEventGoesStraightToPushAndNeverIntoTheInbox() {
        MockProducer<String, byte[]> sent = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Router auto = new Router(inbox, new PushRequests(sent, MessagingSpans.off()), (d, at) -> CompletableFuture.completedFuture(null),
                records, sent, MessagingSpans.off(), new FanoutMetrics(registry));
        OutgoingMessage call = new OutgoingMessage("m1", Target.device("d1"), "{}".getBytes(StandardCharsets.UTF_8), "application/json",
                "messages", 1_000, System.currentTimeMillis() + 60_000, null, "{\"pushType\":\"voip\"}", null);

        auto.route(consumed(DownstreamCodec.toRecord(call)), Context.root()).toCompletableFuture().join();

        assertEquals(List.of("direct d1 m1"), inbox.calls, "recorded as a push, not queued");
        assertEquals(1, sent.history().size());
        assertEquals(Topics.PUSH, sent.history().get(0).topic());
        assertEquals("direct", Json.fromBytes(sent.history().get(0).value(), PushRequest.class).reason());
    }

    @Test
    void aRecordThatCanNeverBeRoutedIsRefusedAsPermanent() {
        assertThrows(IllegalArgumentException.class,
                () -> router.route(new ConsumerRecord<>("tether.other", 0, 0, "d1", new byte[0]), Context.root()));
        ConsumerRecord<String, byte[]> headerless = new ConsumerRecord<>(Topics.DOWNSTREAM, 0, 0, "d1", new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> router.route(headerless, Context.root()));
    }
}
