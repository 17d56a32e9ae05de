package io.tether.fanout.attachments;

import io.tether.attachments.storage.AttachmentStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Deletes bodies from object storage once the last message that refers to them expired (or, never sent, their
 * unsent time passed), after a grace ({@code tether.attachments.deletion-grace}): a message accepted just before the
 * due time has surely pushed the deletion back by then.
 */
public final class AttachmentSweeper {
    private static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(AttachmentSweeper.class);

    private final AttachmentStore store;
    private final AttachmentRecords records;
    private final long graceMillis;

    public AttachmentSweeper(AttachmentStore store, AttachmentRecords records, long graceMillis) {
        this.store = store;
        this.records = records;
        this.graceMillis = graceMillis;
    }

    /** Deletes what is due at {@code nowMillis}; answers how many bodies were deleted. */
    public CompletionStage<Integer> sweep(long nowMillis) {
        return records.dueBefore(nowMillis - graceMillis, BATCH).thenCompose(ids -> deleteAll(ids).thenCompose(deleted ->
                ids.size() == BATCH ? sweep(nowMillis).thenApply(more -> deleted + more) : CompletableFuture.completedFuture(deleted)));
    }

    private CompletionStage<Integer> deleteAll(List<String> ids) {
        List<CompletableFuture<Void>> deletions = ids.stream()
                .map(id -> store.delete(id).thenCompose(v -> records.forget(id)).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(v -> {
            LOG.debugf("deleted %d expired attachment bodies", ids.size());
            return ids.size();
        });
    }
}
