package io.tether.fanout.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Receipt;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import io.tether.fanout.events.StatusEvents;
import io.tether.fanout.intake.DownstreamCodec;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.status.MessageRecords;
import io.tether.inbox.Inbox;
import io.tether.inbox.Pump;
import io.tether.runtime.tracing.MessagingSpans;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Which status and presence changes fanout reports for backends, given what the inbox script decided. */
class RouterEventsTest {
    private final FakeInbox inbox = new FakeInbox();
    private final List<String> events = new ArrayList<>();
    private final List<String> recorded = new ArrayList<>();
    private final StatusEvents recording = new StatusEvents() {
        @Override
        public CompletionStage<Void> status(String deviceId, String messageId, String status, String reason, String route) {
            events.add(deviceId + " " + messageId + " " + status + (reason == null ? "" : " " + reason));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> presence(PresenceEvent event, String stateAfter, String appState, String deletedDeviceApp) {
            events.add(event.deviceId() + " presence " + stateAfter + " " + appState + " epoch " + event.epoch()
                    + (deletedDeviceApp == null ? "" : " deleted, of " + deletedDeviceApp));
            return CompletableFuture.completedFuture(null);
        }
    };
    private final MessageRecords records = new MessageRecords() {
        @Override
        public long ttlSeconds(OutgoingMessage message, long nowMillis) {
            return 60;
        }

        @Override
        public CompletionStage<List<String>> devicesOfUser(String userId) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Void> record(OutgoingMessage message, List<String> deviceIds) {
            recorded.add(message.messageId() + " " + deviceIds);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<String>> expand(OutgoingMessage message) {
            return CompletableFuture.completedFuture(List.of("phone-1", "tv-1"));
        }
    };
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final Router router = new Router(inbox, new PushRequests(producer, MessagingSpans.off()),
            (device, at) -> CompletableFuture.completedFuture(null), records, producer, MessagingSpans.off(),
            new FanoutMetrics(new SimpleMeterRegistry()), recording);

    private static OutgoingMessage message(String id, Target target) {
        return new OutgoingMessage(id, target, "hi".getBytes(StandardCharsets.UTF_8), "text/plain", "messages", 1_000,
                System.currentTimeMillis() + 60_000, null, null, null);
    }

    private void route(OutgoingMessage message) {
        ProducerRecord<String, byte[]> record = DownstreamCodec.toRecord(message);
        ConsumerRecord<String, byte[]> in = new ConsumerRecord<>(record.topic(), 0, 0, record.key(), record.value());
        record.headers().forEach(h -> in.headers().add(h));
        router.route(in, Context.root()).toCompletableFuture().join();
    }

    @Test
    void aMessageThatWaitsIsReportedQueuedAndOneHandedOverAtOnceIsNot() {
        inbox.routes.add(new Inbox.Routed("queued", 1, null, 0, List.of(), false, new Pump.Hold("policy")));
        inbox.routes.add(new Inbox.Routed("queued", 1, null, 0, List.of(), true, new Pump.Live(1, 0)));
        route(message("m1", Target.device("d1")));
        route(message("m2", Target.device("d1")));
        assertEquals(List.of("d1 m1 queued"), events, "m2 went live: its next status comes from the gateway");
    }

    @Test
    void aMessageThatWaitsWhileOlderOnesAreHandedOverIsReportedQueued() {
        inbox.routes.add(new Inbox.Routed("queued", 12, null, 0, List.of(), false, new Pump.Live(3, 0)));
        route(message("m12", Target.device("d1")));
        assertEquals(List.of("d1 m12 queued"), events, "three older entries went out, m12 waits behind the window");
    }

    @Test
    void failuresAtRoutingOlderMessagesThatGaveWayAndExpiredOnesOnTheWayAreReported() {
        inbox.routes.add(new Inbox.Routed("failed", -1, "inbox-full", 0, List.of("m0"), false, new Pump.Hold("policy")));
        inbox.routes.add(new Inbox.Routed("queued", 1, null, 0, List.of(), true, new Pump.Live(1, 2, List.of("m7", "m8"))));
        route(message("m1", Target.device("d1")));
        route(message("m9", Target.device("d1")));
        assertEquals(List.of("d1 m1 failed inbox-full", "d1 m0 failed inbox-overflow", "d1 m7 expired ttl", "d1 m8 expired ttl"), events);
    }

    @Test
    void settledPresenceChangesAreReportedButNotRepeatsOrTheReceivingFlag() {
        inbox.presences.add(new Inbox.PresenceChange(true, "LIVE", "foreground", new Pump.Hold("not-receiving")));
        inbox.presences.add(new Inbox.PresenceChange(false, "LIVE", "foreground", new Pump.Hold("unchanged")));
        inbox.presences.add(new Inbox.PresenceChange(true, "LIVE", "foreground", new Pump.Hold("nothing-to-push")));
        for (PresenceEvent.Kind kind : List.of(PresenceEvent.Kind.CONNECTED, PresenceEvent.Kind.CONNECTED, PresenceEvent.Kind.RECEIVING)) {
            PresenceEvent event = new PresenceEvent("d1", "gw", 7, kind, null, 1);
            router.route(new ConsumerRecord<>(Topics.PRESENCE, 0, 0, "d1", Json.toBytes(event)), Context.root()).toCompletableFuture().join();
        }
        assertEquals(List.of("d1 presence LIVE foreground epoch 7"), events, "with the app state the script answered");
    }

    @Test
    void aDeletedDevicesLastOfflineIsReportedWithItsApp() {
        inbox.presences.add(new Inbox.PresenceChange(true, "OFFLINE", "foreground", new Pump.Hold("deleted"), "com.example.app"));
        PresenceEvent event = new PresenceEvent("d1", "gw", 7, PresenceEvent.Kind.DISCONNECTED, "revoked", 1);
        router.route(new ConsumerRecord<>(Topics.PRESENCE, 0, 0, "d1", Json.toBytes(event)), Context.root()).toCompletableFuture().join();
        assertEquals(List.of("d1 presence OFFLINE foreground epoch 7 deleted, of com.example.app"), events);
    }

    @Test
    void aPushAcceptedByApnsIsReported() {
        Receipt pushed = new Receipt("d1", "m1", 0, Receipt.Outcome.PUSHED, null, 1, "apns-1");
        router.route(new ConsumerRecord<>(Topics.RECEIPTS, 0, 0, "d1", Json.toBytes(pushed)), Context.root()).toCompletableFuture().join();
        assertEquals(List.of("d1 m1 pushed"), events);
    }

    @Test
    void aTopicMessageIsExpandedAndEachDevicesCopyKeepsTheTopicItIsDeliveredOn() {
        route(message("m1", new Target(null, null, null, "news/sports")));
        assertEquals(List.of("m1 [phone-1, tv-1]"), recorded);
        assertEquals(List.of("phone-1", "tv-1"), producer.history().stream().map(ProducerRecord::key).toList());
        for (ProducerRecord<String, byte[]> copy : producer.history()) {
            ConsumerRecord<String, byte[]> in = new ConsumerRecord<>(copy.topic(), 0, 0, copy.key(), copy.value());
            copy.headers().forEach(h -> in.headers().add(h));
            OutgoingMessage perDevice = DownstreamCodec.fromRecord(in);
            assertEquals(copy.key(), perDevice.target().device());
            assertEquals("news/sports", perDevice.mqttTopic(copy.key()), "delivered on the topic, not under devices/<id>/");
        }
        assertTrue(events.isEmpty(), "the copies are routed, and reported, by their device's partition owner");
    }
}
