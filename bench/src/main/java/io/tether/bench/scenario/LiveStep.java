package io.tether.bench.scenario;

import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.Latency;
import io.tether.bench.measure.RedisStats;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rate of scenario 3 on one system.
 *
 * @param answer  Tether: from due time to the 202 answer; mosquitto: from due time to the publisher's PUBACK
 * @param cpu     CPU of the system's processes and the load generator over the send and drain time (null if skipped)
 * @param redis   Redis command counters' change over the same time (empty without Redis)
 * @param grown   what Redis's dataset grew by over the same time (null without Redis, or unread)
 * @param kafka   the Kafka broker's requests by API over the same time (empty without a broker, or unread)
 * @param status  null when the step ran as planned; otherwise why not (overloaded, skipped)
 */
record LiveStep(int rate, long sent, long accepted, double sendSeconds, long received, long duplicates, Latency.Summary latency,
        Latency.Summary answer, CpuMeter.Use cpu, List<String> processes, Map<String, RedisStats.Command> redis,
        RedisStats.Dataset grown, Map<String, Long> kafka, String errors, String status) {

    /** How the broker counts each fetch a second time, by who fetched. */
    private static final Set<String> FETCH_KINDS = Set.of("FetchConsumer", "FetchFollower");

    static LiveStep skipped(int rate, String why) {
        Latency.Summary none = new Latency().summary();
        return new LiveStep(rate, 0, 0, 1, 0, 0, none, none, null, List.of(), Map.of(), null, Map.of(), null, why);
    }

    /** Fell behind, or did not deliver in time: the higher rates are not worth running. */
    boolean overloaded() {
        return status != null && (status.startsWith("overloaded") || status.startsWith("skipped"));
    }

    /** Every message arrived, but some answers (202, PUBACK) were more than 20 s late. */
    boolean stalled() {
        return status != null && status.startsWith("stalled");
    }

    long lost() {
        return accepted - received;
    }

    double achievedRate() {
        return sent / sendSeconds;
    }

    /** CPU µs per received message of the named processes; NaN when nothing was received or nothing measured. */
    double micros(List<String> names) {
        return cpu == null || received == 0 ? Double.NaN : cpu.sum(names) / received * 1e6;
    }

    /** CPU µs per received message of all of the system's processes. */
    double systemMicros() {
        return micros(processes);
    }

    double jitMicros() {
        return cpu == null || received == 0 ? Double.NaN : cpu.jitOf(processes) / received * 1e6;
    }

    double gcMicros() {
        return cpu == null || received == 0 ? Double.NaN : cpu.gcOf(processes) / received * 1e6;
    }

    /** Redis calls of one command per received message. */
    double redisCallsPerMessage(String command) {
        RedisStats.Command c = redis.get(command);
        return c == null || received == 0 ? Double.NaN : (double) c.calls() / received;
    }

    /**
     * Kafka requests of one API per received message; {@code all} sums every API, counting a fetch once (the broker
     * also counts each fetch as FetchConsumer or FetchFollower).
     */
    double kafkaRequestsPerMessage(String api) {
        if (received == 0 || kafka.isEmpty()) {
            return Double.NaN;
        }
        long n = api.equals("all")
                ? kafka.entrySet().stream().filter(e -> !FETCH_KINDS.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum()
                : kafka.getOrDefault(api, 0L);
        return (double) n / received;
    }

    /** Keys Redis gained per received message: what a message leaves behind once delivered (statuses, records). */
    double redisKeysPerMessage() {
        return grown == null || received == 0 ? Double.NaN : (double) grown.keys() / received;
    }

    /** Bytes of Redis's {@code used_memory} gained per received message. */
    double redisBytesPerMessage() {
        return grown == null || received == 0 ? Double.NaN : (double) grown.usedMemory() / received;
    }

    double redisCallsPerMessage() {
        long calls = redis.values().stream().mapToLong(RedisStats.Command::calls).sum();
        return received == 0 || redis.isEmpty() ? Double.NaN : (double) calls / received;
    }
}
