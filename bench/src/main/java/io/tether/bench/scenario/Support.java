package io.tether.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tether.bench.BenchContext;
import io.tether.bench.measure.RedisPipe;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.stack.Await;
import io.tether.bench.stack.Devices.Device;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Helpers the scenarios share. */
final class Support {
    private Support() {
    }

    /** {@code size} bytes starting with {@code prefix}, padded with '.', as text. */
    static byte[] payload(String prefix, int size) {
        byte[] bytes = new byte[Math.max(size, prefix.length())];
        Arrays.fill(bytes, (byte) '.');
        byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    static ByteBuf buffer(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    /** "reason ×count, …" of a failure map. */
    static String reasons(Map<String, AtomicLong> failures) {
        return failures.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue().get()).collect(Collectors.joining(", "));
    }

    /** Connects with the bulk connector and insists every connection came up. */
    static MqttClients.Bulk connectAllOrFail(BenchContext ctx, String what, List<io.tether.bench.mqtt.ConnectSpec> specs,
            int concurrency, int retries, MqttConn.Listener listener) throws Exception {
        MqttClients.Bulk bulk = ctx.mqtt.connectAll(specs, concurrency, retries, s -> listener).get();
        if (bulk.failed() > 0) {
            MqttClients.disconnectAll(bulk.connected());
            throw new IllegalStateException(what + ": " + bulk.failed() + " of " + specs.size() + " connections failed ("
                    + reasons(bulk.failures()) + ")");
        }
        return bulk;
    }

    /**
     * Waits until every device's presence is LIVE and receiving (and newer than {@code olderEpochs} when given);
     * returns the seconds it took, or NaN after {@code timeout}. Polls only the devices not yet seen LIVE, pipelined,
     * every 100 ms, so that watching does not load Redis much.
     */
    static double awaitLive(BenchContext ctx, List<Device> devices, long[] olderEpochs, Duration timeout) {
        long start = System.nanoTime();
        try (RedisPipe redis = new RedisPipe(ctx.tether.redisPort())) {
            java.util.List<Integer> pending = new java.util.ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                pending.add(i);
            }
            boolean ok = Await.until(timeout, Duration.ofMillis(100), () -> {
                List<List<String>> values = redis.hmget(pending.stream().map(i -> BenchContext.presenceKey(devices.get(i).id())).toList(),
                        "state", "epoch", "receiving");
                java.util.List<Integer> still = new java.util.ArrayList<>();
                for (int j = 0; j < values.size(); j++) {
                    int i = pending.get(j);
                    List<String> v = values.get(j);
                    boolean isLive = "LIVE".equals(v.get(0)) && "1".equals(v.get(2))
                            && (olderEpochs == null || (v.get(1) != null && Long.parseLong(v.get(1)) > olderEpochs[i]));
                    if (!isLive) {
                        still.add(i);
                    }
                }
                pending.clear();
                pending.addAll(still);
                return pending.isEmpty();
            });
            return ok ? (System.nanoTime() - start) / 1e9 : Double.NaN;
        }
    }

    /** The current presence epochs of the devices (0 where none). */
    static long[] epochs(BenchContext ctx, List<Device> devices) {
        try (RedisPipe redis = new RedisPipe(ctx.tether.redisPort())) {
            List<List<String>> values = redis.hmget(devices.stream().map(d -> BenchContext.presenceKey(d.id())).toList(), "epoch");
            long[] out = new long[devices.size()];
            for (int i = 0; i < out.length; i++) {
                String e = values.get(i).get(0);
                out[i] = e == null ? 0 : Long.parseLong(e);
            }
            return out;
        }
    }

    /** How many of the devices are LIVE now. */
    static int countLive(BenchContext ctx, List<Device> devices) {
        try (RedisPipe redis = new RedisPipe(ctx.tether.redisPort())) {
            return (int) redis.hmget(devices.stream().map(d -> BenchContext.presenceKey(d.id())).toList(), "state").stream()
                    .filter(v -> "LIVE".equals(v.get(0))).count();
        }
    }

    static List<Double> list(double... values) {
        return Arrays.stream(values).boxed().toList();
    }

    /**
     * Waits (up to 20 s) until Tether's processes together use less than 60 % of one core over a second, so that work
     * left from Tether's run (presence updates of closed connections, inbox writes) does not share the CPU with
     * mosquitto's run.
     */
    static void quiesce(BenchContext ctx) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        java.util.Map<String, Long> pids = new java.util.LinkedHashMap<>(ctx.tetherPids());
        pids.remove("bench");
        while (System.nanoTime() < deadline) {
            io.tether.bench.measure.ProcessStats.CpuMeter meter = io.tether.bench.measure.ProcessStats.CpuMeter.start(pids);
            Await.pause(Duration.ofSeconds(1));
            io.tether.bench.measure.ProcessStats.CpuUse use = meter.stop();
            if (use.sum(List.copyOf(pids.keySet())) / use.elapsed() < 0.6) {
                return;
            }
        }
    }
}
