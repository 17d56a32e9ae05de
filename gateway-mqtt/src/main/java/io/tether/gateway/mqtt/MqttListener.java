package io.tether.gateway.mqtt;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

/**
 * One MQTT server on one event loop. Several instances listen on the same port and Vert.x spreads the
 * connections across them, so all cores serve devices. Each CONNECT gets a {@link ConnectGate} before anything else.
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
                .endpointHandler(endpoint -> {
                    // First, while the CONNECT is being read: what the client sent behind it waits for the answer.
                    ConnectGate.install(EndpointSocket.vertxHandler(endpoint));
                    connectHandler.handle(endpoint);
                })
                .exceptionHandler(error -> { });
        server.listen().<Void>mapEmpty().onComplete(started);
    }

    @Override
    public void stop(Promise<Void> stopped) {
        server.close().onComplete(stopped);
    }
}
