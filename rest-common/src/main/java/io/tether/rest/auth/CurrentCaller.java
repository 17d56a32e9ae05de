package io.tether.rest.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The backend the current request was authenticated as; set by {@link ApiKeyFilter}. */
@RequestScoped
public class CurrentCaller {
    private ApiPrincipal principal;

    /** Empty outside {@code /v1/} and on {@link DeviceAuthenticated} resources. */
    public Optional<ApiPrincipal> principal() {
        return Optional.ofNullable(principal);
    }

    void set(ApiPrincipal principal) {
        this.principal = principal;
    }
}
