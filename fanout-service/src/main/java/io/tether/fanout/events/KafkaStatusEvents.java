package io.tether.fanout.events;

import io.tether.contract.EventRecords;
import io.tether.contract.PresenceEvent;
import io.tether.contract.TetherEvent;
import io.tether.runtime.kafka.KafkaSend;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * Writes {@link TetherEvent}s to {@code tether.events} with fanout's durable producer, after the Redis write that
 * made the change (the caller's order). A crash between the two loses that one event (the status itself is in Redis
 * and readable); a record routed again after a crash writes its event again under the same id.
 */
public final class KafkaStatusEvents implements StatusEvents {
    private final Producer<String, byte[]> producer;
    private final LongSupplier clock;

    public KafkaStatusEvents(Producer<String, byte[]> producer, LongSupplier clock) {
        this.producer = producer;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> status(String deviceId, String messageId, String status, String reason, String route) {
        return KafkaSend.send(producer, EventRecords.of(TetherEvent.status(deviceId, messageId, status, reason, route, clock.getAsLong())));
    }

    @Override
    public CompletionStage<Void> presence(PresenceEvent event, String stateAfter, String appState, String deletedDeviceApp) {
        TetherEvent presence = TetherEvent.presence(event.deviceId(), stateAfter, appState, event.at(), event.gatewayId(), event.epoch());
        return KafkaSend.send(producer, EventRecords.of(deletedDeviceApp == null ? presence : presence.withAppId(deletedDeviceApp)));
    }
}
