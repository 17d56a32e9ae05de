package io.tether.rest.auth;

import java.util.concurrent.CompletionStage;

/**
 * Checks a device's own credentials for {@link DeviceAuthenticated} endpoints. The default accepts nobody; a
 * service that stores devices provides a bean of this type. Asynchronous: it runs on the event loop.
 */
public interface DeviceCredentialVerifier {

    /** @return true when {@code password} is the device's current secret; fails only when checking failed */
    CompletionStage<Boolean> verify(String deviceId, String password);
}
