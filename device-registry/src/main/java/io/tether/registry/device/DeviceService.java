package io.tether.registry.device;

import io.tether.contract.DeviceId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Registers, looks up, changes and removes devices; issues and revokes their MQTT passwords (keeping only
 * the hash) and sets their push tokens. Unknown ids, including strings that cannot be device ids, are
 * answered as absent (empty, false).
 */
public class DeviceService {
    private final DeviceStore store;
    private final DeviceLister lister;
    private final DeviceSecrets secrets;
    private final Clock clock;

    public DeviceService(DeviceStore store, DeviceSecrets secrets, Clock clock) {
        this.store = store;
        this.lister = new DeviceLister(store);
        this.secrets = secrets;
        this.clock = clock;
    }

    public CompletionStage<RegisteredDevice> register(NewDevice request) {
        String password = secrets.newPassword();
        Instant now = now();
        Device device = new Device(DeviceId.random(), request.platform(), request.appId(), request.userId(),
                request.pushToken(), request.pushEnvironment(), request.pushToken() == null ? null : now,
                DeviceSecrets.hash(password), now, now);
        return store.create(device).thenApply(created -> {
            if (!created) {
                // 130 random bits: a collision means a broken random source, not bad luck.
                throw new IllegalStateException("device id collision");
            }
            return new RegisteredDevice(device, password);
        });
    }

    public CompletionStage<Optional<Device>> find(String id) {
        return DeviceId.isValid(id) ? store.find(id) : CompletableFuture.completedFuture(Optional.empty());
    }

    public CompletionStage<DevicePage> list(DeviceQuery query) {
        return lister.list(query);
    }

    /** Changes app, platform or user; the indexes follow atomically. Empty when there is no such device. */
    public CompletionStage<Optional<Device>> update(String id, DeviceChanges changes) {
        if (!DeviceId.isValid(id)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Instant now = now();
        return store.update(id, device -> changes.applyTo(device, now));
    }

    /** False when there was no such device. A connected device is disconnected. */
    public CompletionStage<Boolean> delete(String id) {
        return DeviceId.isValid(id) ? store.delete(id) : CompletableFuture.completedFuture(false);
    }

    /** A new password, which replaces the old one at once; empty when there is no such device. */
    public CompletionStage<Optional<String>> rotateCredentials(String id) {
        if (!DeviceId.isValid(id)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String password = secrets.newPassword();
        return store.replaceSecret(id, DeviceSecrets.hash(password), now())
                .thenApply(done -> done ? Optional.of(password) : Optional.empty());
    }

    /** No password works afterwards, until the credentials are rotated. False when there is no such device. */
    public CompletionStage<Boolean> revokeCredentials(String id) {
        return DeviceId.isValid(id) ? store.revokeSecret(id, now()) : CompletableFuture.completedFuture(false);
    }

    /** @param token hex APNs token, lowercase */
    public CompletionStage<Boolean> setPushToken(String id, String token, PushEnvironment environment) {
        return DeviceId.isValid(id) ? store.setPushToken(id, token, environment, now()) : CompletableFuture.completedFuture(false);
    }

    public CompletionStage<Boolean> clearPushToken(String id) {
        return DeviceId.isValid(id) ? store.clearPushToken(id, now()) : CompletableFuture.completedFuture(false);
    }

    /** Millisecond precision: what the store keeps, so answers and later reads agree. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
