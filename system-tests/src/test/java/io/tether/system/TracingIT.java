package io.tether.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.restassured.http.ContentType;
import io.tether.contract.Topics;
import io.tether.system.OtlpReceiver.ReceivedSpan;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace per message, across processes: every service exports OTLP to the test's own receiver
 * ({@link OtlpReceiver}); the test follows a message from the backend's REST call to the device (live) or to the
 * local APNs (push), and a device's upstream publish into the Kafka record a backend consumes.
 */
class TracingIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String FANOUT = "tether-fanout-service";
    private static final String GATEWAY = "tether-gateway-mqtt";
    private static final String PUSH = "tether-push-service";
    private static final Map<String, Object> ALERT = Map.of("alert", Map.of("title", "Traced", "body", "follow me"));
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void startStack() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    /** The backend's own span, as a W3C traceparent it sends along with its request. */
    private record BackendSpan(String traceId, String spanId) {
        static BackendSpan random() {
            SecureRandom random = new SecureRandom();
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            random.nextBytes(trace);
            random.nextBytes(span);
            return new BackendSpan(HexFormat.of().formatHex(trace), HexFormat.of().formatHex(span));
        }

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    @Test
    void aLiveDeliveryIsOneTraceFromTheRestCallToThePubackAndTheDeviceGetsTheTraceparent() throws Exception {
        Api.Device device = api.register("ios");
        BackendSpan backend = BackendSpan.random();
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));

            String messageId = send(device.id(), backend, false);

            Mqtt5Publish received = phone.next(DEADLINE).orElseThrow(() -> new AssertionError("nothing delivered"));
            assertEquals(messageId, TestDevice.userProperty(received, "tether-message-id").orElseThrow());
            String deviceTraceparent = TestDevice.userProperty(received, "traceparent")
                    .orElseThrow(() -> new AssertionError("no traceparent user property on the delivery"));
            assertEquals(backend.traceId(), deviceTraceparent.split("-")[1], "the device continues the backend's trace");

            String publish = "publish devices/{id}/messages";
            List<ReceivedSpan> trace = awaitTrace(backend, List.of(
                    has(FANOUT, "POST /v1/messages"), has(FANOUT, "send tether.downstream"), has(FANOUT, "process tether.downstream"),
                    has(FANOUT, "route"), has(GATEWAY, publish)));
            System.out.println("live delivery trace:\n" + OtlpReceiver.tree(trace));

            assertTrue(one(trace, FANOUT, "POST /v1/messages").parentSpanId().equals(backend.spanId()),
                    "the REST span continues the backend's traceparent");
            assertChild(trace, FANOUT, "send tether.downstream", FANOUT, "POST /v1/messages");
            assertChild(trace, FANOUT, "process tether.downstream", FANOUT, "send tether.downstream");
            assertChild(trace, FANOUT, "route", FANOUT, "process tether.downstream");
            assertEquals("live", first(trace, FANOUT, "route", s -> s.attribute("tether.route") != null).attribute("tether.route"));
            // The inbox script hands the entry to the gateway's delivery channel; its PUBLISH continues the route span.
            assertChild(trace, GATEWAY, publish, FANOUT, "route");
            ReceivedSpan mqtt = one(trace, GATEWAY, publish);
            assertEquals(mqtt.spanId(), deviceTraceparent.split("-")[2], "the device's parent is the gateway's PUBLISH span");
            assertEquals("delivered", mqtt.attribute("tether.delivery.outcome"), "the PUBLISH span ends with the PUBACK");
            assertEquals("mqtt", mqtt.attribute("messaging.system"));
            assertEquals("devices/" + device.id() + "/messages", mqtt.attribute("messaging.destination.name"));
            assertEquals(messageId, mqtt.attribute("messaging.message.id"));
            assertProcessesLinkAcross(trace, backend);
        }
    }

    @Test
    void aPushFallbackIsOneTraceFromTheRestCallToApns() {
        Api.Device device = api.registerWithPushToken("ios"); // never connects: offline, so push
        BackendSpan backend = BackendSpan.random();

        String messageId = send(device.id(), backend, true);

        List<ReceivedSpan> trace = awaitTrace(backend, List.of(
                has(FANOUT, "POST /v1/messages"), has(FANOUT, "process tether.downstream"), has(FANOUT, "route"),
                has(FANOUT, "send tether.push"), has(PUSH, "process tether.push"), has(PUSH, "apns push"),
                has(PUSH, "send tether.receipts"), has(FANOUT, "process tether.receipts")));
        System.out.println("push fallback trace:\n" + OtlpReceiver.tree(trace));

        ReceivedSpan route = first(trace, FANOUT, "route", s -> "push".equals(s.attribute("tether.route")));
        assertEquals("offline", route.attribute("tether.fallback.reason"));
        assertChild(trace, FANOUT, "send tether.push", FANOUT, "route");
        assertChild(trace, PUSH, "process tether.push", FANOUT, "send tether.push");
        assertChild(trace, PUSH, "apns push", PUSH, "process tether.push");
        ReceivedSpan apns = one(trace, PUSH, "apns push");
        assertEquals("accepted", apns.attribute("apns.outcome"));
        assertEquals("alert", apns.attribute("apns.push_type"));
        assertEquals("10", apns.attribute("apns.priority"));
        assertEquals("200", apns.attribute("http.response.status_code"));
        assertEquals(messageId, apns.attribute("messaging.message.id"));
        String apnsId = apns.attribute("apns.id");
        assertTrue(apnsId != null && !apnsId.isBlank(), "apns.id");
        assertTrue(stack.apnsReceived().stream().anyMatch(n -> String.valueOf(n.get("payload")).contains(messageId)),
                "the local APNs got the push");
        assertChild(trace, PUSH, "send tether.receipts", PUSH, "process tether.push");
        assertChild(trace, FANOUT, "process tether.receipts", PUSH, "send tether.receipts");
        assertProcessesLinkAcross(trace, backend);
    }

    @Test
    void anUpstreamPublishWithATraceparentContinuesIntoTheKafkaRecord() throws Exception {
        Api.Device device = api.register("macos");
        BackendSpan app = BackendSpan.random(); // the app's span on the device
        try (TestDevice mac = TestDevice.connect(device, stack.gateway().mqttPort());
                KafkaConsumer<String, byte[]> upstream = upstreamConsumer()) {
            mac.client().publishWith().topic("devices/" + device.id() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"battery\":87}".getBytes(StandardCharsets.UTF_8))
                    .userProperties().add("traceparent", app.traceparent()).applyUserProperties()
                    .send().get(10, TimeUnit.SECONDS);

            List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                upstream.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (device.id().equals(r.key())) {
                        mine.add(r);
                    }
                });
                return !mine.isEmpty();
            });
            String traceparent = new String(mine.get(0).headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            String[] parts = traceparent.split("-");
            assertEquals(app.traceId(), parts[1], "the record continues the device's trace");
            assertNotEquals(app.spanId(), parts[2], "its parent is the gateway's span, not the device's");

            List<ReceivedSpan> trace = awaitTrace(app, List.of(
                    has(GATEWAY, "receive devices/{id}/telemetry"), has(GATEWAY, "send tether.upstream")));
            System.out.println("upstream trace:\n" + OtlpReceiver.tree(trace));
            ReceivedSpan receive = one(trace, GATEWAY, "receive devices/{id}/telemetry");
            assertEquals(app.spanId(), receive.parentSpanId(), "the gateway continues the device's traceparent");
            assertEquals("1", receive.attribute("tether.mqtt.qos"));
            assertChild(trace, GATEWAY, "send tether.upstream", GATEWAY, "receive devices/{id}/telemetry");
            ReceivedSpan send = one(trace, GATEWAY, "send tether.upstream");
            assertEquals(send.spanId(), parts[2], "the record's traceparent is the gateway's send span");
            assertEquals(Topics.UPSTREAM, send.attribute("messaging.destination.name"));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String send(String deviceId, BackendSpan backend, boolean withPush) {
        Map<String, Object> body = new HashMap<>();
        body.put("to", Map.of("device", deviceId));
        body.put("payload", "traced " + UUID.randomUUID());
        if (withPush) {
            body.put("push", ALERT);
        }
        return given().baseUri(stack.fanoutUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .header("traceparent", backend.traceparent())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/messages")
                .then().statusCode(202)
                .extract().jsonPath().getString("messageId");
    }

    private static Predicate<List<ReceivedSpan>> has(String service, String name) {
        return trace -> trace.stream().anyMatch(s -> s.service().equals(service) && s.name().equals(name));
    }

    /** Waits until the trace holds every expected span (they arrive in batches, per process). */
    private static List<ReceivedSpan> awaitTrace(BackendSpan caller, List<Predicate<List<ReceivedSpan>>> expected) {
        String traceId = caller.traceId();
        try {
            // Complete: every expected span is there, and so is the parent of every span (parents end, and are
            // exported, after their children).
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
                List<ReceivedSpan> trace = stack.traces().trace(traceId);
                Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
                return expected.stream().allMatch(p -> p.test(trace))
                        && trace.stream().allMatch(span -> ids.contains(span.parentSpanId()) || span.parentSpanId().equals(caller.spanId()));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("trace " + traceId + " incomplete:\n" + OtlpReceiver.tree(stack.traces().trace(traceId)), e);
        }
        return stack.traces().trace(traceId);
    }

    private static ReceivedSpan one(List<ReceivedSpan> trace, String service, String name) {
        return first(trace, service, name, s -> true);
    }

    private static ReceivedSpan first(List<ReceivedSpan> trace, String service, String name, Predicate<ReceivedSpan> also) {
        return trace.stream().filter(s -> s.service().equals(service) && s.name().equals(name) && also.test(s))
                .min(Comparator.comparingLong(ReceivedSpan::startNanos))
                .orElseThrow(() -> new AssertionError("no span " + name + " of " + service + " in\n" + OtlpReceiver.tree(trace)));
    }

    private static void assertChild(List<ReceivedSpan> trace, String childService, String child, String parentService, String parent) {
        ReceivedSpan c = one(trace, childService, child);
        Set<String> parents = trace.stream().filter(s -> s.service().equals(parentService) && s.name().equals(parent))
                .map(ReceivedSpan::spanId).collect(Collectors.toSet());
        assertTrue(parents.contains(c.parentSpanId()),
                child + " (" + childService + ") should be a child of " + parent + " (" + parentService + "):\n" + OtlpReceiver.tree(trace));
    }

    /**
     * Every span's parent is in the trace (or is the caller's own span), and each process's first span has its
     * parent in another process: the context crossed each process boundary instead of starting anew.
     */
    private static void assertProcessesLinkAcross(List<ReceivedSpan> trace, BackendSpan backend) {
        Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s, (a, b) -> a));
        for (ReceivedSpan span : trace) {
            assertFalse(span.parentSpanId().isEmpty(), span + " starts a trace of its own");
            assertTrue(byId.containsKey(span.parentSpanId()) || span.parentSpanId().equals(backend.spanId()),
                    span + " has a parent outside the trace:\n" + OtlpReceiver.tree(trace));
        }
        Map<String, Optional<ReceivedSpan>> firstOfEach = trace.stream()
                .collect(Collectors.groupingBy(ReceivedSpan::service, Collectors.minBy(Comparator.comparingLong(ReceivedSpan::startNanos))));
        for (var entry : firstOfEach.entrySet()) {
            ReceivedSpan first = entry.getValue().orElseThrow();
            if (first.parentSpanId().equals(backend.spanId())) {
                continue; // the REST call: its parent is the backend's span
            }
            ReceivedSpan parent = byId.get(first.parentSpanId());
            assertTrue(parent != null && !parent.service().equals(entry.getKey()),
                    "first span of " + entry.getKey() + " (" + first + ") should have its parent in another process:\n" + OtlpReceiver.tree(trace));
        }
    }

    private static KafkaConsumer<String, byte[]> upstreamConsumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tracing-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.UPSTREAM));
        return consumer;
    }
}
