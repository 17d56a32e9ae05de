package io.tether.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.tether.bench.BenchContext;
import io.tether.bench.measure.ProcessStats;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Await;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.Rest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

/**
 * Scenario 6: one message to a topic that N connected devices subscribed to (each granted it). Tether: REST
 * {@code POST /v1/messages} with {@code to: {topic}}, which fanout expands to one record per device; mosquitto: one QoS 1
 * PUBLISH. Measured from the send to the moment the last device has it, a few rounds. N is
 * {@code -Dbench.broadcast.devices} (full: 10,000; small: 100), capped by the registered devices and the open-file limit.
 */
public final class BroadcastScenario implements Scenario {
    static final String TOPIC = "bench/broadcast";
    private static final int ROUNDS = 3;
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(180);

    @Override
    public String id() {
        return "6";
    }

    @Override
    public String title() {
        return "Broadcast: one topic message to every connected subscriber";
    }

    /** One round: seconds from the send to the answer (202 / PUBACK), to the first device, to half, to 99 %, to the last. */
    /** When the devices had the message (first, 50 %, 99 %, last), each the median over the rounds. */
    private static List<Double> spread(List<Round> rounds) {
        return Support.list(median(rounds.stream().mapToDouble(Round::first).toArray()),
                median(rounds.stream().mapToDouble(Round::p50).toArray()), median(rounds.stream().mapToDouble(Round::p99).toArray()),
                median(rounds.stream().mapToDouble(Round::last).toArray()));
    }

    record Round(int round, long received, double answer, double first, double p50, double p99, double last, double cpuSeconds) {
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        int asked = Integer.getInteger("bench.broadcast.devices", ctx.scale.name().equals("full") ? 10_000 : 100);
        int n = Math.min(asked, Math.min(ctx.devices.size(), ctx.connectionCap));
        List<Device> devices = ctx.devices.subList(0, n);
        grant(ctx, devices);
        Support.quiesce(ctx);
        List<Round> tether = measure(ctx, devices, "Tether", d -> ctx.tetherSpec(d, true), true);
        Support.quiesce(ctx);
        List<Round> mosquitto = measure(ctx, devices, "mosquitto", d -> ctx.mosquittoSpec(d, true), false);

        double tetherLast = median(tether.stream().mapToDouble(Round::last).toArray());
        double mosquittoLast = median(mosquitto.stream().mapToDouble(Round::last).toArray());
        r.headline("broadcast to " + Fmt.count(n) + " connected devices: until the last has it (median of " + ROUNDS + ")",
                Fmt.num(tetherLast * 1000) + " ms", Fmt.num(mosquittoLast * 1000) + " ms", Fmt.ratio(tetherLast, mosquittoLast), "");
        var t = r.table("Per round (" + Fmt.count(n) + " devices subscribed to " + TOPIC + " and granted it; seconds from the "
                + "send)", "system", "round", "received", "202 / PUBACK s", "first s", "50 % s", "99 % s", "last s", "CPU s (all processes)");
        for (int i = 0; i < ROUNDS; i++) {
            for (Round round : List.of(tether.get(i), mosquitto.get(i))) {
                ScenarioResult.row(t, round == tether.get(i) ? "Tether (REST to: {topic})" : "mosquitto (QoS 1 PUBLISH)", round.round(),
                        round.received(), round.answer(), round.first(), round.p50(), round.p99(), round.last(), round.cpuSeconds());
            }
        }
        r.number("tether.broadcast_last_s", tetherLast).number("mosquitto.broadcast_last_s", mosquittoLast)
                .number("broadcast.devices", n);
        r.chart(new Chart.Bars("s6-broadcast.png", "One message to " + Fmt.count(n) + " subscribers (median of " + ROUNDS
                + " rounds)", "seconds from the send", List.of("first", "50 %", "99 %", "last"),
                Chart.seriesOf("Tether", spread(tether), "mosquitto", spread(mosquitto)), false));
        if (n < asked) {
            r.note("Asked for " + asked + " devices; " + n + " were registered and fit the open-file limit.");
        }
        r.note("Tether expands a topic message in fanout: the subscriber sets of the filters that match it (written by the "
                + "gateway on SUBSCRIBE), every candidate's grants, then one tether.downstream record and one inbox script per "
                + "device, and each device's own PUBLISH and PUBACK settle. mosquitto fans out in memory.");
    }

