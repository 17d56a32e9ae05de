package io.tether.gateway.app;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.RedisClient;
import io.tether.contract.RedisKeys;
import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.DeviceAuthenticator;
import org.jboss.logging.Logger;

/**
 * Listens on the two channels that end connections held here from elsewhere, so that they take effect at once:
 * credential rotations and revocations the registry announces (the cached check is dropped and a live connection of
 * that device is closed), and takeovers by a newer connection of the same device on another gateway
 * ({@code <device id> <epoch>} on this gateway's takeover channel: the older connection gets DISCONNECT 0x8E).
 */
final class CredentialWatcher {
    private static final Logger LOG = Logger.getLogger(CredentialWatcher.class);

    private final StatefulRedisPubSubConnection<String, String> connection;

    CredentialWatcher(RedisClient client, DeviceAuthenticator authenticator, Connections connections, String gatewayId) {
        String takeovers = RedisKeys.takeoverChannel(gatewayId);
        connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (channel.equals(takeovers)) {
                    takenOver(connections, message);
                    return;
                }
                authenticator.forget(message);
                connections.get(message).ifPresent(session -> session.revoke());
            }
        });
        connection.sync().subscribe(RedisKeys.credentialChanges(), takeovers);
    }

    private static void takenOver(Connections connections, String message) {
        String[] parts = message.split(" ", 2);
        try {
            connections.takenOverElsewhere(parts[0], Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a malformed takeover notice: %s", message);
        }
    }

    void close() {
        connection.close();
    }
}
