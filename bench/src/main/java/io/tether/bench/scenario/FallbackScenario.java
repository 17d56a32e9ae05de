package io.tether.bench.scenario;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.netty.channel.nio.NioEventLoopGroup;
import io.tether.bench.BenchContext;
import io.tether.bench.measure.Latency;
import io.tether.bench.measure.ProcessStats;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Await;
import io.tether.bench.stack.BenchApns;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.TetherStack;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 4: deaf devices (connected, then no longer reading, like a suspended iOS app). Each gets one message with
 * push options; Tether must notice the missing PUBACK (the gateway's ack deadline) and push through APNs. Measured from
 * fanout's acceptance to the push request on Kafka and to the mock APNs accepting the notification. Then push-service's
 * throughput (push requests produced straight to tether.push) against raw Pushy driving the same mock with the same key.
 */
public final class FallbackScenario implements Scenario {
    private static final String PUSH_OPTIONS = "{\"alert\":{\"title\":\"Tether bench\",\"body\":\"You have a message\"},\"sound\":\"default\"}";
    private static final int RAW_MAX_IN_FLIGHT = 1000; // push-service's default tether.apns.max-in-flight
    private static final int RAW_CONNECTIONS = 2; // push-service's default tether.apns.concurrent-connections

    @Override
    public String id() {
        return "4";
    }

    @Override
    public String title() {
        return "Fallback: deaf devices to APNs; push-service vs raw Pushy";
    }

    /** APNs acceptances seen by the mock: message id → epoch millis, and nanoTime of the first and last per prefix. */
    private static final class Accepted implements BenchApns.Sink {
        final Map<String, Long> at = new ConcurrentHashMap<>();
        final Map<String, long[]> span = new ConcurrentHashMap<>();

        @Override
        public void accepted(String messageId, long epochMillis) {
            if (messageId == null) {
                return;
            }
            long now = System.nanoTime();
            at.putIfAbsent(messageId, epochMillis);
            int dash = messageId.indexOf('-');
            String prefix = dash > 0 && dash <= 4 ? messageId.substring(0, dash) : "msg";
            span.compute(prefix, (k, v) -> {
                if (v == null) {
                    return new long[] {now, now, 1};
                }
                v[1] = Math.max(v[1], now);
                v[0] = Math.min(v[0], now);
                v[2]++;
                return v;
            });
        }

        long count(String prefix) {
            long[] v = span.get(prefix);
            return v == null ? 0 : v[2];
        }

        double perSecond(String prefix) {
            long[] v = span.get(prefix);
            return v == null || v[2] < 2 ? Double.NaN : (v[2] - 1) / ((v[1] - v[0]) / 1e9);
        }
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        var s = ctx.scale;
        Accepted accepted = new Accepted();
        ctx.tether.apns().sink(accepted);
        try (PushWatcher watcher = new PushWatcher(ctx.tether.kafkaBootstrap())) {
            // Throughput first: it warms push-service and its APNs connections, as they are in production.
            throughput(ctx, r, accepted);
            fallback(ctx, r, accepted, watcher);
        } finally {
            ctx.tether.apns().sink(null);
        }
        r.note("The mock APNs is Pushy's MockApnsServer in the load generator's JVM, over TLS and HTTP/2, with token "
                + "authentication checked by its ValidatingPushNotificationHandlerFactory (team " + BenchApns.TEAM_ID + ", topic "
                + TetherStack.BUNDLE_ID + ", the registered device tokens). push-service and raw Pushy drive the same server.");
    }

    private void fallback(BenchContext ctx, ScenarioResult r, Accepted accepted, PushWatcher watcher) throws Exception {
        var s = ctx.scale;
        List<Device> deaf = ctx.pushDevices.subList(0, s.deafDevices());
        MqttClients.Bulk bulk = Support.connectAllOrFail(ctx, "deaf devices", deaf.stream().map(d -> ctx.tetherSpec(d, true)).toList(),
                s.connectConcurrency(), 2, MqttConn.IGNORE);
        Map<String, String> messageToDevice = new ConcurrentHashMap<>();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        try {
            if (Double.isNaN(Support.awaitLive(ctx, deaf, null, Duration.ofSeconds(60)))) {
                throw new IllegalStateException("not every deaf device became LIVE within 60 s");
            }
            bulk.connected().forEach(MqttConn::deafen);
            List<CompletableFuture<?>> sends = new java.util.ArrayList<>();
            Paced.run(Math.max(100, Math.min(1000, deaf.size() * 2)), deaf.size(), (seq, due) -> {
                Device d = deaf.get((int) seq);
                String body = "{\"to\":{\"device\":\"" + d.id() + "\"},\"payload\":\"fallback " + seq + "\",\"push\":" + PUSH_OPTIONS + "}";
                sends.add(ctx.rest.post(ctx.tether.fanoutPort(), "/v1/messages", body).whenComplete((a, e) -> {
                    if (e != null || a.status() != 202) {
                        errors.computeIfAbsent(e != null ? e.toString() : "HTTP " + a.status(), k -> new AtomicLong()).incrementAndGet();
                    } else {
                        messageToDevice.put(a.field("messageId"), d.id());
                    }
                }));
            }, () -> false);
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(2, TimeUnit.MINUTES);
            Await.until(s.ackTimeout().plus(Duration.ofSeconds(60)), Duration.ofMillis(50),
                    () -> messageToDevice.keySet().stream().allMatch(accepted.at::containsKey));
        } finally {
            bulk.connected().forEach(MqttConn::drop);
        }
        Latency toRequest = new Latency();
        Latency toApns = new Latency();
        long missingRequest = 0;
        long missingApns = 0;
        for (String id : messageToDevice.keySet()) {
            PushWatcher.Seen seen = watcher.get(id);
            Long apnsAt = accepted.at.get(id);
            if (seen == null) {
                missingRequest++;
            } else {
                toRequest.recordMillis(Math.max(0, seen.requestedAt() - seen.acceptedAt()));
            }
            if (apnsAt == null || seen == null) {
                missingApns++;
            } else {
                toApns.recordMillis(Math.max(0, apnsAt - seen.acceptedAt()));
            }
        }
        Latency.Summary req = toRequest.summary();
        Latency.Summary apns = toApns.summary();
        double deadline = s.ackTimeout().toMillis();
        System.out.printf("bench: 4 fallback %d deaf devices: accepted→push request p99 %.0f ms, accepted→APNs p99 %.0f ms "
                + "(ack deadline %.0f ms), %d without push%n", deaf.size(), req.p99(), apns.p99(), deadline, missingApns);
        r.headline("fallback: acceptance → APNs accepted, p99", Fmt.ms(apns.p99()), "", "",
                "≤ ack deadline + 100 ms = " + Fmt.ms(deadline + 100));
        r.headline("fallback: p99 beyond the ack deadline", Fmt.ms(apns.p99() - deadline), "", "", "≤ 100 ms");
        var t = r.table(deaf.size() + " deaf devices, one message with push options each (ack deadline "
                + Fmt.ms(deadline) + "; latency from fanout's acceptedAt, epoch milliseconds)",
                "from acceptance to", "count", "missing", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 − ack deadline ms");
        ScenarioResult.row(t, "push request on tether.push", req.count(), missingRequest, req.p50(), req.p90(), req.p99(), req.max(),
                req.p99() - deadline);
        ScenarioResult.row(t, "APNs (mock) accepted the notification", apns.count(), missingApns, apns.p50(), apns.p90(), apns.p99(),
                apns.max(), apns.p99() - deadline);
        if (!errors.isEmpty()) {
            r.note("Sending to the deaf devices failed for some: " + Support.reasons(errors));
        }
        r.number("tether.fallback_to_request_p50_ms", req.p50()).number("tether.fallback_to_request_p99_ms", req.p99())
                .number("tether.fallback_to_apns_p50_ms", apns.p50()).number("tether.fallback_to_apns_p99_ms", apns.p99())
                .number("tether.fallback_over_deadline_p99_ms", apns.p99() - deadline)
                .number("tether.fallback_missing", missingApns).number("ack_deadline_ms", deadline);
        r.chart(new Chart.Bars("s4-fallback-latency.png", "Deaf device: from acceptance to push (ack deadline " + Fmt.ms(deadline) + ")",
                "ms", List.of("p50", "p90", "p99", "max"), Chart.seriesOf(
                        "Tether: push request", Support.list(req.p50(), req.p90(), req.p99(), req.max()),
                        "Tether: APNs accepted", Support.list(apns.p50(), apns.p90(), apns.p99(), apns.max()),
                        "ack deadline", Support.list(deadline, deadline, deadline, deadline)), false));
        if (missingApns > 0) {
            throw new IllegalStateException(missingApns + " of " + messageToDevice.size() + " messages to deaf devices never reached APNs");
        }
    }

    private void throughput(BenchContext ctx, ScenarioResult r, Accepted accepted) throws Exception {
        var s = ctx.scale;
        List<Device> targets = ctx.pushDevices;
        byte[] data = Support.payload("throughput", 64);
        int warm = Math.max(20, Math.min(s.pushRequests() / 10, 2000));
        Duration wait = Duration.ofSeconds(Math.max(60, s.pushSeconds().toSeconds() * 3));

        // push-service warm-up; its rate sizes the measured runs (about pushSeconds long), so a slow service does not
        // stretch the whole benchmark.
        produce(ctx, "bw", warm, targets, data);
        Await.until(wait, Duration.ofMillis(20), () -> accepted.count("bw") >= warm);
        double warmRate = accepted.perSecond("bw");
        int k = (int) Math.max(Math.min(100, s.pushRequests()), Math.min(s.pushRequests(),
                Double.isNaN(warmRate) ? warm : warmRate * s.pushSeconds().toSeconds()));

        ProcessStats.CpuMeter meter = ProcessStats.CpuMeter.start(Map.of("push-service", ctx.tether.push().pid(),
                "redis", ctx.tether.redis().pid(), "kafka", ctx.tether.kafka().pid()));
        produce(ctx, "bp", k, targets, data);
        Await.until(wait, Duration.ofMillis(20), () -> accepted.count("bp") >= k);
        ProcessStats.CpuUse cpu = meter.stop();
        double service = accepted.perSecond("bp");
        long serviceCount = accepted.count("bp");

        // raw Pushy: the same key, connections and in-flight bound, the same mock.
        double raw;
        long rawCount;
        NioEventLoopGroup loops = new NioEventLoopGroup(2);
        ApnsClient client = new ApnsClientBuilder().setApnsServer("127.0.0.1", ctx.tether.apns().port())
                .setTrustedServerCertificateChain(ctx.tether.apns().certificatePem().toFile())
                .setSigningKey(ApnsSigningKey.loadFromPkcs8File(ctx.tether.apns().signingKey().p8().toFile(), BenchApns.TEAM_ID,
                        BenchApns.KEY_ID))
                .setConcurrentConnections(RAW_CONNECTIONS).setEventLoopGroup(loops).build();
        AtomicLong rejected = new AtomicLong();
        try {
            sendRaw(client, "rw", warm, targets, data, rejected);
            sendRaw(client, "raw", k, targets, data, rejected);
            raw = accepted.perSecond("raw");
            rawCount = accepted.count("raw");
        } finally {
            client.close().get(10, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        double cpuPer = serviceCount == 0 ? Double.NaN : cpu.of("push-service") / serviceCount * 1e6;
        System.out.printf("bench: 4 push     push-service %,.0f/s (%d of %d), raw Pushy %,.0f/s (%d, %d rejected)%n", service,
                serviceCount, k, raw, rawCount, rejected.get());
        r.headline("push throughput (notifications/s) vs raw Pushy", Fmt.num(service), Fmt.num(raw), Fmt.ratio(service, raw), "≥ ×0.9");
        var t = r.table(k + " notifications to " + targets.size() + " devices after " + warm + " unmeasured; rate between the first "
                + "and the last acceptance at the mock", "sender", "accepted", "notifications/s", "ratio to raw Pushy",
                "CPU µs per notification");
        ScenarioResult.row(t, "push-service (Kafka → Redis device lookup → Pushy → receipt)", serviceCount, service,
                Fmt.ratio(service, raw), cpuPer);
        ScenarioResult.row(t, "raw Pushy (in the load generator; " + RAW_CONNECTIONS + " connections, " + RAW_MAX_IN_FLIGHT
                + " in flight)", rawCount, raw, "×1", "–");
        r.note("push-service is fed push requests produced straight to tether.push (the records fanout would write), so the "
                + "figure is push-service's alone. It handles one device's requests in order: " + k + " requests over "
                + targets.size() + " devices. Its CPU per notification is the push-service process alone. The measured count is "
                + "sized from the warm-up's rate to take about " + s.pushSeconds().toSeconds() + " s (at most " + s.pushRequests() + ").");
        if (rejected.get() > 0) {
            r.note("raw Pushy: " + rejected.get() + " notifications rejected or failed.");
        }
        r.number("tether.push_per_s", service).number("raw_pushy.push_per_s", raw).number("ratio.push", service / raw)
                .number("tether.push_cpu_us", cpuPer).number("tether.push_accepted", serviceCount).number("raw_pushy.accepted", rawCount)
                .number("push_notifications", k);
        r.chart(new Chart.Bars("s4-push-throughput.png", "APNs notifications per second into the same mock", "notifications / s",
                List.of("throughput"), Chart.seriesOf("push-service", Support.list(service), "raw Pushy", Support.list(raw)), false));
        if (serviceCount < k) {
            throw new IllegalStateException("push-service got " + serviceCount + " of " + k + " notifications accepted within "
                    + wait.toSeconds() + " s");
        }
    }

    /** Push requests as fanout would write them, straight onto tether.push; message ids {@code <prefix>-<n>}. */
    private static void produce(BenchContext ctx, String prefix, int count, List<Device> targets, byte[] data) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ctx.tether.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                Device d = targets.get(i % targets.size());
                PushRequest request = new PushRequest(d.id(), prefix + "-" + i, now, now + 3_600_000, null, PUSH_OPTIONS, data,
                        "text/plain", "offline", null);
                producer.send(new ProducerRecord<>(Topics.PUSH, d.id(), Json.toBytes(request)));
            }
            producer.flush();
        }
    }

    /** The same notifications through a Pushy client of our own; returns when all are answered. */
    private static void sendRaw(ApnsClient client, String prefix, int count, List<Device> targets, byte[] data, AtomicLong rejected)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(RAW_MAX_IN_FLIGHT);
        Instant expiry = Instant.now().plusSeconds(3600);
        String text = new String(data, StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            Device d = targets.get(i % targets.size());
            String payload = new SimpleApnsPayloadBuilder().setAlertTitle("Tether bench").setAlertBody("You have a message")
                    .setSound("default").addCustomProperty("tether", Map.of("messageId", prefix + "-" + i, "data", text)).build();
            inFlight.acquire();
            client.sendNotification(new SimpleApnsPushNotification(d.pushToken(), TetherStack.BUNDLE_ID, payload, expiry,
                    DeliveryPriority.IMMEDIATE, PushType.ALERT)).whenComplete((response, error) -> {
                        inFlight.release();
                        if (error != null || !response.isAccepted()) {
                            rejected.incrementAndGet();
                        }
                    });
        }
        if (!inFlight.tryAcquire(RAW_MAX_IN_FLIGHT, 5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("raw Pushy: notifications unanswered after 5 minutes");
        }
    }
}
