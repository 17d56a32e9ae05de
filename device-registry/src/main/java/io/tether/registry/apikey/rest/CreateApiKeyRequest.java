package io.tether.registry.apikey.rest;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.tether.registry.device.rest.Fields;
import java.util.List;

/** Body of {@code POST /v1/api-keys}; {@code apps} limits the key to those apps' devices (none: every app). */
public record CreateApiKeyRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}", message = "must be 1 to 64 of A-Z a-z 0-9 space . _ -, starting with a letter or digit")
        String name,

        @NotEmpty(message = "must list at least one scope")
        List<@NotNull(message = "must not be null")
             @Pattern(regexp = "messages:send|devices:read|devices:write|webhooks:manage|admin",
                      message = "must be one of messages:send, devices:read, devices:write, webhooks:manage, admin") String> scopes,

        @Size(min = 1, max = 32, message = "must list 1 to 32 apps; leave apps out for a key of every app")
        List<@NotNull(message = "must not be null")
             @Pattern(regexp = Fields.APP_ID, message = Fields.APP_ID_MESSAGE) String> apps) {

    public CreateApiKeyRequest(String name, List<String> scopes) {
        this(name, scopes, null);
    }
}
