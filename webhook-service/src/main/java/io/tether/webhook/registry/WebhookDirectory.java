package io.tether.webhook.registry;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The webhooks every event is matched against, held in memory and read again from Redis on every dispatcher tick, so
 * a webhook registered on another instance gets events within a tick or two, and none is read per event.
 */
public final class WebhookDirectory {
    private static final Logger LOG = Logger.getLogger(WebhookDirectory.class);

    private final WebhookStore store;
    private volatile List<Webhook> webhooks = List.of();

    public WebhookDirectory(WebhookStore store) {
        this.store = store;
    }

    public List<Webhook> all() {
        return webhooks;
    }

    /** Reads the webhooks again; on failure the ones known are kept. */
    public CompletionStage<Void> refresh() {
        return store.all().handle((all, error) -> {
            if (error != null) {
                LOG.debugf("webhooks not refreshed: %s", error.toString());
            } else {
                webhooks = all;
            }
            return null;
        });
    }
}
