package io.tether.gateway.app;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tether.contract.RedisKeys;
import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.DeviceAuthenticator;

/**
 * Listens for credential rotations and revocations the registry announces, so they take effect at once:
 * the cached check is dropped and a live connection of that device is closed.
 */
final class CredentialWatcher {
    private final StatefulRedisPubSubConnection<String, String> connection;

    CredentialWatcher(RedisClient client, DeviceAuthenticator authenticator, Connections connections) {
        connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String deviceId) {
                authenticator.forget(deviceId);
                connections.get(deviceId).ifPresent(session -> session.revoke());
            }
        });
        connection.sync().subscribe(RedisKeys.credentialChanges());
    }

    void close() {
        connection.close();
    }
}
