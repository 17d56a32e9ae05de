package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one connection may hold and send besides its PUBLISH rate and payload size: subscriptions, topic length and
 * depth (PUBLISH, SUBSCRIBE, will), the will's payload, and what is on its way to Kafka ({@link UpstreamBudget}). Every
 * refusal is counted by limit name ({@code subscriptions}, {@code topic}, {@code will-payload}, {@code inflight},
 * {@code queued-bytes}, {@code payload}, {@code rate}). One per gateway; immutable.
 */
public final class SessionLimits {
    private final int maxSubscriptions;
    private final int maxTopicBytes;
    private final int maxTopicLevels;
    private final int maxInflight;
    private final int maxQueuedBytes;
    private final int maxPayloadBytes;
    private final Consumer<String> refused;

    /**
     * @param maxInflight QoS 1 PUBLISHes of a connection awaiting PUBACK (the Receive Maximum CONNACK announces)
     * @param refused     counts a refusal by limit name
     */
    public SessionLimits(int maxSubscriptions, int maxTopicBytes, int maxTopicLevels, int maxInflight, int maxQueuedBytes,
            int maxPayloadBytes, Consumer<String> refused) {
        this.maxSubscriptions = maxSubscriptions;
        this.maxTopicBytes = maxTopicBytes;
        this.maxTopicLevels = maxTopicLevels;
        this.maxInflight = maxInflight;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.refused = refused;
    }

    /** Whether a topic name or filter is within the length (UTF-8 bytes) and depth (levels) limits. */
    public boolean topicFits(String topic) {
        if (topic == null || topic.getBytes(StandardCharsets.UTF_8).length > maxTopicBytes) {
            return false;
        }
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                levels++;
            }
        }
        return levels <= maxTopicLevels;
    }

    /**
     * Why a CONNECT's will must be refused, if it must: a payload beyond the PUBLISH payload limit (MQTT 5: 0x95 packet
     * too large), or a topic beyond the topic limits (0x90 topic name invalid). MQTT 3.1.1 has neither code: 0x05.
     */
    public Optional<MqttConnectReturnCode> willRefusal(MqttWill will, boolean mqtt5) {
        if (will == null || !will.isWillFlag()) {
            return Optional.empty();
        }
        byte[] payload = will.getWillMessageBytes();
        if (payload != null && payload.length > maxPayloadBytes) {
            return Optional.of(refusal("will-payload", mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED));
        }
        if (!topicFits(will.getWillTopic())) {
            return Optional.of(refusal("topic", mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED));
        }
        return Optional.empty();
    }

    /** Why a filter of a SUBSCRIBE must be refused on top of the topic policy, if it must. */
    Optional<MqttSubAckReasonCode> subscribeRefusal(String filter, SubscriptionSet current) {
        if (!topicFits(filter)) {
            return Optional.of(refusal("topic", MqttSubAckReasonCode.TOPIC_FILTER_INVALID));
        }
        if (current.size() >= maxSubscriptions && !current.contains(filter)) {
            return Optional.of(refusal("subscriptions", MqttSubAckReasonCode.QUOTA_EXCEEDED));
        }
        return Optional.empty();
    }

    /** A new connection's budget of PUBLISHes on their way to Kafka. */
    UpstreamBudget budget() {
        return new UpstreamBudget(maxInflight, maxQueuedBytes);
    }

    /** Counts a refusal by limit name. */
    void refused(String limit) {
        refused.accept(limit);
    }

    private <T> T refusal(String limit, T code) {
        refused.accept(limit);
        return code;
    }
}
