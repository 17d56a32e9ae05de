package io.tether.webhook.registry;

import io.tether.runtime.failure.Failures;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The webhooks every event is matched against, held in memory and read again from Redis on every dispatcher tick, so
 * a webhook registered on another instance gets events within a tick or two, and none is read per event. Until they
 * have been read once, none is known: events wait (see {@link #known()}) instead of being matched against none.
 */
public final class WebhookDirectory {
    private static final Logger LOG = Logger.getLogger(WebhookDirectory.class);

    private final Supplier<? extends CompletionStage<List<Webhook>>> source;
    /** Null until the webhooks have been read once. */
    private volatile List<Webhook> webhooks;
    /** Why the last read failed, while reads fail; null once one succeeds. */
    private volatile Throwable failing;

    /** @param source reads every webhook, oldest first ({@link WebhookStore#all}) */
    public WebhookDirectory(Supplier<? extends CompletionStage<List<Webhook>>> source) {
        this.source = source;
    }

    /** The webhooks known: none before they have been read once. */
    public List<Webhook> all() {
        List<Webhook> known = webhooks;
        return known == null ? List.of() : known;
    }

    /**
     * The webhooks, once they have been read; until then a {@link WebhooksNotRead} (transient: a consumer retries the
     * record instead of committing it as wanted by no webhook).
     */
    public CompletionStage<List<Webhook>> known() {
        List<Webhook> known = webhooks;
        return known != null ? CompletableFuture.completedFuture(known) : CompletableFuture.failedFuture(new WebhooksNotRead(failing));
    }

    /** Reads the webhooks again; on failure the ones known are kept. Never fails. */
    public CompletionStage<Void> refresh() {
        CompletionStage<List<Webhook>> read;
        try {
            read = source.get();
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.handle((all, error) -> {
            if (error != null) {
                // Once per run of failures: the dispatcher reads every poll interval.
                if (failing == null) {
                    LOG.warnf("webhooks not read from Redis: %s (%s)", Failures.unwrap(error).toString(),
                            webhooks == null ? "events wait until they are" : "the known ones are kept");
                }
                failing = Failures.unwrap(error);
            } else {
                if (failing != null) {
                    LOG.infof("webhooks read again: %d", all.size());
                }
                webhooks = all;
                failing = null;
            }
            return null;
        });
    }
}
