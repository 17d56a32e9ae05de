package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.tether.gateway.delivery.Delivery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-connection delivery window, without sockets: a fake connection records what the window does. */
class DeliveryWindowTest {
    private static final long DEADLINE = 2_000;

    /** What the window asked of the connection, and hand-operated timers. */
    private static final class FakeLink implements DeliveryWindow.Link {
        final List<String> published = new ArrayList<>();
        final Map<Integer, String> packetIds = new LinkedHashMap<>();
        /** Each PUBLISH as "message id/packet id/dup", in order. */
        final List<String> packets = new ArrayList<>();
        final List<String> settled = new ArrayList<>();
        final Map<Long, Runnable> timers = new LinkedHashMap<>();
        final List<Long> delays = new ArrayList<>();
        final List<String> topics = new ArrayList<>(List.of("devices/d1/messages"));
        final List<String> qos0Topics = new ArrayList<>();
        final List<String> tooLarge = new ArrayList<>();
        int deaf;
        int responsive;
        boolean readingHeld;
        long readingResumedAt;
        private long nextTimer;

        @Override
        public boolean readingHeld() {
            return readingHeld;
        }

        @Override
        public long readingResumedAt() {
            return readingResumedAt;
        }

        @Override
        public boolean publish(Delivery delivery, int packetId, boolean dup, Span span) {
            if (tooLarge.contains(delivery.messageId())) {
                return false;
            }
            published.add(delivery.messageId());
            packetIds.put(packetId, delivery.messageId());
            packets.add(delivery.messageId() + "/" + packetId + "/" + (dup ? "dup" : "new"));
            return true;
        }

        @Override
        public int qos(String topic) {
            return qos0Topics.contains(topic) ? 0 : 1;
        }

        @Override
        public Span startSpan(Delivery delivery, int packetId) {
            return Span.getInvalid();
        }

        @Override
        public boolean subscribed(String topic) {
            return topics.contains(topic);
        }

        @Override
        public long setTimer(long delayMillis, Runnable action) {
            delays.add(delayMillis);
            timers.put(++nextTimer, action);
            return nextTimer;
        }

        @Override
        public void cancelTimer(long id) {
            timers.remove(id);
        }

        @Override
        public void settled(Delivery delivery, DeliveryWindow.Outcome outcome, String reason, long ackNanos) {
            settled.add(delivery.messageId() + ":" + outcome + (reason == null ? "" : ":" + reason));
        }

        @Override
        public void deaf(long deadlineMillis) {
            deaf++;
        }

        @Override
        public void responsive() {
            responsive++;
        }

        int packetOf(String messageId) {
            return packetIds.entrySet().stream().filter(e -> e.getValue().equals(messageId)).findFirst().orElseThrow().getKey();
        }

        /** Fires every timer armed so far (the deadline passed). */
        void fireAll() {
            new ArrayList<>(timers.values()).forEach(Runnable::run);
        }
    }

    private final FakeLink link = new FakeLink();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final DeliveryWindow window = new DeliveryWindow(link, 2, DEADLINE, now::get);

    private Delivery delivery(String id) {
        return delivery(id, "devices/d1/messages", 0);
    }

    private Delivery delivery(String id, String topic, long expiresAt) {
        return new Delivery("d1", id, 7, topic, new byte[0], null, 0, expiresAt, Context.root(), null);
    }

    @Test
    void aQos0SubscriptionGetsItsDeliveriesSentOnceWithoutPacketIdAndSettledDeliveredWithoutWaiting() {
        link.qos0Topics.add("devices/d1/messages");

        window.offer(delivery("m1"));
        window.offer(delivery("m2"));
        window.offer(delivery("m3"));

        assertEquals(List.of("m1", "m2", "m3"), link.published, "no window: nothing to wait for");
        assertEquals(Set.of(0), link.packetIds.keySet(), "QoS 0 has no packet id");
        assertEquals(List.of("m1:DELIVERED", "m2:DELIVERED", "m3:DELIVERED"), link.settled);
        assertEquals(0, window.inFlight());
        assertTrue(link.timers.isEmpty(), "no ack deadline: a QoS 0 subscriber cannot be found deaf");
    }

