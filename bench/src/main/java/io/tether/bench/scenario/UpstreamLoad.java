package io.tether.bench.scenario;

import io.tether.bench.measure.Latency;
import io.tether.bench.mqtt.MqttConn;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Scenario 1's load: every connection publishes QoS 1 messages upstream, keeping a window awaiting PUBACK. */
final class UpstreamLoad {
    private UpstreamLoad() {
    }

    /**
     * Each connection publishes {@code count} messages keeping {@code window} in flight; after {@code deadline} no new
     * publish starts. Returns when every publish sent is acknowledged.
     */
    static void publishAll(List<MqttConn> conns, int count, int window, int payloadBytes, Latency latency, String what,
            Duration deadline) throws InterruptedException {
        if (count == 0) {
            return;
        }
        long stopAt = System.nanoTime() + deadline.toNanos();
        CountDownLatch done = new CountDownLatch(conns.size());
        AtomicLong failed = new AtomicLong();
        byte[] payload = Support.payload("{\"bench\":\"upstream\"}", payloadBytes);
        for (MqttConn conn : conns) {
            String topic = "devices/" + conn.clientId() + "/telemetry";
            int[] sent = {0};
            int[] acked = {0};
            boolean[] finished = {false};
            MqttConn.Acked[] onAck = new MqttConn.Acked[1];
            onAck[0] = (c, sentNanos, code) -> {
                if (finished[0]) {
                    return;
                }
                if (code != 0) {
                    failed.incrementAndGet();
                    finished[0] = true;
                    done.countDown();
                    return;
                }
                long now = System.nanoTime();
                if (latency != null) {
                    latency.recordNanos(now - sentNanos);
                }
                acked[0]++;
                boolean stopping = now - stopAt > 0;
                if (sent[0] < count && !stopping) {
                    sent[0]++;
                    c.publish(topic, Support.buffer(payload), onAck[0]);
                }
                if (acked[0] == sent[0]) {
                    finished[0] = true;
                    done.countDown();
                }
            };
            conn.execute(() -> {
                for (int i = 0; i < Math.min(window, count); i++) {
                    sent[0]++;
                    conn.publish(topic, Support.buffer(payload), onAck[0]);
                }
            });
        }
        if (!done.await(deadline.toSeconds() + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(what + ": " + done.getCount() + " publishers still wait for PUBACKs 2 minutes after "
                    + "the deadline");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(what + ": " + failed.get() + " publishers lost their connection before every PUBACK came");
        }
    }
}
