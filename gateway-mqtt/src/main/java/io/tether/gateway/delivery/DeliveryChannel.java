package io.tether.gateway.delivery;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tether.contract.RedisKeys;
import io.tether.inbox.HandOver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * This gateway's delivery channel: the inbox scripts publish every live hand-over for a connection held here on
 * {@code tether:deliver:<gatewayId>}, in inbox order, in the same atomic step that moves the inbox. A script that finds
 * nobody subscribed hands nothing over, so what is published while the channel is down is never counted as sent;
 * but what was on its way when the connection dropped may be lost, so every time the subscription comes back (Lettuce
 * reconnects and subscribes again) {@code onResubscribed} asks for the unacknowledged entries again.
 */
public final class DeliveryChannel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeliveryChannel.class);

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final String channel;
    private volatile boolean subscribedOnce;

    /**
     * @param sink           gets each hand-over on a Lettuce thread, in order; must not block
     * @param onResubscribed runs when the subscription came back after a lost connection
     */
    public DeliveryChannel(RedisClient client, String gatewayId, Consumer<HandOver> sink, Runnable onResubscribed) {
        this.channel = RedisKeys.deliverChannel(gatewayId);
        this.connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                HandOver handOver;
                try {
                    handOver = HandOver.parse(message);
                } catch (RuntimeException e) {
                    LOG.warnf("dropping a malformed hand-over on %s: %s", from, e.getMessage());
                    return;
                }
                sink.accept(handOver);
            }

            @Override
            public void subscribed(String to, long count) {
                if (subscribedOnce) {
                    LOG.infof("delivery channel %s subscribed again: asking for what may have been lost", to);
                    onResubscribed.run();
                }
                subscribedOnce = true;
            }
        });
    }

    /** Subscribes; returns once Redis confirmed (at start-up, before the MQTT ports open). */
    public void start(Duration timeout) throws Exception {
        connection.async().subscribe(channel).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Subscribed now (the gateway's readiness). */
    public boolean isOpen() {
        return subscribedOnce && connection.isOpen();
    }

    @Override
    public void close() {
        connection.close();
    }
}
