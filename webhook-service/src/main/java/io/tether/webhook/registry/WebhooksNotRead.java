package io.tether.webhook.registry;

import java.io.IOException;

/**
 * The webhooks have not been read from Redis yet, so an event cannot be matched against them. An I/O failure, hence
 * transient ({@code Failures}): the event is tried again, not committed as wanted by none.
 */
public final class WebhooksNotRead extends IOException {
    public WebhooksNotRead(Throwable cause) {
        super("the webhooks have not been read from Redis yet" + (cause == null ? "" : ": " + cause), cause);
    }
}
