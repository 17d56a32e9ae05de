package io.tether.registry.quota;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.PositiveOrZero;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An app's quotas; an absent limit is no limit. Also the body of {@code PUT /v1/quotas/{appId}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An app's quotas; leave a limit out for none")
public record AppQuota(
        @Schema(description = "messages accepted per second for the app's devices, across all fanout instances")
        @PositiveOrZero(message = "must be 0 or more") Long messagesPerSecond,
        @Schema(description = "messages accepted per UTC day for the app's devices")
        @PositiveOrZero(message = "must be 0 or more") Long messagesPerDay,
        @Schema(description = "devices the app may have registered")
        @PositiveOrZero(message = "must be 0 or more") Long devices) {
}
