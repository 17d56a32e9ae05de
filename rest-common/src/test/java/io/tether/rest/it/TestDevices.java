package io.tether.rest.it;

import io.tether.rest.auth.DeviceCredentialVerifier;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Two devices and their passwords; replaces the default verifier that accepts no device. */
@Singleton
public class TestDevices implements DeviceCredentialVerifier {
    static final Map<String, String> PASSWORDS = Map.of("dev-a", "pw-a", "dev-b", "pw-b");

    @Override
    public CompletionStage<Boolean> verify(String deviceId, String password) {
        return CompletableFuture.completedFuture(password.equals(PASSWORDS.get(deviceId)));
    }
}
