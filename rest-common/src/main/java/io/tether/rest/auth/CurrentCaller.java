package io.tether.rest.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** Who the current {@code /v1/} request was authenticated as; set by {@link ApiKeyFilter}. */
@RequestScoped
public class CurrentCaller {
    private ApiPrincipal principal;
    private String deviceId;

    /** The backend's API key; empty outside {@code /v1/} and when a device called. */
    public Optional<ApiPrincipal> principal() {
        return Optional.ofNullable(principal);
    }

    /** The device that called a {@link DeviceAuthenticated} endpoint with its own credentials. */
    public Optional<String> device() {
        return Optional.ofNullable(deviceId);
    }

    void set(ApiPrincipal principal) {
        this.principal = principal;
    }

    void setDevice(String deviceId) {
        this.deviceId = deviceId;
    }
}