    @Test
    void aDeliveryLargerThanTheClientTakesIsFailedAndTakesNoRoomInTheWindow() {
        link.tooLarge.add("big");

        window.offer(delivery("big"));
        window.offer(delivery("m2"));

        assertEquals(List.of("big:TOO_LARGE:packet-too-large"), link.settled);
        assertEquals(List.of("m2"), link.published);
        assertEquals(1, window.inFlight());
        assertEquals(1, link.timers.size(), "only m2's ack deadline is armed");
    }

    @Test
    void sendsUpToTheWindowAndTheRestInOrderAsAcknowledgementsComeBack() {
        for (String id : List.of("m1", "m2", "m3", "m4")) {
            window.offer(delivery(id));
        }
        assertEquals(List.of("m1", "m2"), link.published, "two in flight at most");

        window.onPubAck(link.packetOf("m1"), 0);
        assertEquals(List.of("m1", "m2", "m3"), link.published);
        assertEquals(List.of("m1:DELIVERED"), link.settled);

        window.onPubAck(link.packetOf("m3"), 0);
        window.onPubAck(link.packetOf("m2"), 0);
        assertEquals(List.of("m1", "m2", "m3", "m4"), link.published);
        assertEquals(List.of("m1:DELIVERED", "m3:DELIVERED", "m2:DELIVERED"), link.settled);
    }

    @Test
    void aDeliveryGoesWithItsOwnPacketIdAndWithDupWhenItMayHaveBeenSentBefore() {
        window.offer(numbered("m1", 41, true));
        window.offer(numbered("m2", 42, false));
        assertEquals(List.of("m1/41/dup", "m2/42/new"), link.packets, "a redelivery keeps its identifier, as MQTT asks");

        window.onPubAck(41, 0);
        assertEquals(List.of("m1:DELIVERED"), link.settled, "the PUBACK names the delivery by that identifier");
    }

    @Test
    void aDeliveryWhosePacketIdIsInFlightTakesAnotherAndIsThenANewPublish() {
        window.offer(numbered("m1", 5, false));
        window.offer(numbered("m2", 5, true)); // 65535 entries apart in the inbox

        assertEquals(List.of("m1/5/new", "m2/1/new"), link.packets, "another identifier: a new PUBLISH, DUP 0");
        window.onPubAck(1, 0);
        window.onPubAck(5, 0);
        assertEquals(List.of("m2:DELIVERED", "m1:DELIVERED"), link.settled);
    }

    @Test
    void aQos0DeliveryNeverHasDupSet() {
        link.qos0Topics.add("devices/d1/messages");
        window.offer(numbered("m1", 9, true));
        assertEquals(List.of("m1/0/new"), link.packets, "DUP is 0 for QoS 0 [MQTT-3.3.1-2]");
    }

    private static Delivery numbered(String id, int packetId, boolean sentBefore) {
        return new Delivery("d1", id, 7, "devices/d1/messages", new byte[0], null, 0, 0, Context.root(), null, packetId, sentBefore);
    }

    @Test
    void aRefusingPubackSettlesTheDeliveryAsRefusedWithItsReasonCode() {
        window.offer(delivery("m1"));
        window.onPubAck(link.packetOf("m1"), 0x87);
        assertEquals(List.of("m1:REFUSED:puback-0x87"), link.settled);
    }

    @Test
    void aDeliveryAlreadyInHandIsNotTakenTwice() {
        window.offer(delivery("m1"));
        window.offer(delivery("m1")); // handed over again after a resync
        assertEquals(List.of("m1"), link.published);
        window.onPubAck(link.packetOf("m1"), 0);
        window.offer(delivery("m1")); // acknowledged already: a new hand-over would be a new delivery attempt
        assertEquals(List.of("m1", "m1"), link.published);
    }

    @Test
    void noDeadlinePassesWhileTheConnectionsReadingIsHeldNorWithinAFullOneAfterItResumed() {
        window.offer(delivery("m1"));
        link.readingHeld = true; // MQTT 3.1.1 back-pressure: its PUBACK may be unread in the socket
        link.fireAll();
        assertEquals(0, link.deaf);
        assertEquals(DEADLINE, link.delays.get(link.delays.size() - 1), "held: a full deadline again");

        link.readingHeld = false;
        link.readingResumedAt = now.get() - 500; // resumed just before the re-armed deadline came
        link.fireAll();
        assertEquals(0, link.deaf);
        assertEquals(DEADLINE - 500, link.delays.get(link.delays.size() - 1), "a full deadline from the resume");

        now.addAndGet(DEADLINE);
        link.fireAll();
        assertEquals(1, link.deaf, "read again for a full deadline and still no PUBACK: deaf");
    }

