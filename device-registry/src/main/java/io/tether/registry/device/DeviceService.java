package io.tether.registry.device;

import io.tether.contract.DeviceId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Registers, looks up and removes devices. Issues each device's MQTT password; keeps only its hash. */
public class DeviceService {
    private final DeviceStore store;
    private final DeviceSecrets secrets;
    private final Clock clock;

    public DeviceService(DeviceStore store, DeviceSecrets secrets, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
    }

    public CompletionStage<RegisteredDevice> register(NewDevice request) {
        String password = secrets.newPassword();
        // Millisecond precision: what the store keeps, so the create answer and later reads agree.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Device device = new Device(DeviceId.random(), request.platform(), request.appId(), request.userId(),
                request.pushToken(), request.pushEnvironment(), DeviceSecrets.hash(password), now, now);
        return store.create(device).thenApply(created -> {
            if (!created) {
                // 130 random bits: a collision means a broken random source, not bad luck.
                throw new IllegalStateException("device id collision");
            }
            return new RegisteredDevice(device, password);
        });
    }

    /** Empty for unknown ids, including strings that cannot be device ids. */
    public CompletionStage<Optional<Device>> find(String id) {
        return DeviceId.isValid(id) ? store.find(id) : CompletableFuture.completedFuture(Optional.empty());
    }

    /** False when there was no such device. */
    public CompletionStage<Boolean> delete(String id) {
        return DeviceId.isValid(id) ? store.delete(id) : CompletableFuture.completedFuture(false);
    }
}
