package io.tether.registry.device.rest;

import io.tether.registry.device.PushEnvironment;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Locale;

/** Body of {@code PUT /v1/devices/{id}/push-token} and {@code .../push-tokens/...}; the environment defaults to production. */
public record PushTokenRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = Fields.PUSH_TOKEN, message = Fields.PUSH_TOKEN_MESSAGE)
        String token,

        @Pattern(regexp = Fields.PUSH_ENVIRONMENT, message = Fields.PUSH_ENVIRONMENT_MESSAGE)
        String environment,

        /** Live Activity tokens only: the activity's ActivityAttributes type, for the listing. */
        String activityType) {

    public PushTokenRequest(String token, String environment) {
        this(token, environment, null);
    }

    /** Lowercase, so one token has one spelling. */
    String normalizedToken() {
        return token.toLowerCase(Locale.ROOT);
    }

    PushEnvironment pushEnvironment() {
        return environment == null ? PushEnvironment.PRODUCTION : PushEnvironment.parse(environment).orElseThrow();
    }

    @Override
    public String toString() {
        return "PushTokenRequest[token=***, environment=" + environment + "]";
    }
}
