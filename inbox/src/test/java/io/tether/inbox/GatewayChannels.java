package io.tether.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens on gateways' delivery channels the way a gateway does (gateway-mqtt's DeliveryChannel): a real Lettuce
 * pub/sub connection subscribed to {@code tether:deliver:<gatewayId>}, so the inbox scripts' PUBLISH reaches a
 * listener, and each hand-over is captured for the test to look at.
 */
final class GatewayChannels implements AutoCloseable {
    private static final String MARKER = "test-marker:";

    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final StatefulRedisConnection<String, String> publisher;
    private final Map<String, List<HandOver>> received = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> markers = new ConcurrentHashMap<>();
    private final AtomicLong nextMarker = new AtomicLong();

    private GatewayChannels(RedisClient client) {
        subscriber = client.connectPubSub();
        publisher = client.connect();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (message.startsWith(MARKER)) {
                    CompletableFuture<Void> marker = markers.remove(message);
                    if (marker != null) {
                        marker.complete(null);
                    }
                    return;
                }
                String gatewayId = channel.substring(RedisKeys.DELIVER_CHANNEL_PREFIX.length());
                received.computeIfAbsent(gatewayId, id -> new ArrayList<>()).add(HandOver.parse(message));
            }
        });
    }

    /** A pub/sub connection of its own; subscribe with {@link #listen}. */
    static GatewayChannels open(RedisClient client) {
        return new GatewayChannels(client);
    }

    /** Subscribes to these gateways' channels; returns once Redis confirmed, as a gateway does before it takes devices. */
    void listen(String... gatewayIds) {
        String[] channels = Arrays.stream(gatewayIds).map(RedisKeys::deliverChannel).toArray(String[]::new);
        TestRedis.join(subscriber.async().subscribe(channels));
    }

    /** Unsubscribes from a gateway's channel: the gateway is gone, nobody listens there any more. */
    void leave(String gatewayId) {
        TestRedis.join(subscriber.async().unsubscribe(RedisKeys.deliverChannel(gatewayId)));
    }

    /**
     * Every hand-over published on the gateway's channel since the last call, in order. A marker is published behind
     * them and awaited: Redis delivers one channel's messages to a subscriber in the order it published them, so once
     * the marker is in, everything published before it is too (an empty answer means nothing was handed over).
     */
    List<HandOver> take(String gatewayId) {
        String marker = MARKER + nextMarker.incrementAndGet();
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        markers.put(marker, arrived);
        assertEquals(1L, publisher.sync().publish(RedisKeys.deliverChannel(gatewayId), marker),
                "the test listens on " + gatewayId + "'s channel");
        TestRedis.join(arrived);
        List<HandOver> out = received.remove(gatewayId);
        return out == null ? List.of() : out;
    }

    /** The message ids of every hand-over since the last call, in order, all for {@code epoch} of {@code deviceId}. */
    List<String> takeIds(String gatewayId, String deviceId, long epoch) {
        List<String> ids = new ArrayList<>();
        for (HandOver handOver : take(gatewayId)) {
            assertEquals(deviceId, handOver.deviceId(), "device of the hand-over");
            assertEquals(epoch, handOver.epoch(), "epoch of the hand-over");
            handOver.entries().forEach(entry -> ids.add(entry.messageId()));
        }
        return ids;
    }

    @Override
    public void close() {
        subscriber.close();
        publisher.close();
    }
}
