package io.tether.bench.scenario;

import io.tether.bench.measure.Latency;
import io.tether.bench.stack.Devices.Device;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One system under scenario 3's load: its connected receivers (their {@link Receipts}), how a backend sends it a
 * message, and what it answered (Tether: 202 to the REST call; mosquitto: PUBACK to the publisher).
 */
abstract class LiveSystem implements AutoCloseable {
    final Receipts receipts = new Receipts();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private volatile Latency answer = new Latency();

    /** "Tether" or "mosquitto". */
    abstract String name();

    /** How the backend sends, for the tables. */
    abstract String path();

    /** Sends {@code payload} to {@code device}, due at {@code dueNanos}; must not block. */
    abstract void send(Device device, byte[] payload, long dueNanos);

    /** The processes whose CPU a step reads, by name; the load generator is "bench". */
    abstract Map<String, Long> pids();

    /** The names among {@link #pids()} whose CPU is the system's. */
    abstract List<String> processes();

    /** Redis's port when the system has one (its command counters are read per step), else -1. */
    int redisPort() {
        return -1;
    }

    /** The Kafka broker's request counters by API now, when the system has a broker, else empty. */
    Map<String, Long> kafkaRequests() {
        return Map.of();
    }

    /** Starts counting a new step of run {@code run}, of up to {@code capacity} messages. */
    void begin(int run, long capacity) {
        receipts.begin(run, capacity);
        accepted.set(0);
        answered.set(0);
        errors.clear();
        answer = new Latency();
    }

    /** Records the answer to a message due at {@code dueNanos}: null error means accepted. */
    void answered(long dueNanos, String error) {
        answer.recordNanos(System.nanoTime() - dueNanos);
        if (error == null) {
            accepted.incrementAndGet();
        } else {
            Support.count(errors, error);
        }
        answered.incrementAndGet();
    }

    long accepted() {
        return accepted.get();
    }

    long answered() {
        return answered.get();
    }

    Latency answerLatency() {
        return answer;
    }

    String errors() {
        return errors.isEmpty() ? null : Support.reasons(errors);
    }
}