    /** Grants every device the topic (PUT /v1/devices/{id}/grants), 32 requests in flight. */
    private static void grant(BenchContext ctx, List<Device> devices) {
        String body = "[{\"filter\":\"" + TOPIC + "\",\"actions\":[\"subscribe\"]}]";
        Semaphore permits = new Semaphore(32);
        AtomicLong failed = new AtomicLong();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (Device device : devices) {
            permits.acquireUninterruptibly();
            all.add(ctx.rest.put(ctx.tether.registryPort(), "/v1/devices/" + device.id() + "/grants", body).whenComplete((answer, error) -> {
                permits.release();
                if (error != null || answer.status() != 200) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + devices.size() + " grants failed");
        }
    }

    private static List<Round> measure(BenchContext ctx, List<Device> devices, String system, Function<Device, ConnectSpec> spec,
            boolean isTether) throws Exception {
        int n = devices.size();
        AtomicLongArray arrivedAt = new AtomicLongArray(n);
        AtomicLong received = new AtomicLong();
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(devices.get(i).id(), i);
        }
        String[] expected = {""};
        MqttConn.Listener listener = new MqttConn.Listener() {
            @Override
            public void onPublish(MqttConn conn, String topic, ByteBuf payload, io.netty.handler.codec.mqtt.MqttProperties properties) {
                if (TOPIC.equals(topic) && payload.toString(StandardCharsets.US_ASCII).equals(expected[0])
                        && arrivedAt.compareAndSet(index.get(conn.clientId()), 0, System.nanoTime())) {
                    received.incrementAndGet();
                }
            }
        };
        List<ConnectSpec> specs = devices.stream().map(spec).toList();
        MqttClients.Bulk bulk = Support.connectAllOrFail(ctx, system + " broadcast subscribers", specs, ctx.scale.connectConcurrency(), 5,
                listener);
        MqttConn publisher = null;
        try {
            List<CompletableFuture<Integer>> subacks = bulk.connected().stream().map(c -> c.subscribeMore(TOPIC)).toList();
            CompletableFuture.allOf(subacks.toArray(CompletableFuture[]::new)).get(120, java.util.concurrent.TimeUnit.SECONDS);
            if (subacks.stream().anyMatch(s -> s.join() > 2)) {
                throw new IllegalStateException(system + ": a subscription to " + TOPIC + " was refused");
            }
            if (isTether && Double.isNaN(Support.awaitLive(ctx, devices, null, Duration.ofSeconds(120)))) {
                throw new IllegalStateException("not every broadcast subscriber became LIVE");
            }
            if (!isTether) {
                publisher = ctx.mqtt.connect(ctx.mosquittoSpec(ctx.devices.get(ctx.devices.size() - 1), false), MqttConn.IGNORE).get();
            }
            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                Support.quiesce(ctx);
                for (int i = 0; i < n; i++) {
                    arrivedAt.set(i, 0);
                }
                received.set(0);
                expected[0] = "broadcast-" + system + "-" + round;
                rounds.add(round(ctx, round, expected[0], isTether, publisher, arrivedAt, received, n));
            }
            return rounds;
        } finally {
            if (publisher != null) {
                publisher.disconnect();
            }
            MqttClients.disconnectAll(bulk.connected());
        }
    }

    private static Round round(BenchContext ctx, int round, String payload, boolean isTether, MqttConn publisher, AtomicLongArray arrivedAt,
            AtomicLong received, int n) throws Exception {
        Map<String, Long> pids = isTether ? ctx.tetherPids() : ctx.mosquittoPids();
        ProcessStats.CpuMeter cpu = ProcessStats.CpuMeter.start(pids);
        long sent = System.nanoTime();
        CompletableFuture<Long> answered = new CompletableFuture<>();
        if (isTether) {
            ctx.rest.post(ctx.tether.fanoutPort(), "/v1/messages", "{\"to\":{\"topic\":\"" + TOPIC + "\"},\"payload\":" + Rest.quote(payload) + "}")
                    .whenComplete((answer, error) -> {
                        if (error != null || answer.status() != 202) {
                            answered.completeExceptionally(new IllegalStateException("broadcast not accepted: "
                                    + (error != null ? error : answer.status() + " " + answer.body())));
                        } else {
                            answered.complete(System.nanoTime());
                        }
                    });
        } else {
            publisher.publish(TOPIC, Support.buffer(payload.getBytes(StandardCharsets.US_ASCII)), (conn, at, code) -> answered.complete(System.nanoTime()));
        }
        long answerAt = answered.get(60, java.util.concurrent.TimeUnit.SECONDS);
        boolean all = Await.until(ROUND_TIMEOUT, Duration.ofMillis(5), () -> received.get() >= n);
        ProcessStats.CpuUse use = cpu.stop();
        long[] times = new long[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            long at = arrivedAt.get(i);
            if (at != 0) {
                times[count++] = at - sent;
            }
        }
        long[] got = Arrays.copyOf(times, count);
        Arrays.sort(got);
        if (!all) {
            System.err.printf("bench: broadcast round %d: %d of %d devices got it within %d s%n", round, count, n, ROUND_TIMEOUT.toSeconds());
        }
        return new Round(round, count, (answerAt - sent) / 1e9, seconds(got, 0), seconds(got, 0.5), seconds(got, 0.99),
                all ? seconds(got, 1) : Double.NaN, use.sum(List.copyOf(pids.keySet())));
    }

    private static double seconds(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e9;
    }

    private static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
