package io.tether.gateway.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

/**
 * One MQTT server on one event loop. Several instances listen on the same port and Vert.x spreads the
 * connections across them, so all cores serve devices. Each CONNECT gets a {@link ConnectGate} before anything else,
 * and its connection a flush consolidation: Vert.x flushes every write made outside a read from the socket, so the
 * PUBACKs of one Kafka batch (each its own task on the event loop) went out in a write system call each; Netty's
 * {@link FlushConsolidationHandler} flushes them once, at the end of the event loop's current run of tasks.
 */
public final class MqttListener extends AbstractVerticle {
    private static final String FLUSH_CONSOLIDATION = "tether-flush-consolidation";
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
                    ChannelHandlerContext vertxHandler = EndpointSocket.vertxHandler(endpoint);
                    ConnectGate.install(vertxHandler);
                    consolidateFlushes(vertxHandler);
                    connectHandler.handle(endpoint);
                })
                .exceptionHandler(error -> { });
        server.listen().<Void>mapEmpty().onComplete(started);
    }

    /** First in the pipeline, so it sees every read (it flushes at once at a read's end) and every write. */
    private static void consolidateFlushes(ChannelHandlerContext vertxHandler) {
        if (vertxHandler != null && vertxHandler.executor().inEventLoop()) {
            vertxHandler.pipeline().addFirst(FLUSH_CONSOLIDATION,
                    new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
    }

    @Override
    public void stop(Promise<Void> stopped) {
        server.close().onComplete(stopped);
    }
}
