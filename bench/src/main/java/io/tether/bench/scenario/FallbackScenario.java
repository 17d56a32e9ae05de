package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.Latency;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import io.tether.testkit.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4: deaf devices (connected, then no longer reading, like a suspended iOS app). Each gets one message with
 * push options; Tether must notice the missing PUBACK (the gateway's ack deadline) and push through APNs. Measured at
 * the edges: from the moment the backend's request was due to the APNs mock accepting the notification. Then
 * push-service's throughput against raw Pushy ({@link PushThroughput}).
 */
public final class FallbackScenario implements Scenario {
    @Override
    public String id() {
        return "4";
    }

    @Override
    public String title() {
        return "Fallback: deaf devices to APNs; push-service vs raw Pushy";
    }

    @Override
    public String description() {
        return "Devices that stop reading (a suspended iOS app: the socket stays open, nothing is read) get a message with push "
                + "options; Tether must notice the missing PUBACK and push through APNs. Then push-service's throughput against "
                + "raw Pushy driving the same mock APNs, each in its own JVM with the same options.";
    }

    @Override
    public String parameters(Scale s, int cap) {
        return s.deafDevices() + " deaf devices, ack deadline " + s.ackTimeout().toMillis() + " ms; up to " + s.pushRequests()
                + " notifications (about " + s.pushSeconds().toSeconds() + " s of push-service's warm rate) to " + s.pushDevices()
                + " devices for throughput";
    }

    @Override
    public int devices(Scale s, int cap) {
        return 0;
    }

    @Override
    public int pushDevices(Scale s) {
        return s.pushDevices();
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        ApnsAccepted accepted = new ApnsAccepted();
        ctx.tether.apns().sink(accepted);
        try {
            // Throughput first: it warms push-service and its APNs connections, as they are in production.
            PushThroughput.run(ctx, r, accepted);
            ctx.quiet(r, "the fallback phase");
            fallback(ctx, r, accepted);
        } finally {
            ctx.tether.apns().sink(null);
        }
        r.note("The mock APNs is Pushy's MockApnsServer (testkit LocalApns) in the load generator's JVM, over TLS and HTTP/2; it "
                + "accepts well-formed device tokens. push-service and raw Pushy sign their provider tokens with the same key.");
    }

    /** What the backend saw of each message to a deaf device: when it was due and when its 202 came (nanoTime). */
    private record Sent(String deviceId, long dueNanos, long answeredNanos) {
    }

    private void fallback(BenchContext ctx, ScenarioResult r, ApnsAccepted accepted) throws Exception {
        Scale s = ctx.scale;
        List<Device> deaf = ctx.pushDevices.subList(0, s.deafDevices());
        // Unmeasured first, to as many other deaf devices: messages with push options until the JIT has compiled their
        // path (fanout's push-option checks, routing, the fallback), as scenario 3's warm-up does for the live path.
        List<Device> warmUpDevices = ctx.pushDevices.subList(deaf.size(), Math.min(ctx.pushDevices.size(), 2 * deaf.size()));
        Map<String, AtomicLong> warmUpErrors = new ConcurrentHashMap<>();
        LiveLadder.Warmup warm = warmUp(ctx, warmUpDevices, accepted, warmUpErrors);
        if (!warmUpErrors.isEmpty()) {
            r.note("Sending in the unmeasured warm-up failed for some messages: " + Support.reasons(warmUpErrors));
        }
        ctx.quiet(r, "the measured fallback round");
        Map<String, Sent> sent = new ConcurrentHashMap<>();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        PushWatcher watcher = PushWatcher.startIfPresent(ctx.tether.kafkaBootstrap());
        try {
            round(ctx, deaf, accepted, sent, errors, deaf.size());
        } finally {
            if (watcher != null) {
                watcher.close();
            }
        }
        r.note(String.format(java.util.Locale.ROOT, "The fallback is measured after an unmeasured warm-up: %d other deaf devices "
                + "got messages with push options at %d/s for %.0f s, until the JIT compiler threads of Tether's JVMs used less "
                + "than %.2f of a core (%.2f at its end), as scenario 3 warms the live path.", warmUpDevices.size(),
                rate(warmUpDevices.size()), warm.seconds(), LiveLadder.COMPILED, warm.jitCores()));
        report(ctx, r, deaf.size(), sent, accepted, watcher, errors);
    }

    /** Send rate: twice the devices per second (one message each in half a second), between 100 and 1,000/s. */
    private static int rate(int devices) {
        return Math.max(100, Math.min(1000, devices * 2));
    }

    /**
     * Rounds of messages to the warm-up devices (the first makes each deaf, the rest go straight to push), in parts and
     * for as long as scenario 3 warms up ({@link LiveLadder#warmupPart}, {@link LiveLadder#keepWarming}). Failed
     * sends are counted in {@code errors} by reason, for the report.
     */
    private static LiveLadder.Warmup warmUp(BenchContext ctx, List<Device> devices, ApnsAccepted accepted,
            Map<String, AtomicLong> errors) throws Exception {
        long t0 = System.nanoTime();
        long perPart = Math.max(devices.size(), rate(devices.size()) * LiveLadder.warmupPart(ctx.scale).toMillis() / 1000);
        List<String> processes = List.copyOf(ctx.tether.pids().keySet());
        double jit;
        MqttClients.Bulk bulk = connectDeaf(ctx, devices);
        try {
            do {
                CpuMeter meter = CpuMeter.start(ctx.tether.pids());
                sendAndAwaitPush(ctx, devices, accepted, new ConcurrentHashMap<>(), errors, perPart);
                CpuMeter.Use use = meter.stop();
                jit = use.jitOf(processes) / use.elapsed();
            } while (LiveLadder.keepWarming(ctx.scale, t0, jit));
        } finally {
            bulk.connected().forEach(MqttConn::drop);
        }
        return new LiveLadder.Warmup((System.nanoTime() - t0) / 1e9, jit);
    }

    /** Connects the devices, waits until they are LIVE, stops reading and sends {@code messages} with push options. */
    private static void round(BenchContext ctx, List<Device> deaf, ApnsAccepted accepted, Map<String, Sent> sent,
            Map<String, AtomicLong> errors, long messages) throws Exception {
        MqttClients.Bulk bulk = connectDeaf(ctx, deaf);
        try {
            sendAndAwaitPush(ctx, deaf, accepted, sent, errors, messages);
        } finally {
            bulk.connected().forEach(MqttConn::drop);
        }
    }

    /** Connected, LIVE, then no longer reading. */
    private static MqttClients.Bulk connectDeaf(BenchContext ctx, List<Device> deaf) throws Exception {
        List<ConnectSpec> specs = deaf.stream().map(d -> ctx.tetherSpec(d, true)).toList();
        MqttClients.Bulk bulk = Support.connectAllOrFail(ctx, "deaf devices", specs, ctx.scale.connectConcurrency(), 2, MqttConn.IGNORE);
        if (Double.isNaN(Support.awaitLive(ctx, deaf, null, Duration.ofSeconds(60)))) {
            bulk.connected().forEach(MqttConn::drop);
            throw new IllegalStateException("not every deaf device became LIVE within 60 s");
        }
        bulk.connected().forEach(MqttConn::deafen);
        return bulk;
    }

    /** Messages with push options to the devices in turn, paced; waits until APNs accepted every one answered 202. */
    private static void sendAndAwaitPush(BenchContext ctx, List<Device> deaf, ApnsAccepted accepted, Map<String, Sent> sent,
            Map<String, AtomicLong> errors, long messages) throws Exception {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        Paced.run(rate(deaf.size()), messages, (seq, due) -> {
            Device d = deaf.get((int) (seq % deaf.size()));
            String body = "{\"to\":{\"device\":\"" + d.id() + "\"},\"payload\":\"fallback " + seq + "\",\"push\":"
                    + PushThroughput.PUSH_OPTIONS + "}";
            sends.add(ctx.rest.post(ctx.tether.fanoutPort(), "/v1/messages", body).whenComplete((a, e) -> {
                if (e != null || a.status() != 202) {
                    Support.count(errors, e != null ? e.toString() : "HTTP " + a.status());
                } else {
                    sent.put(a.field("messageId"), new Sent(d.id(), due, System.nanoTime()));
                }
            }));
        }, () -> false);
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(2, TimeUnit.MINUTES);
        Poll.until(ctx.scale.ackTimeout().plus(Duration.ofSeconds(60)), Duration.ofMillis(50),
                () -> sent.keySet().stream().allMatch(id -> accepted.at(id) != null));
    }

    private static void report(BenchContext ctx, ScenarioResult r, int devices, Map<String, Sent> sent, ApnsAccepted accepted,
            PushWatcher watcher, Map<String, AtomicLong> errors) {
        Latency fromDue = new Latency();
        Latency fromAnswer = new Latency();
        Latency toRequest = new Latency();
        Latency answered = new Latency();
        Latency toDeaf = new Latency();
        Latency deafToRequest = new Latency();
        long missing = 0;
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            Long apnsAt = accepted.at(e.getKey());
            if (apnsAt == null) {
                missing++;
            } else {
                fromDue.recordNanos(apnsAt - e.getValue().dueNanos());
                fromAnswer.recordNanos(apnsAt - e.getValue().answeredNanos());
            }
            answered.recordNanos(e.getValue().answeredNanos() - e.getValue().dueNanos());
            PushWatcher.Seen seen = watcher == null ? null : watcher.get(e.getKey());
            Long deafAt = watcher == null ? null : watcher.deafAt(e.getValue().deviceId());
            if (seen != null) {
                toRequest.recordMillis(Math.max(0, seen.requestedAt() - seen.acceptedAt()));
                if (deafAt != null) {
                    toDeaf.recordMillis(Math.max(0, deafAt - seen.acceptedAt()));
                    deafToRequest.recordMillis(Math.max(0, seen.requestedAt() - deafAt));
                }
            }
        }
        Latency.Summary apns = fromDue.summary();
        Latency.Summary after202 = fromAnswer.summary();
        Latency.Summary req = toRequest.summary();
        double deadline = ctx.scale.ackTimeout().toMillis();
        System.out.printf("bench: 4 fallback %d deaf devices: due→APNs p99 %.0f ms (ack deadline %.0f ms), %d without push%n",
                devices, apns.p99(), deadline, missing);
        r.headline("fallback: request due → APNs accepted, p99", Fmt.ms(apns.p99()), "", "",
                "≤ ack deadline + 250 ms = " + Fmt.ms(deadline + 250));
        r.headline("fallback: p99 beyond the ack deadline", Fmt.ms(apns.p99() - deadline), "", "", "≤ 250 ms");
        var t = r.table(devices + " deaf devices, one message with push options each (ack deadline " + Fmt.ms(deadline) + ")",
                "from", "to", "count", "missing", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 − ack deadline ms");
        ScenarioResult.row(t, "backend request due", "APNs (mock) accepted the notification", apns.count(), missing, apns.p50(),
                apns.p90(), apns.p99(), apns.max(), apns.p99() - deadline);
        ScenarioResult.row(t, "202 answer", "APNs (mock) accepted the notification", after202.count(), missing, after202.p50(),
                after202.p90(), after202.p99(), after202.max(), after202.p99() - deadline);
        Latency.Summary toAnswer = answered.summary();
        ScenarioResult.row(t, "backend request due", "202 answer", toAnswer.count(), sent.size() - toAnswer.count(), toAnswer.p50(),
                toAnswer.p90(), toAnswer.p99(), toAnswer.max(), "");
        if (req.count() > 0) {
            ScenarioResult.row(t, "fanout's acceptedAt (internal)", "push request on tether.push (internal)", req.count(),
                    sent.size() - req.count(), req.p50(), req.p90(), req.p99(), req.max(), req.p99() - deadline);
            Latency.Summary deaf = toDeaf.summary();
            Latency.Summary afterDeaf = deafToRequest.summary();
            if (deaf.count() > 0) {
                ScenarioResult.row(t, "fanout's acceptedAt (internal)", "gateway's ACK_TIMEOUT event (internal)", deaf.count(),
                        sent.size() - deaf.count(), deaf.p50(), deaf.p90(), deaf.p99(), deaf.max(), deaf.p99() - deadline);
                ScenarioResult.row(t, "gateway's ACK_TIMEOUT event (internal)", "push request on tether.push (internal)",
                        afterDeaf.count(), sent.size() - afterDeaf.count(), afterDeaf.p50(), afterDeaf.p90(), afterDeaf.p99(),
                        afterDeaf.max(), "");
                r.number("tether.fallback_to_ack_timeout_p99_ms", deaf.p99())
                        .number("tether.fallback_ack_timeout_to_request_p99_ms", afterDeaf.p99());
            }
        }
        String internal = req.count() > 0
                ? "The internal rows read Tether's tether.push and tether.presence topics (epoch milliseconds of fanout's and the "
                        + "gateway's clocks, one machine) and are there for diagnosis only."
                : "Tether's internal tether.push topic " + (watcher == null ? "does not exist"
                        : "carried no push request this build of the benchmark can read") + ", so there is no internal row.";
        r.note("Measured at the edges: the backend's REST client and the APNs mock, both in the load generator JVM (one clock). "
                + internal);
        if (!errors.isEmpty()) {
            r.note("Sending to the deaf devices failed for some: " + Support.reasons(errors));
        }
        r.number("tether.fallback_to_apns_p50_ms", apns.p50()).number("tether.fallback_to_apns_p99_ms", apns.p99())
                .number("tether.fallback_after_202_p99_ms", after202.p99())
                .number("tether.fallback_due_to_202_p99_ms", toAnswer.p99())
                .number("tether.fallback_over_deadline_p99_ms", apns.p99() - deadline)
                .number("tether.fallback_to_request_p99_ms", req.p99())
                .number("tether.fallback_missing", missing).number("ack_deadline_ms", deadline);
        r.chart(new Chart.Bars("s4-fallback-latency.png", "Deaf device: from the request to APNs (ack deadline " + Fmt.ms(deadline) + ")",
                "ms", List.of("p50", "p90", "p99", "max"), Chart.seriesOf(
                        "Tether: request due → APNs accepted", Support.list(apns.p50(), apns.p90(), apns.p99(), apns.max()),
                        "ack deadline", Support.list(deadline, deadline, deadline, deadline)), false));
        if (missing > 0) {
            throw new IllegalStateException(missing + " of " + sent.size() + " messages to deaf devices never reached APNs");
        }
    }
}
