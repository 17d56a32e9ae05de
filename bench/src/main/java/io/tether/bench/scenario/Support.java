package io.tether.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tether.bench.BenchContext;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.stack.Devices.Device;
import io.tether.testkit.Poll;
import io.tether.testkit.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

    static void count(Map<String, AtomicLong> failures, String reason) {
        failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    /** Connects with the bulk connector and insists every connection came up. */
    static MqttClients.Bulk connectAllOrFail(BenchContext ctx, String what, List<ConnectSpec> specs, int concurrency, int retries,
            MqttConn.Listener listener) throws Exception {
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
     * every 100 ms, so that watching does not load Redis much. Presence in Redis is the one internal state the
     * benchmark reads: it is how "LIVE again" is defined.
     */
    static double awaitLive(BenchContext ctx, List<Device> devices, long[] olderEpochs, Duration timeout) {
        long start = System.nanoTime();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            pending.add(i);
        }
        boolean ok = Poll.until(timeout, Duration.ofMillis(100), () -> {
            List<List<String>> values = presence(ctx, pending.stream().map(devices::get).toList(), "state", "epoch", "receiving");
            List<Integer> still = new ArrayList<>();
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

    /** The current presence epochs of the devices (0 where none). */
    static long[] epochs(BenchContext ctx, List<Device> devices) {
        List<List<String>> values = presence(ctx, devices, "epoch");
        long[] out = new long[devices.size()];
        for (int i = 0; i < out.length; i++) {
            String e = values.get(i).get(0);
            out[i] = e == null ? 0 : Long.parseLong(e);
        }
        return out;
    }

    /** {@code HMGET} of the presence hash of every device, pipelined: one list of values (null when absent) per device. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> presence(BenchContext ctx, List<Device> devices, String... fields) {
        List<String[]> commands = new ArrayList<>(devices.size());
        for (Device d : devices) {
            String[] args = new String[fields.length + 2];
            args[0] = "HMGET";
            args[1] = BenchContext.presenceKey(d.id());
            System.arraycopy(fields, 0, args, 2, fields.length);
            commands.add(args);
        }
        try {
            return Resp.callAll(ctx.tether.redisPort(), commands).stream().map(v -> (List<String>) v).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("reading presence from Redis failed", e);
        }
    }

    static List<Double> list(double... values) {
        return Arrays.stream(values).boxed().toList();
    }
}
