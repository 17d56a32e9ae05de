package io.tether.bench.scenario;

import io.netty.buffer.Unpooled;
import io.tether.bench.mqtt.MqttConn;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * A backend's publisher connection: at most {@code window} QoS 1 publishes unacknowledged, the rest queued in order.
 * Everything runs on the connection's event loop.
 */
final class WindowedPublisher {
    private record Pending(String topic, byte[] payload, long dueNanos, IntConsumer acked) {
    }

    private final MqttConn conn;
    private final int window;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inflight;

    WindowedPublisher(MqttConn conn, int window) {
        this.conn = conn;
        this.window = window;
    }

    /** Publishes (or queues) a message; {@code acked} gets the PUBACK's reason code (0: success). */
    void send(String topic, byte[] payload, long dueNanos, IntConsumer acked) {
        conn.execute(() -> {
            queue.add(new Pending(topic, payload, dueNanos, acked));
            pump();
        });
    }

    private void pump() {
        while (inflight < window && !queue.isEmpty()) {
            Pending next = queue.poll();
            inflight++;
            conn.publish(next.topic(), Unpooled.wrappedBuffer(next.payload()), next.dueNanos(), (c, sent, code) -> {
                inflight--;
                next.acked().accept(code);
                pump();
            });
        }
    }
}
