package io.tether.webhook.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/webhooks}. */
@Schema(description = "A webhook: of an app (every event of its devices) or, without appId, of the calling API key "
        + "(the status changes of the messages it sends)")
public record CreateWebhookRequest(
        @NotNull(message = "is required")
        @Size(max = 2048, message = "must be at most 2048 characters")
        @Pattern(regexp = "https?://[^\\s]+", message = "must be an http:// or https:// URL")
        @Schema(description = "where events are POSTed") String url,

        @Pattern(regexp = "[A-Za-z0-9.-]{1,155}", message = "must be a bundle id: 1 to 155 of A-Z a-z 0-9 . -")
        @Schema(description = "the app whose devices' events it gets; leave out for the calling key's messages") String appId,

        @Schema(description = "event types: message.status, device.presence (default: every type its owner has)")
        List<@NotNull(message = "must not be null")
             @Pattern(regexp = "message\\.status|device\\.presence", message = "must be message.status or device.presence")
             String> events) {
}