    @Test
    void noPubackWithinTheDeadlineReportsTheDeviceDeafOnceAndALatePubackMakesItResponsive() {
        window.offer(delivery("m1"));
        window.offer(delivery("m2"));
        link.fireAll();
        assertEquals(1, link.deaf, "one report for the connection, not one per delivery");
        assertTrue(link.settled.isEmpty(), "a delivery stays in flight past the deadline: a late PUBACK still counts");

        window.onPubAck(link.packetOf("m1"), 0);
        assertEquals(1, link.responsive);
        assertEquals(List.of("m1:DELIVERED"), link.settled);
    }

    @Test
    void theAckDeadlineCountsFromAcceptanceButLeavesTheDeviceAtLeastThreeQuartersOfIt() {
        long t = now.get();
        window.offer(accepted("fresh", t - 40));
        window.offer(accepted("old", t - 60_000));
        assertEquals(List.of(DEADLINE - 40, DEADLINE * 3 / 4), link.delays,
                "accepted 40 ms ago: deaf at acceptance + deadline; an old inbox message still gets 3/4 of the deadline");
        assertEquals(DEADLINE, window.ackDelay(accepted("ahead", t + 500), t), "a fanout clock ahead of ours: no more than the deadline");
        assertEquals(DEADLINE, window.ackDelay(accepted("unknown", 0), t), "acceptance unknown: the whole deadline from the write");
    }

    private static Delivery accepted(String id, long acceptedAt) {
        return new Delivery("d1", id, 7, "devices/d1/messages", new byte[0], null, acceptedAt, 0, Context.root(), null);
    }

    @Test
    void anExpiredDeliveryIsSettledExpiredAndNeverPublished() {
        window.offer(delivery("old", "devices/d1/messages", now.get() - 1));
        assertTrue(link.published.isEmpty());
        assertEquals(List.of("old:EXPIRED:ttl"), link.settled);
    }

    @Test
    void aDeliveryThatExpiresWhileWaitingForRoomIsSettledExpiredInsteadOfSentLate() {
        window.offer(delivery("m1"));
        window.offer(delivery("m2"));
        window.offer(delivery("soon", "devices/d1/messages", now.get() + 1_000));
        now.addAndGet(5_000);
        window.onPubAck(link.packetOf("m1"), 0);
        assertEquals(List.of("m1", "m2"), link.published);
        assertEquals(List.of("m1:DELIVERED", "soon:EXPIRED:ttl"), link.settled);
    }

    @Test
    void aDeliveryToATopicNotSubscribedYetWaitsForTheSubscribeAndGoesOutWhenItComes() {
        window.offer(delivery("chat-1", "devices/d1/chat", 0));
        assertTrue(link.published.isEmpty());

        link.topics.add("devices/d1/chat");
        window.subscriptionsChanged();
        assertEquals(List.of("chat-1"), link.published);
    }

    @Test
    void deliveriesWaitingForTheSubscribeGoOutInTheOrderTheyCameWhenItComes() {
        // Enough of them that an order of the map's own (a Delivery's hash is its byte[]'s identity) would show.
        DeliveryWindow wide = new DeliveryWindow(link, 32, DEADLINE, now::get);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("chat-" + i);
            wide.offer(delivery("chat-" + i, "devices/d1/chat", 0));
        }
        assertTrue(link.published.isEmpty());

        link.topics.add("devices/d1/chat");
        wide.subscriptionsChanged();
        assertEquals(ids, link.published);
    }

    @Test
    void aDeliveryToATopicNeverSubscribedIsRefusedAfterTheDeadline() {
        window.offer(delivery("chat-1", "devices/d1/chat", 0));
        link.fireAll();
        assertEquals(List.of("chat-1:NOT_SUBSCRIBED:no-subscription"), link.settled);
        assertTrue(link.published.isEmpty());
    }

    @Test
    void closingDropsWhatIsPendingAndSettlesNothing() {
        for (String id : List.of("m1", "m2", "m3")) {
            window.offer(delivery(id));
        }
        window.close("closed");
        window.offer(delivery("m4"));
        assertEquals(List.of("m1", "m2"), link.published);
        assertTrue(link.settled.isEmpty(), "unacknowledged deliveries stay in the inbox for the next connection");
        assertTrue(link.timers.isEmpty(), "no ack deadline outlives the connection");
    }
}
