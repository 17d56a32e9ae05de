package io.tether.gateway.drain;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.util.concurrent.CompletionStage;

/** A connection as a drain sees it: something that can be asked to leave (a device session). */
public interface Departing {

    /** Leave with DISCONNECT {@code code} and {@code properties}; the stage completes once the connection has closed. */
    CompletionStage<Void> leave(MqttDisconnectReasonCode code, MqttProperties properties);
}
