package io.tether.registry.apikey.rest;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** Body of {@code POST /v1/api-keys}. */
public record CreateApiKeyRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}", message = "must be 1 to 64 of A-Z a-z 0-9 space . _ -, starting with a letter or digit")
        String name,

        @NotEmpty(message = "must list at least one scope")
        List<@NotNull(message = "must not be null")
             @Pattern(regexp = "messages:send|devices:read|devices:write|admin",
                      message = "must be one of messages:send, devices:read, devices:write, admin") String> scopes) {
}
