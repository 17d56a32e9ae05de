package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionLimitsTest {
    private final List<String> refused = new ArrayList<>();
    /** 3 subscriptions, topics of 32 bytes and 4 levels, 2 in flight, 100 bytes queued, payloads of 50 bytes. */
    private final SessionLimits limits = new SessionLimits(3, 32, 4, 2, 100, 50, refused::add);

    @Test
    void topicsWithinLengthAndDepthFitAndOthersDoNot() {
        assertTrue(limits.topicFits("a/b/c/d"));
        assertFalse(limits.topicFits("a/b/c/d/e"), "5 levels");
        assertTrue(limits.topicFits("x".repeat(32)));
        assertFalse(limits.topicFits("x".repeat(33)));
        assertFalse(limits.topicFits("ü".repeat(17)), "34 bytes in UTF-8");
        assertFalse(limits.topicFits(null));
    }

    @Test
    void beyondTheSubscriptionLimitANewFilterIsAQuotaExceededButAGrantedOneMayBeRenewed() {
        SubscriptionSet set = new SubscriptionSet("dev-1");
        for (String filter : List.of("devices/dev-1/a", "devices/dev-1/b", "devices/dev-1/c")) {
            assertEquals(Optional.empty(), limits.subscribeRefusal(filter, set));
            set.add(filter, MqttQoS.AT_LEAST_ONCE);
        }
        assertEquals(Optional.of(MqttSubAckReasonCode.QUOTA_EXCEEDED), limits.subscribeRefusal("devices/dev-1/d", set));
        assertEquals(Optional.empty(), limits.subscribeRefusal("devices/dev-1/a", set), "subscribing again replaces, it adds nothing");
        assertEquals(List.of("subscriptions"), refused);
    }

    @Test
    void aFilterBeyondTheTopicLimitsIsInvalid() {
        assertEquals(Optional.of(MqttSubAckReasonCode.TOPIC_FILTER_INVALID),
                limits.subscribeRefusal("devices/dev-1/a/b/#", new SubscriptionSet("dev-1")));
        assertEquals(List.of("topic"), refused);
    }

    @Test
    void aWillBeyondThePayloadLimitIsPacketTooLargeOnMqtt5AndNotAuthorisedOn311() {
        MqttWill will = will("devices/dev-1/will", 51);
        assertEquals(Optional.of(MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE), limits.willRefusal(will, true));
        assertEquals(Optional.of(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED), limits.willRefusal(will, false));
        assertEquals(List.of("will-payload", "will-payload"), refused);
    }

    @Test
    void aWillTopicBeyondTheTopicLimitsIsTopicNameInvalid() {
        assertEquals(Optional.of(MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID),
                limits.willRefusal(will("devices/dev-1/a/b/c", 1), true));
    }

    @Test
    void aWillWithinTheLimitsAndNoWillPass() {
        assertEquals(Optional.empty(), limits.willRefusal(will("devices/dev-1/will", 50), true));
        assertEquals(Optional.empty(), limits.willRefusal(null, true));
        assertEquals(Optional.empty(), limits.willRefusal(new MqttWill(false, null, null, 0, false, null), true));
        assertTrue(refused.isEmpty());
    }

    @Test
    void theBudgetHoldsTheReceiveMaximumAndTheQueuedBytes() {
        UpstreamBudget budget = limits.budget();
        assertEquals(UpstreamBudget.Verdict.TAKEN, budget.take(true, 40));
        assertEquals(UpstreamBudget.Verdict.TAKEN, budget.take(true, 40));
        assertEquals(UpstreamBudget.Verdict.INFLIGHT_EXCEEDED, budget.take(true, 1), "a third QoS 1 beyond Receive Maximum 2");
        assertEquals(UpstreamBudget.Verdict.BYTES_EXCEEDED, budget.take(false, 30), "120 bytes beyond 100");
        assertEquals(UpstreamBudget.Verdict.TAKEN, budget.take(false, 20));

        budget.release(true, 40);

        assertEquals(1, budget.inflight());
        assertEquals(60, budget.bytes());
        assertEquals(UpstreamBudget.Verdict.TAKEN, budget.take(true, 40));
    }

    @Test
    void onePublishAloneAlwaysFitsTheBytes() {
        UpstreamBudget budget = new UpstreamBudget(10, 100);
        assertEquals(UpstreamBudget.Verdict.TAKEN, budget.take(true, 150));
        assertEquals(UpstreamBudget.Verdict.BYTES_EXCEEDED, budget.take(true, 1));
    }

    private static MqttWill will(String topic, int size) {
        return new MqttWill(true, topic, Buffer.buffer(new byte[size]), 1, false, MqttProperties.NO_PROPERTIES);
    }
}
