package io.tether.gateway.guard;

import io.tether.contract.SourceAddress;
import io.vertx.mqtt.MqttEndpoint;

/** The source address a CONNECT is counted against. */
final class Sources {
    private Sources() {
    }

    static String of(MqttEndpoint endpoint) {
        return endpoint.remoteAddress() == null ? "unknown" : SourceAddress.of(endpoint.remoteAddress().hostAddress());
    }
}
