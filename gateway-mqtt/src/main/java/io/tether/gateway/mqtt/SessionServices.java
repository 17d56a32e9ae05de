package io.tether.gateway.mqtt;

import io.tether.gateway.delivery.Acknowledgements;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Vertx;

/**
 * What every device session of this gateway shares: timers, Kafka, Redis, the connection table, settings, tracing, and
 * the guards' hooks into CONNECT, the wills held back for their delay.
 */
public record SessionServices(Vertx vertx, EventPublisher events, Connections connections, GatewayStore store, SessionSettings settings,
        MqttTracing tracing, Acknowledgements acknowledgements, ConnectHooks hooks, PendingWills wills) {

    /** With the gateway's own table of wills held back for their delay. */
    public SessionServices(Vertx vertx, EventPublisher events, Connections connections, GatewayStore store,
            SessionSettings settings, MqttTracing tracing, Acknowledgements acknowledgements, ConnectHooks hooks) {
        this(vertx, events, connections, store, settings, tracing, acknowledgements, hooks, new PendingWills(vertx));
    }
}
