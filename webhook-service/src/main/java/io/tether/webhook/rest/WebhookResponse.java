package io.tether.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.webhook.registry.Webhook;
import java.time.Instant;
import java.util.List;

/** A webhook as the API shows it; {@code secret} only in the answer to its creation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookResponse(String id, String url, String appId, String keyId, List<String> events, String createdAt, String secret) {

    static WebhookResponse of(Webhook webhook) {
        return new WebhookResponse(webhook.id(), webhook.url(), webhook.appId(), webhook.keyId(), webhook.events(),
                Instant.ofEpochMilli(webhook.createdAt()).toString(), null);
    }

    static WebhookResponse created(Webhook webhook) {
        WebhookResponse shown = of(webhook);
        return new WebhookResponse(shown.id, shown.url, shown.appId, shown.keyId, shown.events, shown.createdAt, webhook.secret());
    }

    /** A list of webhooks. */
    public record Page(List<WebhookResponse> items) {
    }

    @Override
    public String toString() {
        return "WebhookResponse[id=" + id + ", url=" + url + ", secret=" + (secret == null ? "none" : "***") + "]";
    }
}
