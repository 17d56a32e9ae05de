package io.tether.contract;

import java.util.Objects;
import java.util.Optional;

/** The delivery topic of one gateway instance: {@code tether.deliver.<gatewayId>}. */
public record DeliverTopic(String gatewayId) {
    public static final String PREFIX = "tether.deliver.";

    public DeliverTopic {
        Objects.requireNonNull(gatewayId, "gatewayId");
        if (!GatewayId.isValid(gatewayId)) {
            throw new IllegalArgumentException("invalid gateway id: " + gatewayId);
        }
    }

    public String name() {
        return PREFIX + gatewayId;
    }

    public static Optional<DeliverTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String id = topic.substring(PREFIX.length());
        return GatewayId.isValid(id) ? Optional.of(new DeliverTopic(id)) : Optional.empty();
    }

    @Override
    public String toString() {
        return name();
    }
}
