package io.tether.gateway.mqtt;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

/**
 * One MQTT server on one event loop. Several instances listen on the same port and Vert.x spreads the
 * connections across them, so all cores serve devices.
 */
public final class MqttListener extends AbstractVerticle {
    private final MqttServerOptions options;
    private final Handler<MqttEndpoint> connectHandler;
    private MqttServer server;

    public MqttListener(MqttServerOptions options, Handler<MqttEndpoint> connectHandler) {
        this.options = options;
        this.connectHandler = connectHandler;
    }

    @Override
    public void start(Promise<Void> started) {
        server = MqttServer.create(vertx, options)
                .endpointHandler(connectHandler)
                .exceptionHandler(error -> { });
        server.listen().<Void>mapEmpty().onComplete(started);
    }

    @Override
    public void stop(Promise<Void> stopped) {
        server.close().onComplete(stopped);
    }
}
