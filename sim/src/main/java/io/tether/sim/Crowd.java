package io.tether.sim;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many devices at once, scripted: register N, connect and subscribe them all, let a share of them go to the background
 * or turn deaf (read but never acknowledge), send each M messages (REST, up to 1,000 devices per request), then count
 * what arrived live, how late, and the final status and route Tether reports for every device and message.
 */
final class Crowd {
    private static final int DEVICES_PER_REQUEST = 1000;

    private final Api api;
    private final SimOptions options;
    private final Out out;

    Crowd(Api api, SimOptions options, Out out) {
        this.api = api;
        this.options = options;
        this.out = out;
    }

    /** One simulated device of the crowd and what it received (message id → latency in ms). */
    private record Member(Api.Registered device, String behaviour, Mqtt5AsyncClient client, Map<String, Long> got, AtomicInteger duplicates) {
    }

    int run() throws Exception {
        int count = options.number("devices", 100);
        int messages = options.number("messages", 1);
        int backgroundPct = options.number("background", 0);
        int deafPct = options.number("deaf", 0);
        Endpoint endpoint = options.mqtt();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();

        long start = System.nanoTime();
        List<Api.Registered> registered = register(count);
        out.line(String.format("registered %d devices in %.1f s", count, seconds(start)));

        long connecting = System.nanoTime();
        List<Member> members = new ArrayList<>();
        List<CompletableFuture<?>> online = new ArrayList<>();
        for (int i = 0; i < registered.size(); i++) {
            String behaviour = i * 100 < count * backgroundPct ? "background" : i * 100 < count * (backgroundPct + deafPct) ? "deaf" : "foreground";
            Member member = member(registered.get(i), behaviour, endpoint, sentAt);
            members.add(member);
            online.add(connect(member));
        }
        CompletableFuture.allOf(online.toArray(CompletableFuture[]::new)).get(10 + count / 50, TimeUnit.SECONDS);
        out.line(String.format("connected and subscribed %d devices in %.1f s (%s)", count, seconds(connecting), behaviours(members)));

        List<String> ids = new ArrayList<>();
        List<String> deviceIds = members.stream().map(m -> m.device().id()).toList();
        for (int m = 0; m < messages; m++) {
            for (int from = 0; from < deviceIds.size(); from += DEVICES_PER_REQUEST) {
                List<String> batch = deviceIds.subList(from, Math.min(deviceIds.size(), from + DEVICES_PER_REQUEST));
                String id = api.send(batch, Map.of("payload", "crowd message " + (m + 1)));
                sentAt.put(id, System.nanoTime());
                ids.add(id);
            }
        }
        int expectedLive = (int) members.stream().filter(x -> x.behaviour().equals("foreground")).count() * messages;
        Waits.until(() -> members.stream().filter(x -> x.behaviour().equals("foreground")).mapToInt(x -> x.got().size()).sum(),
                got -> got >= expectedLive, options.patience());
        // Deaf devices fall back after the ack deadline: wait until no status is still on its way.
        Waits.until(() -> ids.stream().allMatch(id -> api.statuses(id).values().stream().allMatch(Crowd::settled)), done -> done,
                options.patience());
        report(members, ids, messages);
        members.forEach(x -> x.client().disconnect().exceptionally(e -> null));
        return 0;
    }

    private List<Api.Registered> register(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Api.Registered>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(CompletableFuture.supplyAsync(() -> api.register(options.platform(), options.appId(), null), pool));
            }
            List<Api.Registered> out = new ArrayList<>();
            for (CompletableFuture<Api.Registered> future : futures) {
                out.add(future.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Member member(Api.Registered device, String behaviour, Endpoint endpoint, Map<String, Long> sentAt) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(device.id())
                .serverHost(endpoint.host()).serverPort(endpoint.port()).buildAsync();
        Member member = new Member(device, behaviour, client, new ConcurrentHashMap<>(), new AtomicInteger());
        boolean deaf = behaviour.equals("deaf");
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> received(member, publish, sentAt), deaf);
        return member;
    }

    private static void received(Member member, Mqtt5Publish publish, Map<String, Long> sentAt) {
        String id = publish.getUserProperties().asList().stream().filter(p -> p.getName().toString().equals("tether-message-id"))
                .map(p -> p.getValue().toString()).findFirst().orElse("?");
        Long sent = sentAt.get(id);
        long latency = sent == null ? -1 : (System.nanoTime() - sent) / 1_000_000;
        if (member.got().putIfAbsent(id, latency) != null) {
            member.duplicates().incrementAndGet();
        }
    }

    private CompletableFuture<?> connect(Member member) {
        Mqtt5AsyncClient client = member.client();
        return client.connectWith().cleanStart(false).sessionExpiryInterval(Device.SESSION_EXPIRY_SECONDS).keepAlive(60)
                .simpleAuth().username(member.device().id()).password(member.device().password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send()
                .thenCompose(ack -> client.subscribeWith().topicFilter("devices/" + member.device().id() + "/#").qos(MqttQos.AT_LEAST_ONCE).send())
                .thenCompose(ack -> member.behaviour().equals("background")
                        ? client.publishWith().topic("$tether/lifecycle").qos(MqttQos.AT_LEAST_ONCE)
                                .payload("background".getBytes(StandardCharsets.UTF_8)).send()
                        : CompletableFuture.completedFuture(null));
    }

    private void report(List<Member> members, List<String> ids, int messages) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String id : ids) {
            api.statuses(id).forEach((device, status) -> {
                String behaviour = members.stream().filter(m -> m.device().id().equals(device)).findFirst().map(Member::behaviour).orElse("?");
                outcomes.merge(String.format("%-10s → %s", behaviour, status), 1, Integer::sum);
            });
        }
        List<Long> latencies = new ArrayList<>();
        members.forEach(m -> latencies.addAll(m.got().values()));
        Collections.sort(latencies);
        int duplicates = members.stream().mapToInt(m -> m.duplicates().get()).sum();
        out.line(String.format("sent %d messages to each of %d devices; received %d (%d duplicates)", messages, members.size(),
                latencies.size(), duplicates));
        if (!latencies.isEmpty()) {
            out.line(String.format("REST → device: p50 %d ms, p99 %d ms, max %d ms", percentile(latencies, 50), percentile(latencies, 99),
                    latencies.get(latencies.size() - 1)));
        }
        out.line("final status per device and message (GET /v1/messages/<id>):");
        outcomes.forEach((what, n) -> out.line(String.format("  %6d  %s", n, what)));
    }

    /** Final, or handed to push or the inbox: nothing more will happen until the device changes. */
    private static boolean settled(Api.Status status) {
        return status.isFinal() || "push".equals(status.route()) || "inbox".equals(status.route());
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
    }

    private static String behaviours(List<Member> members) {
        Map<String, Integer> counts = new TreeMap<>();
        members.forEach(m -> counts.merge(m.behaviour(), 1, Integer::sum));
        return counts.toString();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
